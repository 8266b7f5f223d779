// The recurrent actor-critic of `rl.ppo.train({ recurrent })`: an optional tanh MLP encoder of the
// policy inputs, then nn.recurrentPolicy (a GRU or an LSTM, then one linear layer on every hidden state)
// whose K + 1 outputs are the policy head (K logits or Gaussian means) and the value, plus a
// state-independent log-std for box actions. One trunk shared by actor and critic with linear
// heads: the layout of CleanRL's ppo_atari_lstm (encoder → LSTM → linear actor and critic) and of
// RL² (Duan et al. 2016). Flat parameters: [encoder | cell | head | logStd]. An LSTM's carried
// state is h and c (nn.recurrentPolicy insists on both); a GRU's is h.
// The encoder is there for scale: raw observations through PyTorch's GRU init (U(±1/√H)) give
// hidden states of a few hundredths, and a linear head on them learns slowly.
import * as nn from '../../nn/index.js';
import * as random from '../../random/index.js';
import { checkInteger } from '../../util/check.js';
import type { RecurrentOptions } from '../config.js';
import type { ActionSpec } from '../model.js';

/** What a recurrent actor-critic is built from (saved in its checkpoint). */
export interface RecurrentActorCriticSpec {
  obsDim: number;
  action: ActionSpec;
  /** The cell, its width and the encoder (seqLen, a training setting, is not part of the network). */
  recurrent: Pick<RecurrentOptions, 'cell' | 'hidden' | 'encoder'>;
}

/** A recurrent net's buffers: nn.recurrentPolicy's, with the encoder's output and its own gradient. */
export interface RecurrentNetWorkspace extends nn.RecurrentPolicyWorkspace {
  /** @internal the inner recurrent policy's workspace and the encoder's output [rows × E] */
  readonly inner: nn.RecurrentPolicyWorkspace;
  /** @internal */
  readonly encoded: Float32Array;
}

/** nn.recurrentPolicy behind an optional tanh MLP encoder, over one flat vector [encoder | gru | head]. */
export interface RecurrentNet {
  readonly size: number;
  readonly encoder: nn.Mlp | undefined;
  readonly inner: nn.RecurrentPolicy;
  readonly layout: nn.ParamLayout;
  /** Buffers for passes over `steps` × `batch` (allocate once, reuse). */
  workspace(steps: number, batch: number): RecurrentNetWorkspace;
  /** Forward over the sequences into ws.y [steps·batch × out] (and the GRU states into ws.gru.hs); returns ws.y. */
  forwardInto(
    params: Float32Array,
    xs: Float32Array,
    ws: RecurrentNetWorkspace,
    options?: nn.RecurrentPolicyRunOptions,
  ): Float32Array;
  /** Gradient of L from dy = ∂L/∂y after forwardInto on ws (same params, xs, resets): ws.grad. */
  backwardInto(
    params: Float32Array,
    xs: Float32Array,
    ws: RecurrentNetWorkspace,
    dy: Float32Array,
    options?: nn.GruIntoBackwardOptions,
  ): Float32Array;
}

function recurrentNet(
  obsDim: number,
  encoderWidths: readonly number[],
  hidden: number,
  out: number,
  cell: nn.RecurrentCell,
): RecurrentNet {
  const encoder =
    encoderWidths.length > 0
      ? nn.mlp({ sizes: [obsDim, ...encoderWidths], activation: 'tanh', outputActivation: 'tanh' })
      : undefined;
  const E = encoder ? encoder.size : 0;
  const inDim = encoder ? (encoderWidths[encoderWidths.length - 1] as number) : obsDim;
  const inner = nn.recurrentPolicy({ inputSize: inDim, hiddenSize: hidden, outputSize: out, cell });
  const size = E + inner.size;
  const layout: nn.ParamLayout = Object.freeze([
    ...(encoder ? encoder.layout.map((s) => Object.freeze({ ...s, name: `encoder.${s.name}` })) : []),
    ...inner.layout.map((s) => Object.freeze({ ...s, offset: E + s.offset })),
  ]);
  let last: Float32Array | null = null;
  let views: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  const split = (p: Float32Array): [Float32Array, Float32Array] => {
    if (p !== last) {
      last = p;
      views = [p.subarray(0, E), p.subarray(E, size)];
    }
    return views;
  };
  return {
    size,
    encoder,
    inner,
    layout,
    workspace(steps, batch) {
      const w = inner.workspace(steps, batch);
      const grad = encoder ? new Float32Array(size) : w.grad;
      const encoded = new Float32Array(encoder ? steps * batch * inDim : 0);
      return { ...w, grad, inner: w, encoded };
    },
    forwardInto(params, xs, ws, o) {
      const [pe, pr] = split(params);
      if (!encoder) return inner.forwardInto(pr, xs, ws.inner, o);
      encoder.forwardInto(pe, xs, ws.steps * ws.batch, ws.encoded);
      return inner.forwardInto(pr, ws.encoded, ws.inner, o);
    },
    backwardInto(params, xs, ws, dy, o) {
      const [pe, pr] = split(params);
      if (!encoder) return inner.backwardInto(pr, xs, ws.inner, dy, o);
      const g = inner.backwardInto(pr, ws.encoded, ws.inner, dy, o);
      ws.grad.set(g, E);
      // ∂L/∂(encoder output) is the GRU's input gradient.
      encoder.vjpInto(pe, xs, ws.steps * ws.batch, ws.inner.gru.gXs, ws.grad.subarray(0, E), null);
      return ws.grad;
    },
  };
}

