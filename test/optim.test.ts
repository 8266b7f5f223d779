// Every update rule against a hand-written float64 reference of the rule its file names (written
// from the paper or the authors' code named at each case, never from our kernels), over several
// steps with non-trivial hyperparameters (bias correction, weight decay, the t = 1 step), on each
// backend, in three settings: 6 steps, 100 steps, and gradients of 1e-6 (near ε). The tolerance is
// float32 rounding (the worst correct rule measured 1.1e-7 over 6 steps); a second table proves the
// tests' power: plausible wrong variants of the rules (ε placement, decay order, a degenerate
// prediction) differ from the references by several tolerances. Then native-vs-js parity;
// convergence on a convex quadratic and progress on Rosenbrock from a fixed start.
//
// Where each reference comes from (see ../shared/reference/optimizers-and-es.md):
//   sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, amsgrad, adamax, nadam —
//     torch.optim (PyTorch's documented update rules); yogi, novograd — optax; grams — the authors'
//     code (Gunale0926/Grams) and the paper's §4.1 formula; diffgrad — shivram1987/diffGrad
//     (diffGrad_v2.py); lion — google/automl lion_pytorch.py; madgrad — facebookresearch/madgrad;
//     adagradNorm — Ward, Wu, Bottou (AdaGrad-Norm); optimisticAmsgrad — arXiv 1903.01435 Alg. 1–2;
//     gravity — dariush-bahrami/gravity.optimizer (Keras); aegd — txping/AEGD aegd.py; swats — the
//     paper's Adam phase as pytorch_optimizer's swats.py; complexMomentum — Lorraine et al. 2022;
//     grokfast — ironjr/grokfast gradfilter_ema.
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import type { Backend } from '../src/backend/types.js';
import { optim } from '../src/index.js';
import type { Optimizer, StepExtra } from '../src/optim/index.js';
import { backends, jsBackend, maxRelDiff, nativeBackend, paritySuite } from './helpers/backends.js';
import { solveDense } from './helpers/linalg.js';

const N = 7;
/** Float32 rounding over the short runs: the worst correct rule measured 1.1e-7 (sgd). */
const TOL = 2e-7;
const P0 = Array.from({ length: N }, (_, i) => 0.5 - 0.3 * i + 0.05 * i * i);
/** A fixed gradient sequence (t from 1): varied signs and magnitudes, no zeros. */
function grad(t: number, i: number): number {
  return Math.sin(1.3 * t + 0.7 * i + 0.4) * (1 + 0.5 * i) + 0.05 * (i - 3);
}
const LOSS = (t: number) => 0.5 + 0.1 * t; // for AEGD

type Ref = { p: number[]; s: Record<string, number[] | number> };
type RefStep = (r: Ref, g: number[], t: number) => void;

const arr = (r: Ref, k: string, fill = 0): number[] => {
  r.s[k] ??= new Array<number>(N).fill(fill);
  return r.s[k] as number[];
};
const num = (r: Ref, k: string, init: number): number => {
  r.s[k] ??= init;
  return r.s[k] as number;
};
const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

interface Case {
  name: string;
  make: () => Optimizer;
  ref: RefStep;
  extra?: (t: number) => StepExtra;
  /** Steps too small to move the parameters by 1e-3 in 6 steps (small-lr cases). */
  small?: boolean;
  /** Steps of order 1 (lr 1) round at the step's scale: the tolerance is relative to it. */
  stepScale?: number;
}

function adamRef(o: {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  wd: number;
  decoupled: boolean;
  ams: boolean;
  /** A wrong variant for the power table: ε added to the uncorrected √v (step lr·√bc2/bc1). */
  epsOnRaw?: boolean;
}): RefStep {
  return (r, g, t) => {
    const m = arr(r, 'm');
    const v = arr(r, 'v');
    const vm = arr(r, 'vm');
    const bc1 = 1 - o.b1 ** t;
    const bc2 = 1 - o.b2 ** t;
    for (let i = 0; i < N; i++) {
      let p = r.p[i] as number;
      let gi = g[i] as number;
      if (o.decoupled) p *= 1 - o.lr * o.wd;
      else gi += o.wd * p;
      m[i] = o.b1 * (m[i] as number) + (1 - o.b1) * gi;
      v[i] = o.b2 * (v[i] as number) + (1 - o.b2) * gi * gi;
      vm[i] = Math.max(vm[i] as number, v[i] as number);
      const vv = o.ams ? (vm[i] as number) : (v[i] as number);
      r.p[i] = o.epsOnRaw
        ? p - ((o.lr * Math.sqrt(bc2)) / bc1) * ((m[i] as number) / (Math.sqrt(vv) + o.eps))
        : p - ((o.lr / bc1) * (m[i] as number)) / (Math.sqrt(vv) / Math.sqrt(bc2) + o.eps);
    }
  };
}

