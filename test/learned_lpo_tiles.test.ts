// The 'lpo' objective's drift runs 16 samples per tile (native) with a branch-free tanh
// (native/core/rl/objective.cc's tanhLanes; its js twin driftTanh). Checked here: that tanh against
// Math.tanh (and that a shorter series, a plausible wrong variant, is caught); batch sizes across
// tile boundaries and wide / deep networks against the float64 reference (learned.driftFunction,
// written from LPO's drift: Lu et al. 2022, learned_optimization's discovered_policy_optimisation);
// each sample's gradient independent of the tile it lands in; native results independent of the
// thread count.
import { describe, expect, it } from 'vitest';
import { driftTanh } from '../src/backend/js/rl/drift.js';
import { type RlKernels, type RlLpoObjective, RlPolicyStats } from '../src/backend/kernels/rl.js';
import { learned } from '../src/index.js';
import { backends, nativeBackend } from './helpers/backends.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const N = 2;
const ENT = 0.01;

/** driftTanh's construction with the exponential's series cut at `degree` (13 is the real one). */
function tanhSeries(x: number, degree: number): number {
  const ax = Math.min(Math.abs(x), 20);
  const y = 2 * ax;
  const k = Math.round(y / Math.LN2);
  const s = y - k * Math.LN2;
  let p = 0;
  let f = 1;
  for (let j = 1; j <= degree; j++) f *= j;
  for (let j = degree; j >= 0; j--) {
    p = p * s + 1 / f;
    f = j > 0 ? f / j : 1;
  }
  const t = 1 - 2 / (p * 2 ** k + 1);
  return x < 0 ? -t : t;
}

describe('driftTanh (the drift kernels tanh)', () => {
  it('is within 1e-15 of Math.tanh, odd, exactly 0 at 0, and ±1 far out', () => {
    let worst = 0;
    for (let i = -4000; i <= 4000; i++) {
      const x = i / 160 + 1e-3 * Math.sin(i);
      worst = Math.max(worst, Math.abs(driftTanh(x) - Math.tanh(x)));
      expect(driftTanh(-x) + driftTanh(x)).toBe(0);
    }
    expect(worst).toBeLessThan(1e-15);
    expect(driftTanh(0)).toBe(0);
    // absolute, not relative, accuracy near 0 (enough for activations summed into the drift)
    expect(Math.abs(driftTanh(1e-12) - 1e-12)).toBeLessThan(1e-16);
    expect(driftTanh(50)).toBe(1);
    expect(driftTanh(-1e10)).toBe(-1);
    // the same construction with a degree-13 series matches; a degree-7 one is caught
    let wrong = 0;
    let right = 0;
    for (let x = -3; x <= 3; x += 0.01) {
      right = Math.max(right, Math.abs(tanhSeries(x, 13) - Math.tanh(x)));
      wrong = Math.max(wrong, Math.abs(tanhSeries(x, 7) - Math.tanh(x)));
    }
    expect(right).toBeLessThan(1e-15);
    expect(wrong).toBeGreaterThan(1e-9);
  });
});

function problem(b: number, seed: number) {
  const rand = lcg(seed);
  const logits = Float32Array.from({ length: b * N }, () => rand() * 3 - 1.5);
  const actions = Int32Array.from({ length: b }, () => Math.floor(rand() * N));
  const oldLogp = Float32Array.from({ length: b }, () => Math.log(0.5) + (rand() - 0.5) * 2);
  const adv = Float32Array.from({ length: b }, () => rand() * 4 - 2);
  return { logits, actions, oldLogp, adv };
}

function options(net: learned.DriftFunction, theta: Float32Array, normalizeAdv: boolean, progress: number) {
  return {
    objective: 'lpo',
    clipEps: 0.2,
    entCoef: ENT,
    normalizeAdv,
    driftTheta: theta,
    driftHidden: Int32Array.from(net.hidden),
    driftTemporal: net.temporal,
    driftProgress: progress,
  } satisfies RlLpoObjective;
}

