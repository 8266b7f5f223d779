// Shampoo (optim.shampoo) against a float64 reference written from the paper (Gupta, Koren,
// Singer 2018, Algorithm 1 and its order-k form): L ← L + GGᵀ, R ← R + GᵀG from εI, step
// −lr·L^(−1/4) G R^(−1/4) for matrices and −lr·H^(−1/2) g for vectors (exponent −1/(2k)). The
// reference forms inverse roots by cyclic Jacobi (src/util/eigen.ts), an algorithm independent of
// the kernel's Householder + QL. The wrong variant to catch: pytorch_optimizer's simple Shampoo
// uses −1/k (L^(−1/2) G R^(−1/2)). Parameters are float32, so agreement is to ~1e-5 relative.
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import type { BackendName } from '../src/backend/types.js';
import { optim } from '../src/index.js';
import { symmetricEigen } from '../src/util/eigen.js';
import { backends, jsBackend, maxRelDiff, nativeBackend } from './helpers/backends.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomArray(n: number, seed: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, () => r());
}

/** (A + eps·I)^(−1/p) by Jacobi, float64. */
function invRootRef(a: Float64Array, n: number, p: number, eps: number): Float64Array<ArrayBufferLike> {
  const values = new Float64Array(n);
  const vecs = new Float64Array(n * n); // columns
  symmetricEigen(a, n, values, vecs);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const f = (Math.max(values[k] as number, 0) + eps) ** (-1 / p);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + f * vecs[i * n + k]! * vecs[j * n + k]!;
  }
  return out;
}

function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array<ArrayBufferLike> {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let t = 0; t < k; t++)
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + a[i * k + t]! * b[t * n + j]!;
  return out;
}

interface Seg {
  offset: number;
  rows: number;
  cols: number;
  order: 1 | 2;
}

/** The paper's Shampoo on float64 copies; `wrongExponent` uses −1/k as pytorch_optimizer's simple Shampoo. */
function shampooRef(
  p0: Float32Array,
  grads: Float32Array[],
  segs: Seg[],
  lr: number,
  eps: number,
  wrongExponent = false,
  updateEvery = 1,
) {
  const p = Float64Array.from(p0);
  const stats = segs.map((s) => ({
    L: new Float64Array(s.rows * s.rows),
    R: new Float64Array(s.cols * s.cols),
    Lr: new Float64Array(0) as Float64Array<ArrayBufferLike>,
    Rr: new Float64Array(0) as Float64Array<ArrayBufferLike>,
  }));
  for (const [t, g] of grads.entries()) {
    segs.forEach((s, i) => {
      const G = Float64Array.from(g.subarray(s.offset, s.offset + s.rows * s.cols));
      const st = stats[i]!;
      const Gt = new Float64Array(s.cols * s.rows);
      for (let a = 0; a < s.rows; a++) for (let b = 0; b < s.cols; b++) Gt[b * s.rows + a] = G[a * s.cols + b]!;
      const ggt = matmul(G, Gt, s.rows, s.cols, s.rows);
      const gtg = matmul(Gt, G, s.cols, s.rows, s.cols);
      ggt.forEach((v, k) => {
        st.L[k] = st.L[k]! + v;
      });
      gtg.forEach((v, k) => {
        st.R[k] = st.R[k]! + v;
      });
      const root = (wrongExponent ? 1 : 2) * s.order;
      if (t % updateEvery === 0) {
        st.Rr = invRootRef(st.R, s.cols, root, eps);
        st.Lr = invRootRef(st.L, s.rows, root, eps);
      }
      let P = matmul(G, st.Rr, s.rows, s.cols, s.cols);
      if (s.order === 2) P = matmul(st.Lr, P, s.rows, s.rows, s.cols);
      for (let k = 0; k < P.length; k++) p[s.offset + k] = p[s.offset + k]! - lr * P[k]!;
    });
  }
  return p;
}

const layout = [
  { name: 'w', offset: 0, shape: [5, 3], size: 15 },
  { name: 'b', offset: 15, shape: [3], size: 3 },
];
const segs: Seg[] = [
  { offset: 0, rows: 5, cols: 3, order: 2 },
  { offset: 15, rows: 1, cols: 3, order: 1 },
];

