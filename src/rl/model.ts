// The actor-critic network behind every policy: an actor MLP (logits, or Gaussian means with a
// state-independent log-std vector) and a critic MLP (one value), or one shared MLP with both
// heads. All parameters live in one flat Float32Array [actor | critic | logStd] so one optimizer
// step and one global-norm clip cover them, as in CleanRL. Initialization is CleanRL's:
// orthogonal, gain √2 for hidden layers, 0.01 for the policy head, 1 for the value head.
//
// Training calls the nn kernels directly (forward with a tape, then backward from it) so each
// minibatch runs the forward pass once; everything else goes through nn.mlp.
import { getBackend } from '../backend/index.js';
import { ActivationCode, type MlpScalars, mlpTapeOutput, mlpTapeSize } from '../backend/kernels/nn.js';
import * as nn from '../nn/index.js';
import type { Mlp } from '../nn/types.js';
import * as random from '../random/index.js';

/** The action space a policy acts in. */
export type ActionSpec = { type: 'discrete'; n: number } | { type: 'box'; dim: number };

/** A policy's architecture: observation size, action space, hidden widths, activation and whether actor and critic share a trunk. */
export interface ActorCriticSpec {
  obsDim: number;
  action: ActionSpec;
  hidden: readonly number[];
  activation: 'tanh' | 'relu';
  network: 'separate' | 'shared';
}

/** Width of the policy head: logits (discrete) or means (box). */
export function policyWidth(a: ActionSpec): number {
  return a.type === 'discrete' ? a.n : a.dim;
}

/** A net's architecture as the kernels take it. */
interface NetShape {
  mlp: Mlp;
  sizes: Int32Array;
  hidden: number;
  output: number;
  offset: number;
}

function netShape(mlp: Mlp, offset: number): NetShape {
  return {
    mlp,
    sizes: Int32Array.from(mlp.sizes),
    hidden: ActivationCode[mlp.activation as 'tanh' | 'relu'],
    output: ActivationCode.identity,
    offset,
  };
}

/** Networks, their places in the flat parameter vector, and their initialization. */
export class ActorCritic {
  readonly spec: ActorCriticSpec;
  /** Policy-head width (number of actions, or action dims). */
  readonly policyDim: number;
  /** The actor (or shared) net and, for 'separate', the critic. */
  readonly actor: NetShape;
  readonly critic: NetShape | undefined;
  /** Offset of the log-std vector (box actions), else -1. */
  readonly logStdOffset: number;
  /** Total parameters. */
  readonly size: number;

  constructor(spec: ActorCriticSpec) {
    this.spec = spec;
    this.policyDim = policyWidth(spec.action);
    const shared = spec.network === 'shared';
    const act = nn.mlp({
      sizes: [spec.obsDim, ...spec.hidden, this.policyDim + (shared ? 1 : 0)],
      activation: spec.activation,
      // A shared head starts at gain 1; init() scales its policy columns down to 0.01.
      init: { scheme: 'orthogonal', gain: Math.SQRT2, outputGain: shared ? 1 : 0.01 },
    });
    this.actor = netShape(act, 0);
    let end = act.size;
    if (!shared) {
      const crit = nn.mlp({
        sizes: [spec.obsDim, ...spec.hidden, 1],
        activation: spec.activation,
        init: { scheme: 'orthogonal', gain: Math.SQRT2, outputGain: 1 },
      });
      this.critic = netShape(crit, end);
      end += crit.size;
    }
    this.logStdOffset = spec.action.type === 'box' ? end : -1;
    this.size = end + (spec.action.type === 'box' ? spec.action.dim : 0);
  }

  /** Fresh parameters (log-std 0, as CleanRL). */
  init(key: random.Key): Float32Array {
    const [ka, kc] = random.split(key, 2) as [random.Key, random.Key];
    const p = new Float32Array(this.size);
    p.set(this.actor.mlp.init(ka), 0);
    if (this.critic) p.set(this.critic.mlp.init(kc), this.critic.offset);
    else {
      const sizes = this.actor.mlp.sizes;
      const last = sizes.length - 2;
      const w = this.actor.mlp.layout.find((seg) => seg.name === `dense${last}.w`);
      const width = this.policyDim + 1;
      if (w) {
        for (let r = 0; r < (sizes[last] as number); r++)
          for (let j = 0; j < this.policyDim; j++)
            p[w.offset + r * width + j] = (p[w.offset + r * width + j] as number) * 0.01;
      }
    }
    return p;
  }

  /** Actor (or shared) parameters inside the flat vector. */
  actorParams(p: Float32Array): Float32Array {
    return p.subarray(this.actor.offset, this.actor.offset + this.actor.mlp.size);
  }

  criticParams(p: Float32Array): Float32Array | undefined {
    return this.critic ? p.subarray(this.critic.offset, this.critic.offset + this.critic.mlp.size) : undefined;
  }

  logStd(p: Float32Array): Float32Array {
    return this.logStdOffset < 0 ? new Float32Array(0) : p.subarray(this.logStdOffset, this.size);
  }
}

/**
 * Reusable buffers for evaluating the networks on `batch` rows: policy-head outputs, values,
 * and (for training) tapes and output gradients.
 */
export class ActorCriticWorkspace {
  readonly head: Float32Array;
  readonly values: Float32Array;
  private readonly sharedOut: Float32Array;
  readonly actorTape: Float32Array;
  readonly criticTape: Float32Array;
  readonly dHead: Float32Array;
  readonly dValues: Float32Array;
  private readonly dShared: Float32Array;
  // The backward kernel's scalars per net (fixed batch: built once, not per step).
  private readonly actorScalars: MlpScalars;
  private readonly criticScalars: MlpScalars | undefined;

