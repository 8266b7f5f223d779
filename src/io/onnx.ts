// ONNX export of an MLP (nn.mlp): one Gemm per layer with the layer's activation, optionally
// preceded by the observation normalization a policy was trained with (Sub mean, Div std, Clip),
// so ONNX Runtime (or any ONNX consumer) computes exactly `net.forward` on raw observations.
// Protobuf encoding comes from protobufjs; the schema subset is in onnx_schema.ts.
import type { Mlp } from '../nn/types.js';
import { checkFloat32 } from '../util/check.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from './atomic.js';
import { ATTR_FLOAT, ModelProto, ONNX_FLOAT } from './onnx_schema.js';

/**
 * Observation normalization baked into the graph: out = clip((x − mean) / √(var + epsilon), ±clip),
 * as `rl`'s RunningMeanStd applies it (a RunningMeanStd can be passed as it is).
 */
export interface ObsNorm {
  mean: ArrayLike<number>;
  var: ArrayLike<number>;
  /** Clip of the normalized observation (default 10, the policies' default; Infinity for none). */
  clip?: number;
  /** Added to the variance (default 1e-8, as RunningMeanStd). */
  epsilon?: number;
}

/** Options of the ONNX export: observation normalization to bake into the graph. */
export interface OnnxExportOptions {
  obsNorm?: ObsNorm;
  /** Name of the graph input, shape [batch, in] (default 'obs'). */
  inputName?: string;
  /** Name of the graph output, shape [batch, out] (default 'output'). */
  outputName?: string;
}

/** The MLP fields the exporter reads: any `nn.mlp` model. */
export type OnnxNet = Pick<Mlp, 'sizes' | 'activation' | 'outputActivation' | 'layout' | 'size'>;

// Opset 17 and IR version 8: every op used here exists there, and runtimes of the last years load it.
const OPSET = 17;
const IR_VERSION = 8;

interface Node {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute?: { name: string; f: number; type: number }[];
}
interface Tensor {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

function tensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  const raw = new Uint8Array(values.length * 4);
  const v = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat32(i * 4, values[i] as number, true);
  return { name, dims, dataType: ONNX_FLOAT, rawData: raw };
}

function valueInfo(name: string, width: number) {
  return {
    name,
    type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } },
  };
}

class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private readonly constants = new Map<number, string>();

  op(opType: string, input: string[], output: string, attribute?: Node['attribute']): string {
    this.nodes.push({ input, output: [output], name: `${opType}_${this.nodes.length}`, opType, attribute });
    return output;
  }

  /** A scalar float initializer, shared by every use of the same value. */
  scalar(x: number): string {
    let name = this.constants.get(x);
    if (name === undefined) {
      name = `const_${this.constants.size}`;
      this.constants.set(x, name);
      this.initializers.push(tensor(name, [], [x]));
    }
    return name;
  }

  /** `act` applied to `z`, written to `out`; identity returns z itself. */
  activation(act: Mlp['activation'], z: string, out: string): string {
    switch (act) {
      case 'identity':
        return z;
      case 'tanh':
        return this.op('Tanh', [z], out);
      case 'relu':
        return this.op('Relu', [z], out);
      case 'sigmoid':
        return this.op('Sigmoid', [z], out);
      case 'softplus':
        return this.op('Softplus', [z], out);
      case 'leaky-relu':
        return this.op('LeakyRelu', [z], out, [{ name: 'alpha', f: 0.01, type: ATTR_FLOAT }]);
      case 'gelu': {
        // The tanh approximation the kernels use, 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))),
        // spelled out: opset 17 has no Gelu op (it came in opset 20).
        const z2 = this.op('Mul', [z, z], `${out}_z2`);
        const z3 = this.op('Mul', [z2, z], `${out}_z3`);
        const inner = this.op('Add', [z, this.op('Mul', [z3, this.scalar(0.044715)], `${out}_cz3`)], `${out}_in`);
        const t = this.op(
          'Tanh',
          [this.op('Mul', [inner, this.scalar(Math.sqrt(2 / Math.PI))], `${out}_s`)],
          `${out}_t`,
        );
        const half = this.op('Mul', [z, this.scalar(0.5)], `${out}_h`);
        return this.op('Mul', [half, this.op('Add', [t, this.scalar(1)], `${out}_1t`)], out);
      }
    }
  }
}