/** Grams: 'official' as the authors' grams.py, 'paper' as the paper's §4.1 formula. */
function gramsRef(variant: 'official' | 'paper'): RefStep {
  return (r, g, t) => {
    const m = arr(r, 'm');
    const v = arr(r, 'v');
    const bc1 = 1 - 0.8 ** t;
    const bc2 = 1 - 0.95 ** t;
    for (let i = 0; i < N; i++) {
      const gi = g[i] as number;
      const p = (r.p[i] as number) * (1 - 0.02 * 0.1);
      m[i] = 0.8 * (m[i] as number) + 0.2 * gi;
      v[i] = 0.95 * (v[i] as number) + 0.05 * gi * gi;
      const mag =
        variant === 'official'
          ? ((0.02 * Math.sqrt(bc2)) / bc1) * (Math.abs(m[i] as number) / (Math.sqrt(v[i] as number) + 1e-6))
          : 0.02 * Math.abs((m[i] as number) / bc1 / (Math.sqrt((v[i] as number) / bc2) + 1e-6));
      r.p[i] = p - sign(gi) * mag;
    }
  };
}

/** AEGD as txping/AEGD: v = g/(2√(f+c)) + wd·p. `decayFirst`: the wrong order (wd·p scaled too). */
function aegdRef(decayFirst: boolean): RefStep {
  return (r, g, t) => {
    const sq = Math.sqrt(LOSS(t) + 1);
    const e = arr(r, 'e', sq);
    for (let i = 0; i < N; i++) {
      const p = r.p[i] as number;
      const v = decayFirst ? ((g[i] as number) + 0.05 * p) / (2 * sq) : (g[i] as number) / (2 * sq) + 0.05 * p;
      e[i] = (e[i] as number) / (1 + 2 * 0.1 * v * v);
      r.p[i] = p - 2 * 0.1 * (e[i] as number) * v;
    }
  };
}

/** SWATS' Adam phase: p_k = −lr·√bc2/bc1 · m/(√a + ε). `epsCorrected`: ε on √(a/bc2) (wrong). */
function swatsRef(epsCorrected: boolean): RefStep {
  return (r, g, t) => {
    const m = arr(r, 'm');
    const a = arr(r, 'a');
    const bc1 = 1 - 0.8 ** t;
    const bc2 = 1 - 0.9 ** t;
    for (let i = 0; i < N; i++) {
      const gi = (g[i] as number) + 0.05 * (r.p[i] as number);
      m[i] = 0.8 * (m[i] as number) + 0.2 * gi;
      a[i] = 0.9 * (a[i] as number) + 0.1 * gi * gi;
      const step = epsCorrected
        ? (-0.01 / bc1) * ((m[i] as number) / (Math.sqrt((a[i] as number) / bc2) + 1e-6))
        : ((-0.01 * Math.sqrt(bc2)) / bc1) * ((m[i] as number) / (Math.sqrt(a[i] as number) + 1e-6));
      r.p[i] = (r.p[i] as number) + step;
    }
  };
}

/** MADGRAD with momentum 0.8 and coupled decay 0.02; `lrPlusEps` false is the wrong variant. */
function madgradRef(lrPlusEps: boolean): RefStep {
  return (r, g, t) => {
    const s = arr(r, 's');
    const nu = arr(r, 'nu');
    if (t === 1) r.s.x0 = [...r.p];
    const x0 = r.s.x0 as number[];
    const lr = lrPlusEps ? 0.05 + 1e-6 : 0.05;
    const lamb = lr * Math.sqrt(t);
    for (let i = 0; i < N; i++) {
      const gi = (g[i] as number) + 0.02 * (r.p[i] as number);
      nu[i] = (nu[i] as number) + lamb * gi * gi;
      s[i] = (s[i] as number) + lamb * gi;
      const z = (x0[i] as number) - (s[i] as number) / (Math.cbrt(nu[i] as number) + 1e-6);
      r.p[i] = 0.8 * (r.p[i] as number) + 0.2 * z;
    }
  };
}

/**
 * Optimistic-AMSGrad from the paper (lr 0.01, b1 0.8, b2 0.9, ε 1e-6): Algorithm 1 with the next
 * gradient predicted by Algorithm 2 (RMPE over the last r + 1 = 4 gradients, λ = 1e-2·tr(UᵀU)/r).
 * `guess` 'current' is the degenerate variant (m_{t+1} = g_t), which is plain AMSGrad's step twice.
 */