/** The recurrent actor-critic's shapes, parameter layout and initialization. */
export class RecurrentActorCritic {
  readonly spec: RecurrentActorCriticSpec;
  /** Policy-head width (number of actions, or action dims). */
  readonly policyDim: number;
  readonly hiddenSize: number;
  /** Whether the cell is an LSTM (it carries c beside h). */
  readonly lstm: boolean;
  /** The encoder, the GRU and its linear head with policyDim + 1 outputs (the last one the value). */
  readonly net: RecurrentNet;
  /** Offset of the log-std vector (box actions), else -1. */
  readonly logStdOffset: number;
  /** Total parameters. */
  readonly size: number;

  constructor(spec: RecurrentActorCriticSpec) {
    this.spec = spec;
    this.policyDim = spec.action.type === 'discrete' ? spec.action.n : spec.action.dim;
    checkInteger(spec.recurrent.hidden, 'recurrent.hidden', 1, 4096);
    this.hiddenSize = spec.recurrent.hidden;
    const cell = spec.recurrent.cell;
    if (cell !== 'gru' && cell !== 'lstm')
      throw new RangeError(`recurrent.cell: expected 'gru' or 'lstm', got ${String(cell)}`);
    this.lstm = cell === 'lstm';
    const enc = spec.recurrent.encoder ?? [];
    this.net = recurrentNet(spec.obsDim, enc, this.hiddenSize, this.policyDim + 1, cell);
    this.logStdOffset = spec.action.type === 'box' ? this.net.size : -1;
    this.size = this.net.size + (spec.action.type === 'box' ? spec.action.dim : 0);
  }

  /**
   * Fresh parameters: the GRU's PyTorch init, the head's nn.mlp init with the policy columns
   * scaled by 0.01 (a near-uniform / near-zero-mean start, as CleanRL's actor output gain), log-std 0.
   */
  init(key: random.Key): Float32Array {
    const p = new Float32Array(this.size);
    const seed = random.bits(key, 1)[0] as number;
    const enc = this.net.encoder;
    if (enc) p.set(enc.init(seed % 2 ** 31), 0);
    p.set(this.net.inner.init((seed + 1) % 2 ** 31), enc ? enc.size : 0);
    const w = this.net.layout.find((s) => s.name === 'head.dense0.w');
    const width = this.policyDim + 1;
    if (w)
      for (let r = 0; r < this.hiddenSize; r++)
        for (let j = 0; j < this.policyDim; j++)
          p[w.offset + r * width + j] = (p[w.offset + r * width + j] as number) * 0.01;
    return p;
  }

  /** The GRU + head block of the flat parameters. */
  netParams(p: Float32Array): Float32Array {
    return p.subarray(0, this.net.size);
  }

  /** The log-std (box actions; empty for discrete). */
  logStd(p: Float32Array): Float32Array {
    return this.logStdOffset < 0 ? new Float32Array(0) : p.subarray(this.logStdOffset, this.size);
  }

  /** Splits head outputs y [rows × (K + 1)] into policy heads [rows × K] and values [rows]. */
  split(y: Float32Array, rows: number, head: Float32Array, values: Float32Array): void {
    const K = this.policyDim;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < K; j++) head[i * K + j] = y[i * (K + 1) + j] as number;
      values[i] = y[i * (K + 1) + K] as number;
    }
  }
}
