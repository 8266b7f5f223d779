// metaRl.reptile with the PPO inner loop (inner: 'ppo'). The inner minibatch gradient is checked
// against a float64 reference written from Schulman et al. (2017), eq. 7 — the clipped surrogate
// L^CLIP = Ê[min(r A, clip(r, 1 − ε, 1 + ε) A)], here the weighted mean over the task's steps with
// metaRl.maml's weights — differentiated by central differences; the unclipped surrogate and the
// clip on the wrong side (max instead of min) are caught. With 1 epoch, 1 minibatch and SGD the
// first inner update is the VPG step (ratio 1, same gradient). Plus determinism, bit-identical
// resume, adapt/evaluate using the same loop, config errors, and native ≡ js.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import type { BackendName } from '../src/backend/types.js';
import { metaRl } from '../src/index.js';
import { loadCheckpoint } from '../src/io/checkpoint.js';
import { resolveMamlConfig } from '../src/metarl/maml/config.js';
import type { TaskBatch } from '../src/metarl/maml/episodes.js';
import { adaptAll } from '../src/metarl/maml/evaluate.js';
import { learnerFromCheckpoint } from '../src/metarl/maml/from_checkpoint.js';
import { EnvPool } from '../src/metarl/maml/meta_batch.js';
import { type GaussianPolicy, gaussianPolicy } from '../src/metarl/maml/policy.js';
import {
  gatherMinibatch,
  ppoInnerLoop,
  ppoInnerOptimizer,
  ppoInnerUpdate,
  ppoMinibatchGrads,
  resolvePpoInner,
} from '../src/metarl/maml/ppo_inner.js';
import * as random from '../src/random/index.js';
import { backends } from './helpers/backends.js';
import { cli, scratchDir } from './helpers/cli.js';
import { smallNavigation } from './helpers/maml_fixtures.js';

const small = smallNavigation;

const c = resolveMamlConfig(small, 'test');
const pool = new EnvPool(c);
const policy: GaussianPolicy = gaussianPolicy(pool.any(), [5], 'tanh');
afterAll(() => {
  pool.close();
  use(backends[0]?.[0] as BackendName);
});

/** A fixed two-task batch (4 and 5 steps) with given weights, advantages and old log-probs. */
function fixedBatch(theta: Float32Array[]): TaskBatch {
  const rowStart = Int32Array.of(0, 4, 9);
  const n = 9;
  const u = random.uniform(random.key(7), n * 4);
  const b: TaskBatch = {
    tasks: 2,
    rowStart,
    obs: Float32Array.from({ length: 2 * n }, (_, i) => 2 * (u[i] as number) - 1),
    actions: Float32Array.from({ length: 2 * n }, (_, i) => 1.5 * (u[2 * n + i] as number) - 0.75),
    weight: Float64Array.from(
      { length: n },
      (_, k) => (k < 4 ? [0.1, 0.2, 0.3, 0.4][k] : [0.3, 0.1, 0.2, 0.15, 0.25][k - 4]) as number,
    ),
    adv: Float64Array.from({ length: n }, (_, k) => [1.2, -0.7, 0.9, -1.4, 0.5, -0.3, 1.1, -1.0, 0.8][k] as number),
    logpOld: new Float64Array(n),
    taskReturn: new Float64Array(2),
    envSteps: n,
  };
  // Old log-probs offset from the current policy's so the ratios spread over both sides of the
  // clip range (ε = 0.2): ρ = e^{−δ}, away from the kinks at 0.8 and 1.2.
  const delta = [0.5, -0.4, -0.3, 0.35, 0.05, -0.1, -0.45, 0.6, 0.3];
  for (let t = 0; t < 2; t++)
    for (let k = rowStart[t] as number; k < (rowStart[t + 1] as number); k++)
      b.logpOld[k] = logp64(theta[t] as Float32Array, b, k) + (delta[k] as number);
  return b;
}

/** log π_θ(a_k|s_k) in float64 (the MLP's float64 forward). */
function logp64(theta: ArrayLike<number>, b: TaskBatch, k: number): number {
  const P = policy.mlpSize;
  const mu = policy.mlp.forward64(Array.from(theta).slice(0, P), b.obs.subarray(2 * k, 2 * k + 2), 1);
  let lp = 0;
  for (let d = 0; d < 2; d++) {
    const s = theta[P + d] as number;
    const z = ((b.actions[2 * k + d] as number) - (mu[d] as number)) * Math.exp(-s);
    lp += -0.5 * z * z - s - 0.5 * Math.log(2 * Math.PI);
  }
  return lp;
}