function optimisticRef(guess: 'rmpe' | 'current'): RefStep {
  return (r, g, t) => {
    const m = arr(r, 'm');
    const v = arr(r, 'v');
    const vh = arr(r, 'vh', 1e-6);
    if (t === 1) r.s.wh = [...r.p];
    const wh = r.s.wh as number[];
    const hist = (r.s.hist ?? []) as unknown as number[][];
    hist.push([...g]);
    if (hist.length > 4) hist.shift();
    (r.s as Record<string, unknown>).hist = hist;
    let pred = [...g];
    const k = hist.length - 1;
    if (guess === 'rmpe' && k >= 1) {
      const U = Array.from({ length: k }, (_, j) => hist[j + 1]!.map((x, i) => x - hist[j]![i]!));
      const UtU = U.map((a) => U.map((b) => a.reduce((acc, x, i) => acc + x * b[i]!, 0)));
      const tr = UtU.reduce((acc, row, j) => acc + row[j]!, 0);
      if (tr > 0) {
        const z = solveDense(
          UtU.map((row, j) => row.map((x, c) => x + (c === j ? (1e-2 * tr) / k : 0))),
          new Array<number>(k).fill(1),
        );
        const zs = z.reduce((a, b) => a + b, 0);
        pred = new Array<number>(N).fill(0).map((_, i) => z.reduce((acc, zj, j) => acc + (zj / zs) * hist[j]![i]!, 0));
      }
    }
    for (let i = 0; i < N; i++) {
      const gi = g[i] as number;
      const mPrev = m[i] as number;
      m[i] = 0.8 * mPrev + 0.2 * gi;
      v[i] = 0.9 * (v[i] as number) + 0.1 * gi * gi;
      vh[i] = Math.max(vh[i] as number, v[i] as number);
      wh[i] = (wh[i] as number) - (0.01 * (m[i] as number)) / Math.sqrt(vh[i] as number);
      const h = 0.8 * mPrev + 0.2 * (pred[i] as number);
      r.p[i] = (wh[i] as number) - (0.01 * h) / Math.sqrt(vh[i] as number);
    }
  };
}

