import { OuterloopError } from '../../errors.js';
import { type Checkpoint, loadCheckpoint, saveCheckpoint } from '../../io/checkpoint.js';
import * as random from '../../random/index.js';
import { checkFloat32, checkInteger } from '../../util/check.js';
import type { ActionSpec } from '../model.js';
import type { RunningMeanStd } from '../normalize.js';
import {
  type ActOptions,
  checkpointObsRms,
  infoMeta,
  observationRows,
  POLICY_KIND,
  type PolicyInfo,
  sampleActions,
} from '../policy.js';
import { RecurrentActorCritic, type RecurrentActorCriticSpec, type RecurrentNetWorkspace } from './model.js';

/** A trained recurrent (GRU or LSTM) actor-critic policy with a recurrent state per row. */
export class RecurrentPolicy {
  readonly model: RecurrentActorCritic;
  /** The flat parameter vector [gru | head | logStd]. Training updates it in place. */
  readonly params: Float32Array;
  readonly obsRms: RunningMeanStd | undefined;
  readonly clipObs: number;
  info: PolicyInfo;
  private ws: RecurrentNetWorkspace | undefined;
  private streamKey = random.key(0);
  private streamCounter = 0;

  constructor(
    spec: RecurrentActorCriticSpec,
    params: Float32Array,
    info: PolicyInfo,
    obsRms?: RunningMeanStd,
    clipObs = 10,
  ) {
    if (typeof spec !== 'object' || spec === null || typeof spec.recurrent !== 'object' || spec.recurrent === null)
      throw new TypeError('RecurrentPolicy: spec: expected { obsDim, action, recurrent: { cell, hidden } }');
    checkInteger(spec.obsDim, 'RecurrentPolicy: spec.obsDim', 1, 1 << 20);
    if (spec.recurrent.cell !== 'gru' && spec.recurrent.cell !== 'lstm')
      throw new RangeError(
        `RecurrentPolicy: spec.recurrent.cell: expected 'gru' or 'lstm', got ${String(spec.recurrent.cell)}`,
      );
    this.model = new RecurrentActorCritic(spec);
    checkFloat32(params, 'RecurrentPolicy: params', this.model.size);
    this.params = params;
    this.info = info;
    this.obsRms = obsRms;
    this.clipObs = clipObs;
  }

  /** Length of one observation. */
  get observationDim(): number {
    return this.model.spec.obsDim;
  }

  /** The action space the policy acts in. */
  get action(): ActionSpec {
    return this.model.spec.action;
  }

  /**
   * The hidden state h [rows × hidden] of the batch `act` was last called with (empty before); an
   * LSTM's cell state c is carried beside it and zeroed with it by resetState.
   */
  get state(): Float32Array {
    return this.ws ? this.ws.gru.hs : new Float32Array(0);
  }

  /**
   * Zeroes the hidden state: every row (no argument, or before a new batch of episodes), or the
   * rows where `done[i]` is nonzero (their episode ended; the next `act` starts a new one).
   */
  resetState(done?: Uint8Array): void {
    if (!this.ws) return;
    const H = this.model.hiddenSize;
    const h = this.ws.gru.hs;
    const c = this.ws.cs;
    if (done === undefined) {
      h.fill(0);
      c?.fill(0);
      return;
    }
    if (!(done instanceof Uint8Array) || done.length !== this.ws.batch)
      throw new TypeError(`resetState: done: expected a Uint8Array of length ${this.ws.batch}`);
    for (let i = 0; i < done.length; i++)
      if (done[i]) {
        h.fill(0, i * H, (i + 1) * H);
        c?.fill(0, i * H, (i + 1) * H);
      }
  }

  /**
   * Actions for raw observations [rows × obsDim], one recurrent step from each row's state (a batch of
   * another size starts from zero states). Int32Array [rows] (discrete) or Float32Array
   * [rows × dim] (box, not clipped; the env clips).
   */
  act(obs: Float32Array, options: ActOptions = {}): Int32Array | Float32Array {
    const rows = observationRows(obs, this.observationDim, 'policy.act: obs');
    if (!this.ws || this.ws.batch !== rows) this.ws = this.model.net.workspace(1, rows);
    let x = obs;
    if (this.obsRms) {
      x = new Float32Array(obs.length);
      this.obsRms.normalize(obs, rows, x, this.clipObs);
    }
    const m = this.model;
    const y = m.net.forwardInto(m.netParams(this.params), x, this.ws, {
      h0: this.ws.gru.hs,
      c0: this.ws.cs,
      resets: null,
      record: false,
    });
    const K = m.policyDim;
    const head = new Float32Array(rows * K);
    m.split(y, rows, head, new Float32Array(rows));
    const key = options.key ?? random.fold(this.streamKey, this.streamCounter++ % 2 ** 32);
    return sampleActions(this.action, head, m.logStd(this.params), rows, key, options.deterministic === true);
  }

  /** The checkpoint contents (kind 'rl.policy', spec with `recurrent`). */
  toCheckpoint(): Checkpoint {
    const s = this.model.spec;
    const arrays: Checkpoint['arrays'] = { params: this.params };
    if (this.obsRms) arrays.obsRms = this.obsRms.toArray();
    return {
      kind: POLICY_KIND,
      meta: {
        spec: {
          obsDim: s.obsDim,
          action: { ...s.action },
          recurrent: { cell: s.recurrent.cell, hidden: s.recurrent.hidden, encoder: [...(s.recurrent.encoder ?? [])] },
        },
        clipObs: this.clipObs,
        info: infoMeta(this.info),
      },
      arrays,
    };
  }

  /** Writes the policy to `path` atomically. */
  async save(path: string): Promise<void> {
    await saveCheckpoint(path, this.toCheckpoint());
  }

  /** True when checkpoint contents hold a recurrent policy. */
  static isRecurrentCheckpoint(c: Checkpoint): boolean {
    const spec = (c.meta as { spec?: { recurrent?: unknown } }).spec;
    return typeof spec === 'object' && spec !== null && spec.recurrent !== undefined;
  }

  /** Rebuilds a recurrent policy from checkpoint contents; OuterloopError when they do not fit. */
  static fromCheckpoint(c: Checkpoint, source = 'checkpoint'): RecurrentPolicy {
    const bad = (what: string): never => {
      throw new OuterloopError(`${source}: not a valid recurrent policy checkpoint (${what})`);
    };
    if (c.kind !== POLICY_KIND) bad(`kind '${c.kind}'`);
    if (!RecurrentPolicy.isRecurrentCheckpoint(c)) bad('no recurrent spec: load it with rl.Policy.load');
    const meta = c.meta as unknown as { spec: RecurrentActorCriticSpec; clipObs?: number; info?: PolicyInfo };
    const params = c.arrays.params;
    if (!(params instanceof Float32Array)) bad('missing params');
    const obsRms = checkpointObsRms(c, meta.spec.obsDim, bad);
    try {
      return new RecurrentPolicy(
        meta.spec,
        params as Float32Array,
        meta.info ?? { env: '?', algo: '?', steps: 0 },
        obsRms,
        meta.clipObs ?? 10,
      );
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e));
    }
  }

  /** Loads a recurrent policy saved with `save`. */
  static async load(path: string): Promise<RecurrentPolicy> {
    return RecurrentPolicy.fromCheckpoint(await loadCheckpoint(path, { kind: POLICY_KIND }), path);
  }
}