type Variant = 'clip' | 'unclipped' | 'wrong-side';
/** −Σ_k w_k term_k / Σ w over task t's rows, term from Schulman et al. (2017) eq. 7 (or a wrong variant). */
function reference(theta: ArrayLike<number>, b: TaskBatch, t: number, eps: number, v: Variant): number {
  let s = 0;
  let W = 0;
  for (let k = b.rowStart[t] as number; k < (b.rowStart[t + 1] as number); k++) {
    const r = Math.exp(logp64(theta, b, k) - (b.logpOld[k] as number));
    const A = b.adv[k] as number;
    const rc = Math.min(Math.max(r, 1 - eps), 1 + eps);
    const term = v === 'clip' ? Math.min(r * A, rc * A) : v === 'unclipped' ? r * A : Math.max(r * A, rc * A);
    s += (b.weight[k] as number) * term;
    W += b.weight[k] as number;
  }
  return -s / W;
}

function fdGrad(theta: Float32Array, b: TaskBatch, t: number, eps: number, v: Variant): Float64Array {
  const x = Float64Array.from(theta);
  const g = new Float64Array(x.length);
  const h = 1e-6;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i] as number;
    x[i] = x0 + h;
    const fp = reference(x, b, t, eps, v);
    x[i] = x0 - h;
    const fm = reference(x, b, t, eps, v);
    x[i] = x0;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe.each(backends)('metaRl.reptile PPO inner loop (%s)', (name) => {
  it("the minibatch gradient is the clipped surrogate's (float64 central differences)", () => {
    use(name as BackendName);
    const thetas = [policy.init(random.key(1)), policy.init(random.key(2))];
    thetas[1]?.fill(0.3, policy.mlpSize); // a non-zero log-std
    const b = fixedBatch(thetas);
    const S = policy.size;
    const params = new Float32Array(2 * S);
    params.set(thetas[0] as Float32Array, 0);
    params.set(thetas[1] as Float32Array, S);
    const mb = gatherMinibatch(b, 2, 2, [null, null], 0, 1);
    const { grad, clipFraction } = ppoMinibatchGrads(policy, mb, params, 0.2);
    expect(clipFraction).toBeGreaterThan(0);
    for (let t = 0; t < 2; t++) {
      const got = grad.subarray(t * S, (t + 1) * S);
      const want = fdGrad(thetas[t] as Float32Array, b, t, 0.2, 'clip');
      const scale = Math.max(...Array.from(want, Math.abs));
      expect(maxAbs(got, want) / scale).toBeLessThan(2e-5);
      for (const wrong of ['unclipped', 'wrong-side'] as const)
        expect(maxAbs(got, fdGrad(thetas[t] as Float32Array, b, t, 0.2, wrong)) / scale).toBeGreaterThan(1e-2);
    }
    // Two minibatches of a shuffled order: each is its rows' weighted mean.
    const order = [Int32Array.of(2, 0, 3, 1), Int32Array.of(4, 1, 0, 3, 2)];
    const mb1 = gatherMinibatch(b, 2, 2, order, 1, 2);
    const g1 = ppoMinibatchGrads(policy, mb1, params, 0.2).grad;
    const sub: TaskBatch = {
      ...b,
      rowStart: Int32Array.of(0, 2, 5),
      obs: mb1.obs,
      actions: mb1.actions,
      weight: Float64Array.of(
        ...[3, 1].map((k) => b.weight[k] as number),
        ...[0, 3, 2].map((k) => b.weight[4 + k] as number),
      ),
      adv: Float64Array.of(...[3, 1].map((k) => b.adv[k] as number), ...[0, 3, 2].map((k) => b.adv[4 + k] as number)),
      logpOld: Float64Array.from(mb1.logpOld),
    };
    for (let t = 0; t < 2; t++) {
      const want = fdGrad(thetas[t] as Float32Array, sub, t, 0.2, 'clip');
      const scale = Math.max(...Array.from(want, Math.abs));
      expect(maxAbs(g1.subarray(t * S, (t + 1) * S), want) / scale).toBeLessThan(2e-5);
    }
  });

  it('with 1 epoch, 1 minibatch and SGD the first inner update is the VPG step', async () => {
    use(name as BackendName);
    const ppo = { epochs: 1, minibatches: 1, optimizer: 'sgd', lr: 0.1, clip: 1e6 } as const;
    const cfg = { ...small, innerSteps: 1 }; // innerLr: the default 0.1
    const theta = metaRl.reptile(cfg).init(3);
    const a = await metaRl.reptile(cfg).train({ iterations: 1, seed: 3, init: theta });
    const b = await metaRl.reptile({ ...cfg, inner: 'ppo', ppo }).train({ iterations: 1, seed: 3, init: theta });
    const step = maxAbs(a.params, theta);
    expect(step).toBeGreaterThan(1e-3);
    expect(maxAbs(b.params, a.params) / step).toBeLessThan(1e-5);
    // Two epochs (a second step on the same batch, ratios ≠ 1) is another update.
    const e2 = await metaRl
      .reptile({ ...cfg, inner: 'ppo', ppo: { ...ppo, epochs: 2 } })
      .train({ iterations: 1, seed: 3, init: theta });
    expect(maxAbs(e2.params, a.params) / step).toBeGreaterThan(1e-2);
  });
});