function checkNet(net: unknown): asserts net is OnnxNet {
  const n = net as OnnxNet;
  if (typeof n !== 'object' || n === null || !Array.isArray(n.sizes) || !Array.isArray(n.layout))
    throw new TypeError('exportOnnx: net: expected an nn.mlp model');
}

/** The ONNX ModelProto bytes of `net` with `params` (see `exportOnnx`). */
export function encodeOnnx(net: OnnxNet, params: Float32Array, options: OnnxExportOptions = {}): Uint8Array {
  checkNet(net);
  checkFloat32(params, 'exportOnnx: params', net.size);
  const inputName = options.inputName ?? 'obs';
  const outputName = options.outputName ?? 'output';
  if (typeof inputName !== 'string' || inputName === '') throw new TypeError('exportOnnx: inputName: expected a name');
  if (typeof outputName !== 'string' || outputName === '' || outputName === inputName)
    throw new TypeError('exportOnnx: outputName: expected a name other than inputName');
  const sizes = net.sizes;
  const inW = sizes[0] as number;
  const g = new GraphBuilder();
  let h = inputName;

  const norm = options.obsNorm;
  if (norm !== undefined) {
    if (typeof norm !== 'object' || norm === null) throw new TypeError('exportOnnx: obsNorm: expected { mean, var }');
    if (norm.mean?.length !== inW || norm.var?.length !== inW)
      throw new RangeError(`exportOnnx: obsNorm: mean and var must have the input width ${inW}`);
    const clip = norm.clip ?? 10;
    const eps = norm.epsilon ?? 1e-8;
    if (!(clip > 0)) throw new RangeError(`exportOnnx: obsNorm.clip: expected > 0, got ${clip}`);
    if (!(eps >= 0)) throw new RangeError(`exportOnnx: obsNorm.epsilon: expected ≥ 0, got ${eps}`);
    const std = Array.from({ length: inW }, (_, j) => Math.sqrt((norm.var[j] as number) + eps));
    g.initializers.push(tensor('obs_norm.mean', [inW], norm.mean), tensor('obs_norm.std', [inW], std));
    h = g.op('Sub', [h, 'obs_norm.mean'], 'obs_centered');
    h = g.op('Div', [h, 'obs_norm.std'], 'obs_scaled');
    if (clip !== Number.POSITIVE_INFINITY) h = g.op('Clip', [h, g.scalar(-clip), g.scalar(clip)], 'obs_normalized');
  }

  // Initializers keep the layout's names (dense0.w, ...), so the ONNX file and a safetensors or
  // npz export of the same parameters name them alike.
  for (const s of net.layout)
    g.initializers.push(tensor(s.name, [...s.shape], params.subarray(s.offset, s.offset + s.size)));
  const layers = sizes.length - 1;
  for (let l = 0; l < layers; l++) {
    const last = l === layers - 1;
    const act = last ? net.outputActivation : net.activation;
    const z = g.op('Gemm', [h, `dense${l}.w`, `dense${l}.b`], last && act === 'identity' ? outputName : `dense${l}`);
    h = g.activation(act, z, last ? outputName : `act${l}`);
  }

  const model = {
    irVersion: IR_VERSION,
    producerName: 'outerloop',
    producerVersion: VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: [
      { key: 'outerloop.sizes', value: sizes.join(',') },
      { key: 'outerloop.activation', value: net.activation },
      { key: 'outerloop.outputActivation', value: net.outputActivation },
    ],
    graph: {
      name: 'outerloop_mlp',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(inputName, inW)],
      output: [valueInfo(outputName, sizes[layers] as number)],
    },
  };
  const err = ModelProto.verify(model);
  if (err) throw new Error(`exportOnnx: internal error building the model: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/**
 * Writes `net` with `params` as an ONNX model at `path` (atomically): input `obs` [batch, in],
 * output `output` [batch, out], with `obsNorm` (e.g. a policy's `obsRms`) applied first when given.
 * ONNX Runtime's output matches `net.forward` to float32 rounding.
 */
export async function exportOnnx(
  net: OnnxNet,
  params: Float32Array,
  path: string,
  options: OnnxExportOptions = {},
): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new TypeError('exportOnnx: path: expected a file path');
  await writeFileAtomic(path, encodeOnnx(net, params, options));
}
