// nn.loss.spectralDecoupling (Pezeshki et al., "Gradient Starvation", eq. 5: CE + (λ/2)·‖ŷ‖², the
// penalty on the logits averaged over the batch like the CE): value against a float64 reference
// written from the paper's formula, gradient and Hessian-vector product against float64 central
// finite differences of that reference, and the parameter gradient through an nn.mlp against FD.
// Wrong variants caught: the penalty summed over the batch (no 1/batch), and λ instead of λ/2.
import { describe, expect, it } from 'vitest';
import { nn } from '../src/index.js';

const batch = 4;
const k = 3;
const labels = Int32Array.from([0, 2, 1, 2]);
const y = Float32Array.from({ length: batch * k }, (_, i) => Math.sin(1.7 * i + 0.3) * 2);
const lambda = 0.3;

/** Reference: mean CE + (λ/2)·mean_b ‖y_b‖², float64. */
function ref(v: ArrayLike<number>, lam = lambda, perBatch = true): number {
  let ce = 0;
  let sq = 0;
  for (let b = 0; b < batch; b++) {
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) mx = Math.max(mx, v[b * k + c] as number);
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp((v[b * k + c] as number) - mx);
    ce += mx + Math.log(s) - (v[b * k + (labels[b] as number)] as number);
    for (let c = 0; c < k; c++) sq += (v[b * k + c] as number) ** 2;
  }
  return ce / batch + (0.5 * lam * sq) / (perBatch ? batch : 1);
}
const fdGrad = (f: (v: number[]) => number, at: number[], h = 1e-5) =>
  at.map((_, i) => {
    const a = [...at];
    const b = [...at];
    a[i]! += h;
    b[i]! -= h;
    return (f(a) - f(b)) / (2 * h);
  });
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('nn.loss.spectralDecoupling', () => {
  const loss = nn.loss.spectralDecoupling(nn.loss.crossEntropy(labels), lambda);
  it('value, gradient and HVP match the float64 reference and its finite differences', () => {
    expect(loss.value(y, batch)).toBeCloseTo(ref(y), 5);
    const g = new Float32Array(batch * k);
    expect(loss.grad(y, batch, g)).toBeCloseTo(ref(y), 5);
    const gRef = fdGrad(ref, Array.from(y));
    expect(maxDiff(g, gRef)).toBeLessThan(1e-5);
    // Wrong variants: penalty not averaged over the batch; λ instead of λ/2.
    expect(
      maxDiff(
        g,
        fdGrad((v) => ref(v, lambda, false), Array.from(y)),
      ),
    ).toBeGreaterThan(1e-2);
    expect(
      maxDiff(
        g,
        fdGrad((v) => ref(v, 2 * lambda), Array.from(y)),
      ),
    ).toBeGreaterThan(1e-2);
    // HVP: FD of the reference gradient along v.
    const v = Float32Array.from({ length: batch * k }, (_, i) => Math.cos(0.9 * i));
    const hv = new Float32Array(batch * k);
    loss.hvp?.(y, batch, v, hv);
    const h = 1e-4;
    const gp = fdGrad(
      ref,
      Array.from(y, (a, i) => a + h * (v[i] as number)),
    );
    const gm = fdGrad(
      ref,
      Array.from(y, (a, i) => a - h * (v[i] as number)),
    );
    const hvRef = gp.map((a, i) => (a - (gm[i] as number)) / (2 * h));
    expect(maxDiff(hv, hvRef)).toBeLessThan(2e-4);
  });

  it('through an nn.mlp: the parameter gradient matches finite differences', () => {
    const net = nn.mlp({ sizes: [2, 5, k], activation: 'tanh' });
    const params = net.init(3);
    const x = Float32Array.from({ length: batch * 2 }, (_, i) => Math.sin(i + 0.5));
    const g = new Float32Array(net.size);
    net.gradInto(params, x, batch, loss, g);
    const f = (p: number[]) => ref(Array.from(net.forward(Float32Array.from(p), x, batch)));
    // float32 forward: a coarser step and tolerance.
    const gRef = fdGrad(f, Array.from(params), 1e-2);
    expect(maxDiff(g, gRef)).toBeLessThan(2e-3);
  });

  it('λ = 0 is the base loss; bad λ names itself', () => {
    const base = nn.loss.crossEntropy(labels);
    expect(nn.loss.spectralDecoupling(base, 0).value(y, batch)).toBe(base.value(y, batch));
    expect(() => nn.loss.spectralDecoupling(base, -1)).toThrow(/lambda/);
    expect(() => nn.loss.spectralDecoupling(base, Number.NaN)).toThrow(/lambda/);
  });
});