const cases: Case[] = [
  {
    name: 'sgd (weight decay)',
    make: () => optim.sgd({ lr: 0.1, weightDecay: 0.05 }),
    ref: (r, g) => {
      for (let i = 0; i < N; i++) r.p[i] = (r.p[i] as number) - 0.1 * ((g[i] as number) + 0.05 * (r.p[i] as number));
    },
  },
  {
    name: 'momentum (dampening, weight decay)',
    make: () => optim.sgd({ lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.02 }),
    ref: (r, g, t) => {
      const b = arr(r, 'b');
      for (let i = 0; i < N; i++) {
        const d = (g[i] as number) + 0.02 * (r.p[i] as number);
        b[i] = t === 1 ? d : 0.8 * (b[i] as number) + 0.7 * d; // torch: buf = d on the first step
        r.p[i] = (r.p[i] as number) - 0.05 * (b[i] as number);
      }
    },
  },
  {
    name: 'nesterov',
    make: () => optim.nesterov({ lr: 0.05, momentum: 0.7, weightDecay: 0.01 }),
    ref: (r, g, t) => {
      const b = arr(r, 'b');
      for (let i = 0; i < N; i++) {
        const d = (g[i] as number) + 0.01 * (r.p[i] as number);
        b[i] = t === 1 ? d : 0.7 * (b[i] as number) + d;
        r.p[i] = (r.p[i] as number) - 0.05 * (d + 0.7 * (b[i] as number));
      }
    },
  },
  {
    name: 'adagrad (lr decay, initial accumulator)',
    make: () => optim.adagrad({ lr: 0.1, lrDecay: 0.05, initialAccumulatorValue: 0.2, eps: 1e-6, weightDecay: 0.03 }),
    ref: (r, g, t) => {
      const s = arr(r, 's', 0.2);
      const clr = 0.1 / (1 + (t - 1) * 0.05);
      for (let i = 0; i < N; i++) {
        const gi = (g[i] as number) + 0.03 * (r.p[i] as number);
        s[i] = (s[i] as number) + gi * gi;
        r.p[i] = (r.p[i] as number) - (clr * gi) / (Math.sqrt(s[i] as number) + 1e-6);
      }
    },
  },
  {
    name: 'adadelta',
    make: () => optim.adadelta({ lr: 0.5, rho: 0.8, eps: 1e-4, weightDecay: 0.02 }),
    ref: (r, g) => {
      const v = arr(r, 'v');
      const u = arr(r, 'u');
      for (let i = 0; i < N; i++) {
        const gi = (g[i] as number) + 0.02 * (r.p[i] as number);
        v[i] = 0.8 * (v[i] as number) + 0.2 * gi * gi;
        const d = (Math.sqrt((u[i] as number) + 1e-4) / Math.sqrt((v[i] as number) + 1e-4)) * gi;
        u[i] = 0.8 * (u[i] as number) + 0.2 * d * d;
        r.p[i] = (r.p[i] as number) - 0.5 * d;
      }
    },
  },
  {
    name: 'rmsprop (centered, momentum)',
    make: () => optim.rmsprop({ lr: 0.01, decay: 0.9, eps: 1e-6, momentum: 0.5, centered: true, weightDecay: 0.01 }),
    ref: (r, g) => {
      const v = arr(r, 'v');
      const ga = arr(r, 'ga');
      const b = arr(r, 'b');
      for (let i = 0; i < N; i++) {
        const gi = (g[i] as number) + 0.01 * (r.p[i] as number);
        v[i] = 0.9 * (v[i] as number) + 0.1 * gi * gi;
        ga[i] = 0.9 * (ga[i] as number) + 0.1 * gi;
        const d = Math.sqrt((v[i] as number) - (ga[i] as number) ** 2) + 1e-6;
        b[i] = 0.5 * (b[i] as number) + gi / d;
        r.p[i] = (r.p[i] as number) - 0.01 * (b[i] as number);
      }
    },
  },
  {
    name: 'rmsprop (plain)',
    make: () => optim.rmsprop({ lr: 0.01, decay: 0.95 }),
    ref: (r, g) => {
      const v = arr(r, 'v');
      for (let i = 0; i < N; i++) {
        const gi = g[i] as number;
        v[i] = 0.95 * (v[i] as number) + 0.05 * gi * gi;
        r.p[i] = (r.p[i] as number) - (0.01 * gi) / (Math.sqrt(v[i] as number) + 1e-8);
      }
    },
  },
  {
    name: 'adam (coupled weight decay)',
    make: () => optim.adam({ lr: 0.01, b1: 0.8, b2: 0.95, eps: 1e-6, weightDecay: 0.1 }),
    ref: adamRef({ lr: 0.01, b1: 0.8, b2: 0.95, eps: 1e-6, wd: 0.1, decoupled: false, ams: false }),
  },
  {
    name: 'adamw',
    make: () => optim.adamw({ lr: 0.01, b1: 0.85, b2: 0.99, weightDecay: 0.2 }),
    ref: adamRef({ lr: 0.01, b1: 0.85, b2: 0.99, eps: 1e-8, wd: 0.2, decoupled: true, ams: false }),
  },
  {
    name: 'adam (lr 1)',
    make: () => optim.adam({ lr: 1, b1: 0.9, b2: 0.999, eps: 1e-8 }),
    ref: adamRef({ lr: 1, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false, ams: false }),
    stepScale: 2,
  },
  {
    name: 'adam (lr 1e-5)',
    make: () => optim.adam({ lr: 1e-5, b1: 0.9, b2: 0.999, eps: 1e-8 }),
    ref: adamRef({ lr: 1e-5, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false, ams: false }),
    small: true,
  },
  {
    name: 'amsgrad (torch convention)',
    make: () => optim.amsgrad({ lr: 0.02, b1: 0.7, b2: 0.9, eps: 1e-7 }),
    ref: adamRef({ lr: 0.02, b1: 0.7, b2: 0.9, eps: 1e-7, wd: 0, decoupled: false, ams: true }),
  },
  {
    name: 'adamax',
    make: () => optim.adamax({ lr: 0.02, b1: 0.8, b2: 0.9, eps: 1e-6, weightDecay: 0.05 }),
    ref: (r, g, t) => {
      const m = arr(r, 'm');
      const u = arr(r, 'u');
      for (let i = 0; i < N; i++) {
        const gi = (g[i] as number) + 0.05 * (r.p[i] as number);
        m[i] = 0.8 * (m[i] as number) + 0.2 * gi;
        u[i] = Math.max(0.9 * (u[i] as number), Math.abs(gi) + 1e-6);
        r.p[i] = (r.p[i] as number) - ((0.02 / (1 - 0.8 ** t)) * (m[i] as number)) / (u[i] as number);
      }
    },
  },
  {
    name: 'nadam (weight decay)',
    make: () => optim.nadam({ lr: 0.01, b1: 0.85, b2: 0.95, eps: 1e-6, weightDecay: 0.05, momentumDecay: 0.01 }),
    ref: (r, g, t) => {
      const m = arr(r, 'm');
      const v = arr(r, 'v');
      const mu = 0.85 * (1 - 0.5 * 0.96 ** (t * 0.01));
      const muNext = 0.85 * (1 - 0.5 * 0.96 ** ((t + 1) * 0.01));
      const prod = num(r, 'prod', 1) * mu;
      r.s.prod = prod;
      for (let i = 0; i < N; i++) {
        const gi = (g[i] as number) + 0.05 * (r.p[i] as number);
        m[i] = 0.85 * (m[i] as number) + 0.15 * gi;
        v[i] = 0.95 * (v[i] as number) + 0.05 * gi * gi;
        const d = Math.sqrt((v[i] as number) / (1 - 0.95 ** t)) + 1e-6;
        r.p[i] =
          (r.p[i] as number) -
          ((0.01 * (1 - mu)) / (1 - prod)) * (gi / d) -
          ((0.01 * muNext) / (1 - prod * muNext)) * ((m[i] as number) / d);
      }
    },
  },
  {
    name: 'yogi (optax)',
    make: () => optim.yogi({ lr: 0.05, b1: 0.8, b2: 0.9, eps: 1e-3, initialAccumulatorValue: 0.01 }),
    ref: (r, g, t) => {
      const m = arr(r, 'm', 0.01);
      const v = arr(r, 'v', 0.01);
      for (let i = 0; i < N; i++) {
        const gi = g[i] as number;
        m[i] = 0.8 * (m[i] as number) + 0.2 * gi;
        v[i] = (v[i] as number) - 0.1 * sign((v[i] as number) - gi * gi) * gi * gi;
        const mh = (m[i] as number) / (1 - 0.8 ** t);
        const vh = (v[i] as number) / (1 - 0.9 ** t);
        r.p[i] = (r.p[i] as number) - (0.05 * mh) / (Math.sqrt(vh) + 1e-3);
      }
    },
  },
  {
    name: 'grams official (decoupled decay; Gunale0926/Grams grams.py)',
    make: () => optim.grams({ lr: 0.02, b1: 0.8, b2: 0.95, eps: 1e-6, weightDecay: 0.1 }),
    ref: gramsRef('official'),
  },
  {
    name: 'grams paper formula (arXiv 2412.17107 §4.1)',
    make: () => optim.grams({ lr: 0.02, b1: 0.8, b2: 0.95, eps: 1e-6, weightDecay: 0.1, variant: 'paper' }),
    ref: gramsRef('paper'),
  },
  {
    name: 'diffgrad (v2)',
    make: () => optim.diffgrad({ lr: 0.02, b1: 0.8, b2: 0.95, eps: 1e-6, weightDecay: 0.05 }),
    ref: (r, g, t) => {
      const m = arr(r, 'm');
      const v = arr(r, 'v');
      const prev = arr(r, 'prev');
      for (let i = 0; i < N; i++) {
        const gi = (g[i] as number) + 0.05 * (r.p[i] as number);
        m[i] = 0.8 * (m[i] as number) + 0.2 * gi;
        v[i] = 0.95 * (v[i] as number) + 0.05 * gi * gi;
        const xi = 1 / (1 + Math.exp(-Math.abs((prev[i] as number) - gi)));
        prev[i] = gi;
        const step = (0.02 * Math.sqrt(1 - 0.95 ** t)) / (1 - 0.8 ** t);
        r.p[i] = (r.p[i] as number) - (step * xi * (m[i] as number)) / (Math.sqrt(v[i] as number) + 1e-6);
      }
    },
  },
  {
    name: 'lion (weight decay)',
    make: () => optim.lion({ lr: 0.01, b1: 0.8, b2: 0.95, weightDecay: 0.5 }),
    ref: (r, g) => {
      const m = arr(r, 'm');
      for (let i = 0; i < N; i++) {
        const gi = g[i] as number;
        const c = 0.8 * (m[i] as number) + 0.2 * gi;
        r.p[i] = (r.p[i] as number) * (1 - 0.01 * 0.5) - 0.01 * sign(c);
        m[i] = 0.95 * (m[i] as number) + 0.05 * gi;
      }
    },
  },
  {
    name: 'madgrad (momentum, coupled decay; facebookresearch/madgrad)',
    make: () => optim.madgrad({ lr: 0.05, momentum: 0.8, eps: 1e-6, weightDecay: 0.02 }),
    ref: madgradRef(true),
  },
  {
    name: 'madgrad (no momentum, decoupled decay)',
    make: () => optim.madgrad({ lr: 0.05, momentum: 0, eps: 1e-6, weightDecay: 0.1, decoupled: true }),
    ref: (r, g, t) => {
      const s = arr(r, 's');
      const nu = arr(r, 'nu');
      const lr = 0.05 + 1e-6;
      const lamb = lr * Math.sqrt(t);
      for (let i = 0; i < N; i++) {
        const pold = r.p[i] as number;
        const gi = g[i] as number;
        const x0 = pold + (s[i] as number) / (Math.cbrt(nu[i] as number) + 1e-6);
        nu[i] = (nu[i] as number) + lamb * gi * gi;
        s[i] = (s[i] as number) + lamb * gi;
        r.p[i] = x0 - (s[i] as number) / (Math.cbrt(nu[i] as number) + 1e-6) - lr * 0.1 * pold;
      }
    },
  },
  {
    name: 'novograd (two segments)',
    make: () =>
      optim.novograd({
        lr: 0.05,
        b1: 0.8,
        b2: 0.5,
        eps: 1e-6,
        weightDecay: 0.1,
        layout: [
          { name: 'w', offset: 0, shape: [2, 2] },
          { name: 'b', offset: 4, size: 3 },
        ],
      }),
    ref: (r, g, t) => {
      const m = arr(r, 'm');
      const nu = arr(r, 'nu');
      for (const [seg, a, b] of [
        [0, 0, 4],
        [1, 4, 7],
      ] as const) {
        let sq = 0;
        for (let i = a; i < b; i++) sq += (g[i] as number) ** 2;
        nu[seg] = t === 1 ? sq : 0.5 * (nu[seg] as number) + 0.5 * sq;
        for (let i = a; i < b; i++) {
          const u = (g[i] as number) / (Math.sqrt(nu[seg] as number) + 1e-6) + 0.1 * (r.p[i] as number);
          m[i] = t === 1 ? u : 0.8 * (m[i] as number) + u;
          r.p[i] = (r.p[i] as number) - 0.05 * (m[i] as number);
        }
      }
    },
  },
  {
    name: 'adagradNorm',
    make: () => optim.adagradNorm({ lr: 0.5, b0: 0.3 }),
    ref: (r, g) => {
      let sq = 0;
      for (const x of g) sq += x * x;
      const b2 = num(r, 'b2', 0.09) + sq;
      r.s.b2 = b2;
      for (let i = 0; i < N; i++) r.p[i] = (r.p[i] as number) - (0.5 / Math.sqrt(b2)) * (g[i] as number);
    },
  },
  {
    name: 'optimisticAmsgrad (arXiv 1903.01435 Algorithms 1 and 2)',
    make: () => optim.optimisticAmsgrad({ lr: 0.01, b1: 0.8, b2: 0.9, eps: 1e-6, window: 3, lambda: 1e-2 }),
    ref: optimisticRef('rmpe'),
  },
  {
    name: 'gravity (two segments, V0 = 0)',
    make: () =>
      optim.gravity({
        lr: 0.1,
        alpha: 0,
        beta: 0.8,
        layout: [
          { name: 'a', offset: 0, size: 3 },
          { name: 'b', offset: 3, size: 4 },
        ],
      }),
    ref: (r, g, t) => {
      const V = arr(r, 'V');
      const bh = (0.8 * (t - 1) + 1) / (t - 1 + 2);
      for (const [a, b] of [
        [0, 3],
        [3, 7],
      ] as const) {
        let mx = 0;
        for (let i = a; i < b; i++) mx = Math.max(mx, Math.abs(g[i] as number));
        const M = 1 / mx;
        for (let i = a; i < b; i++) {
          const gi = g[i] as number;
          const zeta = gi / (1 + (gi / M) ** 2);
          V[i] = bh * (V[i] as number) + (1 - bh) * zeta;
          r.p[i] = (r.p[i] as number) - 0.1 * (V[i] as number);
        }
      }
    },
  },
  {
    name: 'aegd (weight decay; txping/AEGD aegd.py)',
    make: () => optim.aegd({ lr: 0.1, c: 1, weightDecay: 0.05 }),
    extra: (t) => ({ loss: LOSS(t) }),
    ref: aegdRef(false),
  },
  {
    name: 'swats (Adam phase; pytorch_optimizer swats.py)',
    make: () => optim.swats({ lr: 0.01, b1: 0.8, b2: 0.9, eps: 1e-6, weightDecay: 0.05 }),
    ref: swatsRef(false),
  },
  {
    name: 'complexMomentum',
    make: () => optim.complexMomentum({ lr: 0.05, momentum: 0.8, angle: 0.5 }),
    ref: (r, g) => {
      const re = arr(r, 're');
      const im = arr(r, 'im');
      const br = 0.8 * Math.cos(0.5);
      const bi = 0.8 * Math.sin(0.5);
      for (let i = 0; i < N; i++) {
        const nr = br * (re[i] as number) - bi * (im[i] as number) - (g[i] as number);
        const ni = br * (im[i] as number) + bi * (re[i] as number);
        re[i] = nr;
        im[i] = ni;
        r.p[i] = (r.p[i] as number) + 0.05 * nr;
      }
    },
  },
  {
    name: 'grokfast (EMA filter) + sgd',
    make: () => optim.grokfast(optim.sgd({ lr: 0.05 }), { alpha: 0.7, lamb: 1.5 }),
    ref: (r, g, t) => {
      const mu = arr(r, 'mu');
      for (let i = 0; i < N; i++) {
        const gi = g[i] as number;
        const prev = t === 1 ? gi : (mu[i] as number);
        mu[i] = prev * 0.7 + gi * 0.3;
        r.p[i] = (r.p[i] as number) - 0.05 * (gi + 1.5 * (mu[i] as number));
      }
    },
  },
];