  constructor(
    readonly model: ActorCritic,
    readonly batch: number,
    training: boolean,
  ) {
    const k = model.policyDim;
    const shared = !model.critic;
    this.head = new Float32Array(batch * k);
    this.values = new Float32Array(batch);
    this.sharedOut = new Float32Array(shared ? batch * (k + 1) : 0);
    const tapeSize = (n: NetShape) => mlpTapeSize(n.sizes, batch, false);
    this.actorTape = new Float32Array(training ? tapeSize(model.actor) : 0);
    this.criticTape = new Float32Array(training && model.critic ? tapeSize(model.critic) : 0);
    this.dHead = new Float32Array(training ? batch * k : 0);
    this.dValues = new Float32Array(training ? batch : 0);
    this.dShared = new Float32Array(training && shared ? batch * (k + 1) : 0);
    const scalars = (n: NetShape): MlpScalars => ({ hidden: n.hidden, output: n.output, batch });
    this.actorScalars = scalars(model.actor);
    this.criticScalars = model.critic && scalars(model.critic);
  }

  /** head and values for `rows` ≤ batch observations (no tape). */
  forward(params: Float32Array, obs: Float32Array, rows: number, withValues = true): void {
    const b = getBackend();
    const m = this.model;
    const a = m.actor;
    if (m.critic) {
      b.mlpForward(
        a.sizes,
        a.hidden,
        a.output,
        m.actorParams(params),
        obs,
        rows,
        this.head.subarray(0, rows * m.policyDim),
      );
      if (withValues) {
        const c = m.critic;
        b.mlpForward(
          c.sizes,
          c.hidden,
          c.output,
          m.criticParams(params) as Float32Array,
          obs,
          rows,
          this.values.subarray(0, rows),
        );
      }
    } else {
      const k = m.policyDim;
      const out = this.sharedOut.subarray(0, rows * (k + 1));
      b.mlpForward(a.sizes, a.hidden, a.output, m.actorParams(params), obs, rows, out);
      this.splitShared(out, rows);
    }
  }

  /** Only the values (the critic, or the shared net's value column). */
  valuesOnly(params: Float32Array, obs: Float32Array, rows: number): Float32Array {
    const m = this.model;
    if (m.critic) {
      const c = m.critic;
      getBackend().mlpForward(
        c.sizes,
        c.hidden,
        c.output,
        m.criticParams(params) as Float32Array,
        obs,
        rows,
        this.values.subarray(0, rows),
      );
    } else this.forward(params, obs, rows);
    return this.values;
  }

  /** Forward over a full batch, recording tapes for `backward`. */
  forwardTape(params: Float32Array, obs: Float32Array): void {
    const b = getBackend();
    const m = this.model;
    const a = m.actor;
    const B = this.batch;
    b.mlpForwardTape(a.sizes, a.hidden, a.output, m.actorParams(params), obs, B, this.actorTape);
    const aOut = tapeOutput(a, B);
    if (m.critic) {
      this.head.set(this.actorTape.subarray(aOut, aOut + B * m.policyDim));
      const c = m.critic;
      b.mlpForwardTape(c.sizes, c.hidden, c.output, m.criticParams(params) as Float32Array, obs, B, this.criticTape);
      const cOut = tapeOutput(c, B);
      this.values.set(this.criticTape.subarray(cOut, cOut + B));
    } else {
      this.splitShared(this.actorTape.subarray(aOut, aOut + B * (m.policyDim + 1)), B);
    }
  }

  /** Parameter gradient from dHead and dValues (set by the objectives) into grads (overwritten). */
  backward(params: Float32Array, obs: Float32Array, grads: Float32Array): void {
    const b = getBackend();
    const m = this.model;
    const a = m.actor;
    const B = this.batch;
    const gActor = grads.subarray(a.offset, a.offset + a.mlp.size);
    if (m.critic) {
      b.mlpBackwardTape(
        a.sizes,
        m.actorParams(params),
        obs,
        this.actorTape,
        this.dHead,
        gActor,
        null,
        this.actorScalars,
      );
      const c = m.critic;
      const gCritic = grads.subarray(c.offset, c.offset + c.mlp.size);
      b.mlpBackwardTape(
        c.sizes,
        m.criticParams(params) as Float32Array,
        obs,
        this.criticTape,
        this.dValues,
        gCritic,
        null,
        this.criticScalars as MlpScalars,
      );
    } else {
      const k = m.policyDim;
      const d = this.dShared;
      for (let i = 0; i < B; i++) {
        for (let j = 0; j < k; j++) d[i * (k + 1) + j] = this.dHead[i * k + j] as number;
        d[i * (k + 1) + k] = this.dValues[i] as number;
      }
      b.mlpBackwardTape(a.sizes, m.actorParams(params), obs, this.actorTape, d, gActor, null, this.actorScalars);
    }
  }

  private splitShared(out: Float32Array, rows: number): void {
    const k = this.model.policyDim;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < k; j++) this.head[i * k + j] = out[i * (k + 1) + j] as number;
      this.values[i] = out[i * (k + 1) + k] as number;
    }
  }
}

function tapeOutput(n: NetShape, batch: number): number {
  return mlpTapeOutput(n.sizes, batch, false);
}