describe('metaRl.reptile inner: ppo', () => {
  const ppoCfg = { ...small, inner: 'ppo', ppo: { epochs: 2, minibatches: 2 } } as const;

  it('reports the inner loop clip fraction in progress (0 for the VPG step, which does not clip)', async () => {
    const clipFractions = async (cfg: Parameters<typeof metaRl.reptile>[0]): Promise<number[]> => {
      const xs: number[] = [];
      await metaRl.reptile(cfg).train({ iterations: 2, seed: 0, onProgress: (p) => xs.push(p.clipFraction) });
      return xs;
    };
    // A large inner lr moves the ratios past 1 ± ε within the epochs.
    const ppo = await clipFractions({ ...small, inner: 'ppo', ppo: { epochs: 4, minibatches: 2, lr: 0.1 } });
    for (const f of ppo) {
      expect(f).toBeGreaterThan(0);
      expect(f).toBeLessThanOrEqual(1);
    }
    expect(await clipFractions(small)).toEqual([0, 0]);
  });

  it('rejects bad configs, naming the setting', () => {
    expect(() => metaRl.reptile({ ...small, inner: 'trpo' as 'ppo' })).toThrow(/inner: expected 'vpg' or 'ppo'/);
    expect(() => metaRl.reptile({ ...small, ppo: { epochs: 2 } })).toThrow(/ppo: only read with inner: 'ppo'/);
    expect(() => metaRl.reptile({ ...ppoCfg, ppo: { epochs: 0 } })).toThrow(/ppo: epochs/);
    expect(() => metaRl.reptile({ ...ppoCfg, ppo: { minibatches: 1.5 } })).toThrow(/ppo: minibatches/);
    expect(() => metaRl.reptile({ ...ppoCfg, ppo: { clip: 0 } })).toThrow(/ppo: clip/);
    expect(() => metaRl.reptile({ ...ppoCfg, ppo: { lr: -1 } })).toThrow(/ppo: lr/);
    expect(() => metaRl.reptile({ ...ppoCfg, ppo: { optimizer: 'rmsprop' as 'sgd' } })).toThrow(/ppo: optimizer/);
    expect(() => metaRl.reptile({ ...ppoCfg, ppo: { epoch: 2 } as never })).toThrow(/ppo.*epoch/);
    expect(() => metaRl.reptile({ ...ppoCfg, ppo: 3 as never })).toThrow(TypeError);
    expect(() => metaRl.reptile({ ...ppoCfg, innerLr: 0.1 })).toThrow(/innerLr: .*unused with inner: 'ppo'/);
  });

  it('is deterministic, resumes bit-identically, and adapt/evaluate use the PPO loop', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reptile-ppo-'));
    const ck = path.join(dir, 'ck.olck');
    const a = await metaRl.reptile(ppoCfg).train({ iterations: 3, seed: 1 });
    const a2 = await metaRl.reptile(ppoCfg).train({ iterations: 3, seed: 1 });
    expect(a2.params).toEqual(a.params);
    await metaRl.reptile(ppoCfg).train({ iterations: 1, seed: 1, checkpoint: ck });
    const b = await metaRl.reptile(ppoCfg).train({ iterations: 3, resume: ck });
    expect(b.params).toEqual(a.params);
    // A VPG learner refuses the PPO checkpoint (another config).
    await expect(metaRl.reptile(small).train({ iterations: 3, resume: ck })).rejects.toThrow(/another config/);
    fs.rmSync(dir, { recursive: true });

    const learner = metaRl.reptile(ppoCfg);
    const task = pool.any().sampleTasks(random.key(5), 1);
    const adapted = await learner.adapt(a.params, task, { steps: 2, episodes: 2, seed: 4 });
    const loop = ppoInnerLoop(resolvePpoInner(ppoCfg.ppo, 'test'));
    const gp = gaussianPolicy(pool.any(), [8], 'tanh');
    const want = adaptAll(pool, gp, c, a.params, task, 2, 2, c.innerLr, random.key(4), loop).adapted[0];
    expect(adapted).toEqual(want);
    const vpg = await metaRl.reptile(small).adapt(a.params, task, { steps: 2, episodes: 2, seed: 4 });
    expect(maxAbs(vpg, adapted)).toBeGreaterThan(1e-3);
    const ev = await learner.evaluate(a.params, {
      tasks: 2,
      steps: [0, 1],
      episodes: 2,
      baselines: { pretrained: false },
    });
    expect(ev.meta.map((s) => s.steps)).toEqual([0, 1]);
  });

  it.skipIf(backends.length < 2)('native ≡ js: one inner update (2 epochs × 2 minibatches, Adam)', () => {
    const thetas = [policy.init(random.key(1)), policy.init(random.key(2))];
    const S = policy.size;
    const o = resolvePpoInner({ epochs: 2, minibatches: 2 }, 'test');
    const run = (be: string): Float32Array => {
      use(be as BackendName);
      const b = fixedBatch(thetas);
      const params = new Float32Array(2 * S);
      params.set(thetas[0] as Float32Array, 0);
      params.set(thetas[1] as Float32Array, S);
      const opt = ppoInnerOptimizer(o);
      ppoInnerUpdate(policy, b, params, o, opt, opt.init(params), random.key(9));
      return params;
    };
    const nat = run('native');
    const js = run('js');
    expect(maxAbs(nat.subarray(0, S), thetas[0] as Float32Array)).toBeGreaterThan(1e-3);
    expect(maxAbs(nat, js)).toBeLessThan(1e-5);
  });
});