describe.each(backends)('optim.shampoo (%s kernels)', (_name, backend) => {
  const withBackend = <T>(f: () => T): T => {
    use(_name as BackendName);
    try {
      return f();
    } finally {
      use(backends[0]![0] as BackendName);
    }
  };

  it('the inverse 4th root matches a float64 Jacobi reference and (X⁴)(A + εI) = I', () => {
    const n = 12;
    const g = randomArray(n * 20, 3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let k = 0; k < 20; k++) a[i * n + j] = a[i * n + j]! + g[i * 20 + k]! * g[j * 20 + k]!;
    const out = new Float64Array(n * n);
    backend.optimInverseRoot(a, n, 4, 1e-3, out);
    expect(maxRelDiff(out, invRootRef(a, n, 4, 1e-3))).toBeLessThan(1e-11);
    const x2 = matmul(out, out, n, n, n);
    const x4 = matmul(x2, x2, n, n, n);
    const aeps = Float64Array.from(a);
    for (let i = 0; i < n; i++) aeps[i * n + i] = aeps[i * n + i]! + 1e-3;
    const id = matmul(x4, aeps, n, n, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) expect(Math.abs(id[i * n + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-9);
  });

  it('symEigen returns ascending eigenvalues and orthonormal row eigenvectors that rebuild A', () => {
    const n = 9;
    const r = lcg(7);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r();
    const values = new Float64Array(n);
    const z = new Float64Array(n * n);
    backend.optimSymEigen(a, n, values, z);
    for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        let dot = 0;
        for (let k = 0; k < n; k++) {
          s += values[k]! * z[k * n + i]! * z[k * n + j]!;
          dot += z[i * n + k]! * z[j * n + k]!;
        }
        expect(Math.abs(s - a[i * n + j]!)).toBeLessThan(1e-13);
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-13);
      }
  });

  it('matches the paper over 3 steps (a matrix and a bias) and not the −1/k variant', () => {
    const p = randomArray(18, 1);
    const grads = [2, 3, 4].map((s) => randomArray(18, s));
    const opt = optim.shampoo({ lr: 0.1, layout, eps: 1e-3 });
    const got = withBackend(() => {
      const st = opt.init(p);
      const q = p.slice();
      for (const g of grads) opt.step(q, g, st);
      return q;
    });
    const want = shampooRef(p, grads, segs, 0.1, 1e-3);
    const wrong = shampooRef(p, grads, segs, 0.1, 1e-3, true);
    expect(maxRelDiff(got, want)).toBeLessThan(2e-6);
    expect(maxRelDiff(got, wrong)).toBeGreaterThan(1e-2);
  });

  it('with identity factors (G = c·Q, Q orthogonal) is the SGD step scaled by (ε + c²)^(−1/2)', () => {
    // Q: a 4×4 signed permutation, so GGᵀ = GᵀG = c²I and both factors are (ε + c²)I.
    const c = 0.7;
    const eps = 0.01;
    const g = new Float32Array(16);
    [1, 3, 0, 2].forEach((j, i) => {
      g[i * 4 + j] = i % 2 === 0 ? c : -c;
    });
    const p = randomArray(16, 5);
    const opt = optim.shampoo({ lr: 0.5, layout: [{ name: 'w', offset: 0, shape: [4, 4] }], eps });
    const q = withBackend(() => {
      const st = opt.init(p);
      const out = p.slice();
      opt.step(out, g, st);
      return out;
    });
    const scale = (eps + c * c) ** -0.5;
    const wrongScale = (eps + c * c) ** -1; // −1/k exponent
    for (let i = 0; i < 16; i++) {
      expect(q[i]).toBeCloseTo(p[i]! - 0.5 * scale * g[i]!, 6);
      if (g[i] !== 0) expect(Math.abs(q[i]! - (p[i]! - 0.5 * wrongScale * g[i]!))).toBeGreaterThan(1e-2);
    }
  });

  it('blocks a large dimension: each block has its own factors', () => {
    const lay = [{ name: 'w', offset: 0, shape: [5, 7] }];
    const p = randomArray(35, 11);
    const grads = [12, 13].map((s) => randomArray(35, s));
    const got = withBackend(() => {
      const opt = optim.shampoo({ lr: 0.1, layout: lay, eps: 1e-3, blockSize: 4 });
      const st = opt.init(p);
      const q = p.slice();
      for (const g of grads) opt.step(q, g, st);
      return q;
    });
    // Reference: the four blocks [0..4)×[0..4), [0..4)×[4..7), [4..5)×[0..4), [4..5)×[4..7) apart.
    const want = Float64Array.from(p);
    for (const [r0, rn] of [
      [0, 4],
      [4, 1],
    ] as const)
      for (const [c0, cn] of [
        [0, 4],
        [4, 3],
      ] as const) {
        const pick = (a: Float32Array) => {
          const out = new Float32Array(rn * cn);
          for (let i = 0; i < rn; i++) for (let j = 0; j < cn; j++) out[i * cn + j] = a[(r0 + i) * 7 + c0 + j]!;
          return out;
        };
        const blockRef = shampooRef(pick(p), grads.map(pick), [{ offset: 0, rows: rn, cols: cn, order: 2 }], 0.1, 1e-3);
        for (let i = 0; i < rn; i++) for (let j = 0; j < cn; j++) want[(r0 + i) * 7 + c0 + j] = blockRef[i * cn + j]!;
      }
    expect(maxRelDiff(got, want)).toBeLessThan(2e-6);
  });

  it("graft 'sgd' gives each block the SGD step's norm; updateEvery keeps stale roots", () => {
    const p = randomArray(18, 21);
    const g = randomArray(18, 22);
    withBackend(() => {
      const opt = optim.shampoo({ lr: 0.1, layout, graft: 'sgd' });
      const st = opt.init(p);
      const q = p.slice();
      opt.step(q, g, st);
      for (const s of segs) {
        let dn = 0;
        let gn = 0;
        for (let k = s.offset; k < s.offset + s.rows * s.cols; k++) {
          dn += (q[k]! - p[k]!) ** 2;
          gn += g[k]! ** 2;
        }
        expect(Math.sqrt(dn)).toBeCloseTo(0.1 * Math.sqrt(gn), 5);
      }
      // updateEvery 2: step 2 preconditions with step 1's roots (factors of G₁ only).
      const g2 = randomArray(18, 23);
      const lazy = optim.shampoo({ lr: 0.1, layout, eps: 1e-3, updateEvery: 2 });
      const sl = lazy.init(p);
      const ql = p.slice();
      lazy.step(ql, g, sl);
      lazy.step(ql, g2, sl);
      expect(maxRelDiff(ql, shampooRef(p, [g, g2], segs, 0.1, 1e-3, false, 2))).toBeLessThan(2e-6);
      expect(maxRelDiff(ql, shampooRef(p, [g, g2], segs, 0.1, 1e-3))).toBeGreaterThan(1e-4);
    });
  });

  it('is deterministic and rejects bad options naming them', () => {
    expect(() => optim.shampoo({ graft: 'adagrad' as 'sgd' })).toThrow(/graft/);
    expect(() => optim.shampoo({ eps: 0 })).toThrow(RangeError);
    expect(() => optim.shampoo({ beta2: 0 })).toThrow(/beta2/);
    expect(() => optim.shampoo({ updateEvery: 0 })).toThrow(/updateEvery/);
    expect(() => optim.shampoo({ blockSize: 1.5 })).toThrow(/blockSize/);
    const bad = optim.shampoo({ layout: [{ name: 'w', offset: 0, shape: [2, 2] }] });
    expect(() => bad.init(new Float32Array(5))).toThrow(/layout covers 4 parameters/);
    const opt = optim.shampoo({ lr: 0.1, layout, graft: 'adam', momentum: 0.9 });
    const run = () =>
      withBackend(() => {
        const st = opt.init(randomArray(18, 1));
        const q = randomArray(18, 1);
        for (let s = 0; s < 3; s++) opt.step(q, randomArray(18, 40 + s), st);
        return q;
      });
    expect(run()).toEqual(run());
  });
});