/** How a case is run: steps, the gradient's scale, and the tolerance that float32 allows. */
interface Setting {
  label: string;
  steps: number;
  scale: number;
  tol: number;
}
const SETTINGS: Setting[] = [
  { label: '6 steps', steps: 6, scale: 1, tol: TOL },
  // Rounding accumulates over a long run (the worst correct rule measured 1.5e-6 at 100 steps).
  { label: '100 steps', steps: 100, scale: 1, tol: 12 * TOL },
  // Gradients of 1e-6: √v is near ε, where ε's placement decides the step.
  { label: '|g| ~ 1e-6', steps: 6, scale: 1e-6, tol: TOL },
];

function runOpt(b: Backend, c: Case, st: Setting): Float32Array[] {
  use(b.name);
  const p = Float32Array.from(P0);
  const opt = c.make();
  const state = opt.init(p);
  const traj: Float32Array[] = [];
  for (let t = 1; t <= st.steps; t++) {
    const g = Float32Array.from({ length: N }, (_, i) => st.scale * grad(t, i));
    opt.step(p, g, state, c.extra?.(t));
    traj.push(p.slice());
  }
  return traj;
}

function runRef(ref: RefStep, st: Setting): number[][] {
  const r: Ref = { p: [...P0], s: {} };
  const traj: number[][] = [];
  for (let t = 1; t <= st.steps; t++) {
    ref(
      r,
      Array.from({ length: N }, (_, i) => st.scale * grad(t, i)),
      t,
    );
    traj.push([...r.p]);
  }
  return traj;
}

function worstDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let worst = 0;
  for (let t = 0; t < a.length; t++) worst = Math.max(worst, maxRelDiff(a[t] as ArrayLike<number>, b[t] as number[]));
  return worst;
}

describe.each(backends)('optimizers vs float64 references (%s)', (_name, b) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    for (const st of SETTINGS) {
      const d = worstDiff(runOpt(b, c, st), runRef(c.ref, st));
      if (!(d <= st.tol * (c.stepScale ?? 1)))
        throw new Error(`${c.name} (${st.label}): differs from its reference by ${d} > ${st.tol}`);
    }
    // The reference moved the parameters (no rule is a no-op here).
    if (!c.small)
      expect(maxRelDiff(runRef(c.ref, SETTINGS[0] as Setting).at(-1) as number[], P0)).toBeGreaterThan(1e-3);
  });
  it('gravity draws V0 ~ Normal(0, (alpha/lr)^2) from its seed', () => {
    use(b.name);
    const p = new Float32Array(20_000);
    const st = optim.gravity({ lr: 0.1, alpha: 0.01, seed: 3 }).init(p);
    const v = st.buffers.vel as Float32Array;
    let s2 = 0;
    for (const x of v) s2 += x * x;
    expect(Math.sqrt(s2 / v.length)).toBeCloseTo(0.1, 2);
    expect([...optim.gravity({ lr: 0.1, alpha: 0.01, seed: 3 }).init(p).buffers.vel!.slice(0, 5)]).toEqual([
      ...v.slice(0, 5),
    ]);
  });
  it('aegd energy never increases and needs the loss', () => {
    use(b.name);
    const opt = optim.aegd({ lr: 0.3 });
    const p = Float32Array.from(P0);
    const st = opt.init(p);
    expect(() => opt.step(p, new Float32Array(N), st)).toThrow(TypeError);
    let prev = Number.POSITIVE_INFINITY;
    for (let t = 1; t < 20; t++) {
      opt.step(
        p,
        Float32Array.from({ length: N }, (_, i) => grad(t, i)),
        st,
        { loss: 1 },
      );
      const e = Math.max(...(st.buffers.energy as Float32Array));
      expect(e).toBeLessThanOrEqual(prev);
      prev = e;
    }
  });
});