describe('outerloop meta-rl reptile --inner ppo', () => {
  const tmp = scratchDir('cli-reptile-ppo-');
  const tiny = ['--iterations', '1', '--meta-batch', '2', '--episodes-per-task', '2', '--hidden', '8'];
  const rest = ['--max-episode-steps', '5', '--eval-tasks', '2', '--eval-episodes', '2', '--pretrain-iterations', '0'];

  it('trains with the PPO flags, which reach the learner (its checkpoint config)', async () => {
    const out = path.join(tmp, 'ppo');
    const ppo = ['--inner', 'ppo', '--ppo-epochs', '2', '--ppo-minibatches', '1', '--ppo-optimizer', 'sgd'];
    const printed = JSON.parse(await cli('meta-rl', 'reptile', ...tiny, ...rest, ...ppo, '--json', '--out', out));
    expect(printed.evaluation.meta).toHaveLength(4);
    expect(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).toContain('"inner": "ppo"');
    const meta = (await loadCheckpoint(path.join(out, 'checkpoint.olck'))).meta as { config: Record<string, unknown> };
    expect(meta.config.inner).toBe('ppo');
    expect(meta.config.ppo).toEqual({ epochs: 2, minibatches: 1, clip: 0.2, lr: 3e-3, optimizer: 'sgd' });
    // `outerloop eval` rebuilds the same learner (PPO inner loop included) from the checkpoint.
    const { learner } = await learnerFromCheckpoint(path.join(out, 'checkpoint.olck'), 'metaRl.reptile');
    expect(learner.config).toEqual(meta.config);
  });

  it('refuses PPO flags without --inner ppo', async () => {
    await expect(cli('meta-rl', 'reptile', ...tiny, ...rest, '--ppo-epochs', '2')).rejects.toThrow(
      /only read with inner/,
    );
  });
});