describe.skipIf(!nativeBackend)('shampoo kernels: native ≡ js', () => {
  it('symEigen, inverse root, statistics and preconditioning agree', () => {
    const nat = nativeBackend!;
    const n = 40;
    const r = lcg(99);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r();
    const [v1, v2, z1, z2] = [
      new Float64Array(n),
      new Float64Array(n),
      new Float64Array(n * n),
      new Float64Array(n * n),
    ];
    nat.optimSymEigen(a, n, v1, z1);
    jsBackend.optimSymEigen(a, n, v2, z2);
    expect(maxRelDiff(v1, v2)).toBeLessThan(1e-13);
    expect(maxRelDiff(z1, z2)).toBeLessThan(1e-12);
    const g = randomArray(30 * n, 5);
    const [l1, l2] = [new Float64Array(30 * 30).fill(0.5), new Float64Array(30 * 30).fill(0.5)];
    const [r1, r2] = [new Float64Array(n * n).fill(0.25), new Float64Array(n * n).fill(0.25)];
    nat.optimShampooStats(g, 30, n, l1, r1, 0.9, 0.1);
    jsBackend.optimShampooStats(g, 30, n, l2, r2, 0.9, 0.1);
    expect(maxRelDiff(l1, l2)).toBe(0);
    expect(maxRelDiff(r1, r2)).toBe(0);
    const [lr1, lr2, rr1, rr2] = [
      new Float64Array(900),
      new Float64Array(900),
      new Float64Array(n * n),
      new Float64Array(n * n),
    ];
    nat.optimInverseRoot(l1, 30, 4, 1e-4, lr1);
    jsBackend.optimInverseRoot(l2, 30, 4, 1e-4, lr2);
    nat.optimInverseRoot(r1, n, 4, 1e-4, rr1);
    jsBackend.optimInverseRoot(r2, n, 4, 1e-4, rr2);
    expect(maxRelDiff(lr1, lr2)).toBeLessThan(1e-12);
    expect(maxRelDiff(rr1, rr2)).toBeLessThan(1e-12);
    const [o1, o2] = [new Float32Array(30 * n), new Float32Array(30 * n)];
    nat.optimShampooPrecondition(g, 30, n, lr1, rr1, o1);
    jsBackend.optimShampooPrecondition(g, 30, n, lr1, rr1, o2);
    expect(maxRelDiff(o1, o2)).toBe(0);
  });

  it('the native kernels name bad arguments', () => {
    const nat = nativeBackend!;
    expect(() => nat.optimInverseRoot(new Float64Array(4), 2, 0, 1e-4, new Float64Array(4))).toThrow(/root/);
    expect(() => nat.optimSymEigen(new Float64Array(5), 2, new Float64Array(2), new Float64Array(4))).toThrow(
      /a: expected length 4/,
    );
  });
});