// The tests' power: each plausible wrong variant differs from the correct reference by several
// tolerances in at least one setting, so a rule implemented that way would fail above.
const wrongVariants: [string, RefStep, RefStep][] = [
  [
    'adam with ε on the uncorrected √v',
    adamRef({ lr: 0.01, b1: 0.8, b2: 0.95, eps: 1e-6, wd: 0.1, decoupled: false, ams: false }),
    adamRef({ lr: 0.01, b1: 0.8, b2: 0.95, eps: 1e-6, wd: 0.1, decoupled: false, ams: false, epsOnRaw: true }),
  ],
  ['swats with ε on the corrected √a', swatsRef(false), swatsRef(true)],
  ['madgrad without lr + ε', madgradRef(true), madgradRef(false)],
  ['aegd with the decay inside the energy scaling', aegdRef(false), aegdRef(true)],
  ['grams paper formula for the official code', gramsRef('official'), gramsRef('paper')],
  [
    'optimisticAmsgrad with the current gradient as the guess (AMSGrad)',
    optimisticRef('rmpe'),
    optimisticRef('current'),
  ],
];

describe('the reference tests can fail', () => {
  it.each(wrongVariants)('%s is caught', (_n, right, wrong) => {
    const worst = Math.max(...SETTINGS.map((st) => worstDiff(runRef(wrong, st), runRef(right, st)) / st.tol));
    expect(worst).toBeGreaterThan(3);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('optimizer kernels'), () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s agrees across backends', (_n, c) => {
    const st = SETTINGS[0] as Setting;
    const a = runOpt(nativeBackend as Backend, c, st);
    const j = runOpt(jsBackend, c, st);
    expect(maxRelDiff(a.at(-1) as Float32Array, j.at(-1) as Float32Array)).toBeLessThan(1e-6);
  });
  it('adam agrees on a large buffer split across threads', () => {
    const n = 300_001;
    const out: Float32Array[] = [];
    for (const b of [nativeBackend as Backend, jsBackend]) {
      use(b.name);
      const p = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
      const opt = optim.adamw({ lr: 0.01 });
      const st = opt.init(p);
      for (let t = 1; t <= 3; t++)
        opt.step(
          p,
          Float32Array.from({ length: n }, (_, i) => Math.cos(i * t)),
          st,
        );
      out.push(p);
    }
    expect(maxRelDiff(out[0] as Float32Array, out[1] as Float32Array)).toBeLessThan(1e-6);
  });
});

// ---------------------------------------------------------------------------------------------
// Convergence on a convex quadratic f = ½Σ a_i x_i², and progress on Rosenbrock from (−1.5, 2).

