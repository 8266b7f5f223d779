// A recurrent policy: nn.gru (or nn.lstm) over the observation sequence, then an nn.mlp head over
// every hidden state (logits, means or values, one row per step and sequence). One flat parameter
// vector: the cell's block first, then the head's, each keeping its own layout names (the head's
// prefixed `head.`). The gradient runs the head's VJP (its input gradient is ∂L/∂h_t for every
// step) and then the cell's BPTT, both on the backend kernels, allocation-free on a workspace.
// An LSTM carries two states, h and c: a caller that carries h0 must carry c0 too (checked), since
// dropping c silently restarts the cell's memory every call.
import { checkInteger } from '../util/check.js';
import { type Gru, type GruIntoBackwardOptions, type GruRunOptions, type GruWorkspace, gru } from './gru.js';
import { type Lstm, type LstmWorkspace, lstm } from './lstm.js';
import { mlp } from './mlp.js';
import type { ActivationName, Mlp, ParamLayout } from './types.js';

/** Options of `recurrentPolicy`. */
export interface RecurrentPolicyOptions {
  inputSize: number;
  hiddenSize: number;
  /** Width of the head's output (action logits, Gaussian means, values, ...). */
  outputSize: number;
  /** Hidden widths of the head between the GRU state and the output (default [] : a linear head). */
  headHidden?: readonly number[];
  /** Activation of the head's hidden layers (default 'tanh'). */
  activation?: ActivationName;
  /** The recurrent cell: 'gru' (default) or 'lstm' (carries h and c). */
  cell?: RecurrentCell;
}

/** The cells a recurrent policy runs on. */
export type RecurrentCell = 'gru' | 'lstm';

/** Options of a recurrent policy's forward pass: the GRU's, plus the LSTM's initial cell state. */
export interface RecurrentPolicyRunOptions extends GruRunOptions {
  /**
   * LSTM only: [batch × H] initial cell state (default zeros); required whenever h0 is given. May
   * be the cs of a one-step workspace (a rollout steps in place).
   */
  c0?: Float32Array | null;
}

/** The buffers of a recurrent policy's passes over `steps` × `batch`. */
export interface RecurrentPolicyWorkspace {
  readonly steps: number;
  readonly batch: number;
  /**
   * The cell's workspace (hs, tape, gXs, gH0, ...); for an LSTM an LstmWorkspace (also cs, gC0).
   * Named `gru` since it predates the LSTM.
   */
  readonly gru: GruWorkspace;
  /** LSTM: the cell states [steps·batch × H] (the cell workspace's cs); null for a GRU. */
  readonly cs: Float32Array | null;
  /** LSTM: ∂L/∂c0 [batch × H] after backwardInto; null for a GRU. */
  readonly gC0: Float32Array | null;
  /** Head outputs [steps·batch × outputSize] (time-major rows). */
  readonly y: Float32Array;
  /** ∂L/∂params (backwardInto's output, overwritten). */
  readonly grad: Float32Array;
  /** ∂L/∂h_t from the head [steps·batch × hiddenSize]. */
  readonly dHs: Float32Array;
}

/** A GRU (or LSTM) with an MLP head over flat parameters. */
export interface RecurrentPolicy {
  /** The recurrent cell. */
  readonly cell: RecurrentCell;
  /** The cell over the first `core.size` parameters. */
  readonly core: Gru | Lstm;
  /** Same as `core` (the name predates the LSTM). */
  readonly gru: Gru | Lstm;
  /** Floats of carried state per row: H (GRU) or 2H (LSTM: h and c). */
  readonly stateSize: number;
  readonly head: Mlp;
  readonly size: number;
  readonly layout: ParamLayout;
  /** Cell block U(±1/√H) (PyTorch's), head nn.mlp's initializer, from one seed. */
  init(seed: number): Float32Array;
  /** Buffers for forwardInto/backwardInto over `steps` × `batch` (the GRU's and the head's; allocate once, reuse). */
  workspace(steps: number, batch: number): RecurrentPolicyWorkspace;
  /** Forward over the sequences into ws.y (and ws.gru.hs); returns ws.y. */
  forwardInto(
    params: Float32Array,
    xs: Float32Array,
    ws: RecurrentPolicyWorkspace,
    options?: RecurrentPolicyRunOptions,
  ): Float32Array;
  /** Gradient of L from dy = ∂L/∂y [steps·batch × out], after forwardInto on ws: ws.grad (and ws.gru.gXs, ws.gru.gH0). */
  backwardInto(
    params: Float32Array,
    xs: Float32Array,
    ws: RecurrentPolicyWorkspace,
    dy: Float32Array,
    options?: GruIntoBackwardOptions,
  ): Float32Array;
}