function run(k: RlKernels, c: ReturnType<typeof problem>, o: RlLpoObjective) {
  const dLogits = new Float32Array(c.logits.length);
  const stats = new RlPolicyStats();
  k.rlCategoricalObjective(c.logits, c.actions, c.oldLogp, c.adv, new Float32Array(0), dLogits, stats, o);
  return { dLogits, stats };
}

/** The float64 reference loss (advantages as given): −mean(r·A − D(r, A)) − c·H. */
function lossRef(net: learned.DriftFunction, theta: Float32Array, c: ReturnType<typeof problem>, progress: number) {
  const b = c.adv.length;
  let loss = 0;
  for (let i = 0; i < b; i++) {
    const z = Array.from(c.logits.subarray(i * N, i * N + N), Number);
    const m = Math.max(...z);
    const lz = m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
    const lp = z.map((x) => x - lz);
    const h = -lp.reduce((s, x) => s + Math.exp(x) * x, 0);
    const r = Math.exp((lp[c.actions[i] as number] as number) - (c.oldLogp[i] as number));
    const a = c.adv[i] as number;
    const d = net.at(theta, r, a, net.temporal ? progress : undefined).value;
    loss += -(r * a - d) - ENT * h;
  }
  return loss / b;
}

describe.each(backends)('lpo drift tiles (%s)', (_name, k) => {
  const nets: [string, learned.DriftFunction, number][] = [
    ['[32]', learned.driftFunction({ hidden: [32] }), 0],
    ['[300] (wider than a tile row block)', learned.driftFunction({ hidden: [300] }), 0],
    ['TA-LPO [40, 24, 8]', learned.driftFunction({ hidden: [40, 24, 8], temporal: true }), 0.8],
  ];
  for (const [label, net, progress] of nets)
    it(`${label}: batches of 1, 15, 16, 17 and 50 against the float64 reference`, () => {
      const theta = net.init(2).map((w) => w * 2);
      for (const b of [1, 15, 16, 17, 50]) {
        const c = problem(b, 100 + b);
        const { stats } = run(k, c, options(net, theta, false, progress));
        expect(Math.abs(stats.policyLoss - lossRef(net, theta, c, progress))).toBeLessThan(1e-6);
      }
    });

  it("each sample's gradient is the same alone as in any lane of any tile", () => {
    const net = learned.driftFunction({ hidden: [24] });
    const theta = net.init(4).map((w) => w * 3);
    const b = 37;
    const c = problem(b, 9);
    const o = options(net, theta, false, 0);
    const all = run(k, c, o).dLogits;
    for (const i of [0, 7, 15, 16, 31, 32, 36]) {
      const one = {
        logits: c.logits.slice(i * N, i * N + N),
        actions: c.actions.slice(i, i + 1),
        oldLogp: c.oldLogp.slice(i, i + 1),
        adv: c.adv.slice(i, i + 1),
      };
      const alone = run(k, one, o).dLogits;
      // in the batch, each gradient is divided by b; alone, by 1
      for (let j = 0; j < N; j++)
        expect(Math.abs((all[i * N + j] as number) * b - (alone[j] as number))).toBeLessThan(1e-6);
    }
  });
});

describe.skipIf(!nativeBackend)('lpo drift tiles: native thread count', () => {
  it('gives the same bits on 1 and 2 threads', () => {
    const n = nativeBackend as NonNullable<typeof nativeBackend>;
    const net = learned.driftFunction({ hidden: [32], temporal: true });
    const theta = net.init(5);
    const c = problem(203, 5);
    const o = options(net, theta, true, 0.3);
    const before = n.threads();
    n.threads(1);
    const one = run(n, c, o);
    n.threads(2);
    const two = run(n, c, o);
    n.threads(before);
    expect(Array.from(two.dLogits)).toEqual(Array.from(one.dLogits));
    expect(Array.from(two.stats)).toEqual(Array.from(one.stats));
  });
});