type Problem = { x0: number[]; f: (x: Float32Array) => number; g: (x: Float32Array, out: Float32Array) => void };
const A = [0.5, 1, 1.5, 2, 0.8, 1.2];
const quadratic: Problem = {
  x0: [1, -1, 0.5, -0.5, 1.5, -1.2],
  f: (x) => x.reduce((s, v, i) => s + 0.5 * (A[i] as number) * v * v, 0),
  g: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = (A[i] as number) * (x[i] as number);
  },
};
const rosenbrock: Problem = {
  x0: [-1.5, 2],
  f: (x) => (1 - (x[0] as number)) ** 2 + 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2,
  g: (x, out) => {
    const a = x[0] as number;
    const b = x[1] as number;
    out[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    out[1] = 200 * (b - a * a);
  },
};

function minimize(make: () => Optimizer, prob: Problem, steps: number): number {
  const x = Float32Array.from(prob.x0);
  const g = new Float32Array(x.length);
  const opt = make();
  const st = opt.init(x);
  for (let t = 0; t < steps; t++) {
    prob.g(x, g);
    opt.step(x, g, st, { loss: prob.f(x) });
  }
  return prob.f(x);
}

const converge: [string, () => Optimizer, () => Optimizer][] = [
  ['sgd', () => optim.sgd({ lr: 0.3 }), () => optim.sgd({ lr: 5e-4 })],
  ['momentum', () => optim.momentum({ lr: 0.1 }), () => optim.momentum({ lr: 1e-4 })],
  ['nesterov', () => optim.nesterov({ lr: 0.1 }), () => optim.nesterov({ lr: 1e-4 })],
  ['adagrad', () => optim.adagrad({ lr: 0.5 }), () => optim.adagrad({ lr: 0.1 })],
  ['adadelta', () => optim.adadelta({ lr: 1, eps: 1e-4 }), () => optim.adadelta({ lr: 1, eps: 1e-4 })],
  ['rmsprop', () => optim.rmsprop({ lr: 0.01 }), () => optim.rmsprop({ lr: 1e-3 })],
  ['adam', () => optim.adam({ lr: 0.05 }), () => optim.adam({ lr: 0.02 })],
  ['adamw', () => optim.adamw({ lr: 0.05, weightDecay: 1e-3 }), () => optim.adamw({ lr: 0.02, weightDecay: 0 })],
  ['amsgrad', () => optim.amsgrad({ lr: 0.05 }), () => optim.amsgrad({ lr: 0.02 })],
  ['adamax', () => optim.adamax({ lr: 0.05 }), () => optim.adamax({ lr: 0.02 })],
  ['nadam', () => optim.nadam({ lr: 0.05 }), () => optim.nadam({ lr: 0.02 })],
  ['yogi', () => optim.yogi({ lr: 0.05 }), () => optim.yogi({ lr: 0.02 })],
  ['grams', () => optim.grams({ lr: 0.02 }), () => optim.grams({ lr: 0.01 })],
  ['diffgrad', () => optim.diffgrad({ lr: 0.05 }), () => optim.diffgrad({ lr: 0.02 })],
  [
    'lion',
    () => optim.lion({ lr: optim.schedules.cosine({ init: 0.02, steps: 800 }) }),
    () => optim.lion({ lr: 2e-3 }),
  ],
  ['novograd', () => optim.novograd({ lr: 0.05, b1: 0.5 }), () => optim.novograd({ lr: 5e-3 })],
  ['madgrad', () => optim.madgrad({ lr: 0.05 }), () => optim.madgrad({ lr: 5e-3 })],
  ['adagradNorm', () => optim.adagradNorm({ lr: 1 }), () => optim.adagradNorm({ lr: 0.5 })],
  ['optimisticAmsgrad', () => optim.optimisticAmsgrad({ lr: 0.02 }), () => optim.optimisticAmsgrad({ lr: 0.01 })],
  // Gravity's ζ = g/(1 + g²·max|g|²) vanishes for gradients ≫ 1, so it minimises Rosenbrock/100.
  [
    'gravity',
    () => optim.gravity({ lr: 0.1 }),
    () => optim.chain(optim.scale(0.01), optim.gravity({ lr: 1, alpha: 0 })),
  ],
  ['aegd', () => optim.aegd({ lr: 0.3 }), () => optim.aegd({ lr: 1e-3 })],
  ['swats', () => optim.swats({ lr: 0.05 }), () => optim.swats({ lr: 0.02 })],
  ['complexMomentum', () => optim.complexMomentum({ lr: 0.05 }), () => optim.complexMomentum({ lr: 1e-4 })],
  ['xgrad(adam)', () => optim.xgrad(optim.adam({ lr: 0.05 })), () => optim.xgrad(optim.adam({ lr: 0.02 }))],
  ['grokfast(adam)', () => optim.grokfast(optim.adam({ lr: 0.02 })), () => optim.grokfast(optim.adam({ lr: 5e-3 }))],
];

describe.each(backends)('convergence (%s)', (_name, b) => {
  it.each(converge)('%s converges on a quadratic and makes progress on Rosenbrock', (_n, q, r) => {
    use(b.name);
    const fq0 = quadratic.f(Float32Array.from(quadratic.x0));
    const fq = minimize(q, quadratic, 800);
    expect(fq).toBeLessThan(1e-3 * fq0);
    const fr0 = rosenbrock.f(Float32Array.from(rosenbrock.x0));
    const fr = minimize(r, rosenbrock, 2000);
    expect(fr).toBeLessThan(0.5 * fr0);
  });
});