/**
 * A recurrent policy: `nn.gru` (or `nn.lstm` with `cell: 'lstm'`) followed by an `nn.mlp` head on
 * every hidden state.
 *
 * ```ts
 * const pi = nn.recurrentPolicy({ inputSize: 6, hiddenSize: 64, outputSize: 3 });
 * const p = pi.init(0);
 * const ws = pi.workspace(steps, batch);
 * const logits = pi.forwardInto(p, xs, ws, { resets });
 * const grad = pi.backwardInto(p, xs, ws, dLogits, { resets });
 * ```
 */
export function recurrentPolicy(options: RecurrentPolicyOptions): RecurrentPolicy {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object');
  const { inputSize, hiddenSize, outputSize } = options;
  checkInteger(outputSize, 'options.outputSize', 1, 1 << 20);
  const cell = options.cell ?? 'gru';
  if (cell !== 'gru' && cell !== 'lstm')
    throw new RangeError(`options.cell: expected 'gru' or 'lstm', got ${String(cell)}`);
  const isLstm = cell === 'lstm';
  const g: Gru | Lstm = isLstm ? lstm({ inputSize, hiddenSize }) : gru({ inputSize, hiddenSize });
  const head = mlp({
    sizes: [hiddenSize, ...(options.headHidden ?? []), outputSize],
    activation: options.activation ?? 'tanh',
  });
  const size = g.size + head.size;
  const layout: ParamLayout = Object.freeze([
    ...g.layout,
    ...head.layout.map((s) => Object.freeze({ ...s, name: `head.${s.name}`, offset: g.size + s.offset })),
  ]);
  // Views of the last params buffer seen, so repeated calls allocate nothing.
  let lastParams: Float32Array | null = null;
  let views: [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  const split = (p: Float32Array): [Float32Array, Float32Array] => {
    if (!(p instanceof Float32Array)) throw new TypeError('params: expected a Float32Array');
    if (p.length !== size) throw new RangeError(`params: expected length ${size}, got ${p.length}`);
    if (p !== lastParams) {
      lastParams = p;
      views = [p.subarray(0, g.size), p.subarray(g.size)];
    }
    return views;
  };
  const checkWs = (ws: RecurrentPolicyWorkspace): void => {
    if (ws === null || typeof ws !== 'object' || !(ws.y instanceof Float32Array) || ws.grad.length !== size)
      throw new TypeError('ws: expected a workspace from this recurrentPolicy');
  };
  // The head's gradient views into each workspace's grad.
  const headGrad = new WeakMap<RecurrentPolicyWorkspace, Float32Array>();

  return {
    cell,
    core: g,
    gru: g,
    stateSize: isLstm ? 2 * hiddenSize : hiddenSize,
    head,
    size,
    layout,
    init(seed: number): Float32Array {
      const p = new Float32Array(size);
      p.set(g.init(seed), 0);
      p.set(head.init(seed + 1), g.size); // its own stream: a key differing from the GRU's
      return p;
    },
    workspace(steps: number, batch: number): RecurrentPolicyWorkspace {
      const gw = g.workspace(steps, batch);
      const lw = isLstm ? (gw as LstmWorkspace) : null;
      const ws = {
        steps,
        batch,
        gru: gw,
        cs: lw ? lw.cs : null,
        gC0: lw ? lw.gC0 : null,
        y: new Float32Array(steps * batch * outputSize),
        grad: new Float32Array(size),
        dHs: new Float32Array(steps * batch * hiddenSize),
      };
      headGrad.set(ws, ws.grad.subarray(g.size));
      return ws;
    },
    forwardInto(params, xs, ws, o) {
      checkWs(ws);
      const [pg, ph] = split(params);
      let hs: Float32Array;
      if (isLstm) {
        const h0 = o?.h0 ?? null;
        const c0 = o?.c0 ?? null;
        if ((h0 === null) !== (c0 === null))
          throw new RangeError(
            'options.c0: an LSTM carries h and c together; give both h0 and c0 (or neither), not one of them',
          );
        hs = (g as Lstm).forwardInto(pg, xs, ws.gru as LstmWorkspace, o);
      } else {
        if (o?.c0 != null) throw new RangeError('options.c0: a GRU policy has no cell state (only an LSTM takes c0)');
        hs = (g as Gru).forwardInto(pg, xs, ws.gru, o);
      }
      return head.forwardInto(ph, hs, ws.steps * ws.batch, ws.y);
    },
    backwardInto(params, xs, ws, dy, o) {
      checkWs(ws);
      const [pg, ph] = split(params);
      head.vjpInto(ph, ws.gru.hs, ws.steps * ws.batch, dy, headGrad.get(ws) as Float32Array, ws.dHs);
      if (isLstm) (g as Lstm).backwardInto(pg, xs, ws.gru as LstmWorkspace, ws.dHs, o);
      else (g as Gru).backwardInto(pg, xs, ws.gru, ws.dHs, o);
      ws.grad.set(ws.gru.gParams, 0);
      return ws.grad;
    },
  };
}
