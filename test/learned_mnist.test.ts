// learned.tasks.mnist: the data split and pooling (against the raw `mnist` package, read here by
// index), determinism of the init and minibatch stream, the gradient against float64 central
// differences of a loss written out here (μP student: ReLU MLP, logits × 1/width, softmax CE), and
// that SGD and a meta-trained learned.mlpOptimizer both train it.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { learned, optim, random } from '../src/index.js';

const fam = learned.tasks.mnist(); // 7×7 → [32] → 10, batch 128, 100 held out per digit
const raw = createRequire(import.meta.url)('mnist') as { length: number; get(i: number): number[] }[];

describe('learned.tasks.mnist data', () => {
  it('splits each digit into its first images (train) and its last 100 (held out), pooled to 7×7', () => {
    const total = raw.reduce((s, d) => s + d.length, 0);
    expect(fam.inputs).toBe(49);
    expect(fam.test.count).toBe(1000);
    expect(fam.train.count).toBe(total - 1000);
    expect(fam.train.x.length).toBe(fam.train.count * 49);
    expect(fam.test.x.length).toBe(1000 * 49);
    for (let d = 0; d < 10; d++) expect(fam.test.labels.filter((l) => l === d).length).toBe(100);
    expect(fam.train.labels.filter((l) => l === 3).length).toBe((raw[3] as { length: number }).length - 100);
    expect(fam.train.x.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(fam.train.x.some((v) => v > 0.5)).toBe(true);
    // the first held-out image of digit 2 is raw image length−100 of digit 2, pooled
    const d2 = raw[2] as { length: number; get(i: number): number[] };
    const img = learned.tasks.averagePool(d2.get(d2.length - 100), 28, 4);
    expect(Array.from(fam.test.x.subarray(200 * 49, 201 * 49))).toEqual(Array.from(img));
    expect(fam.test.labels[200]).toBe(2);
  });

  it('averagePool averages each factor×factor block (hand-made ramp image)', () => {
    const img = Float32Array.from({ length: 28 * 28 }, (_, i) => i); // pixel (r, c) = 28r + c
    for (const f of [2, 4]) {
      const s = 28 / f;
      const out = learned.tasks.averagePool(img, 28, f);
      expect(out.length).toBe(s * s);
      // mean of 28r + c over the block: 28(fR + (f−1)/2) + fC + (f−1)/2
      for (let R = 0; R < s; R++)
        for (let C = 0; C < s; C++)
          expect(out[R * s + C]).toBeCloseTo(28 * (f * R + (f - 1) / 2) + f * C + (f - 1) / 2, 3);
    }
    // two images pool independently
    const two = learned.tasks.averagePool(Float32Array.from([...img, ...img.map(() => 1)]), 28, 4);
    expect(two.subarray(49).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
  });

  it('is deterministic in the key: same key → same init and batches; fork restarts the stream', () => {
    const [a] = fam.sample(random.key(3), 1);
    const [b] = learned.tasks.mnist().sample(random.key(3), 1);
    const [c] = fam.sample(random.key(4), 1);
    expect(a!.init()).toEqual(b!.init());
    expect(a!.init()).not.toEqual(c!.init());
    expect(a!.batchIndices(5)).toEqual(b!.batchIndices(5));
    expect(a!.batchIndices(5)).not.toEqual(a!.batchIndices(6));
    expect(a!.batchIndices(0)).not.toEqual(c!.batchIndices(0));
    const p = random.normal(random.key(7), a!.dim); // a nonzero output layer
    const va = [a!.lossAndGrad(p).value, a!.lossAndGrad(p).value];
    const vb = [b!.lossAndGrad(p).value, b!.lossAndGrad(p).value];
    expect(va).toEqual(vb);
    expect(va[0]).not.toBe(va[1]); // a new minibatch per call
    const k = random.key(9);
    expect(a!.fork(k).lossAndGrad(p)).toEqual(b!.fork(k).lossAndGrad(p));
    expect(a!.fork(k).lossAndGrad(p).value).not.toBe(va[0]);
  });

  it('bad options and arguments are errors naming them', () => {
    expect(() => learned.tasks.mnist({ imageSize: 10 })).toThrow(RangeError);
    expect(() => learned.tasks.mnist({ imageSize: 10 })).toThrow(/imageSize/);
    expect(() => learned.tasks.mnist({ width: 0 })).toThrow(/width/);
    expect(() => learned.tasks.mnist({ depth: 0 })).toThrow(/depth/);
    expect(() => learned.tasks.mnist({ batch: 0 })).toThrow(/batch/);
    expect(() => learned.tasks.mnist({ heldOut: 0 })).toThrow(/heldOut/);
    expect(() => learned.tasks.mnist({ heldout: 5 } as never)).toThrow(TypeError);
    expect(() => fam.sample(random.key(0), 0)).toThrow(/n/);
    expect(() => learned.tasks.averagePool(new Float32Array(784), 28, 5)).toThrow(/factor/);
    expect(() => learned.tasks.averagePool(new Float32Array(700), 28, 4)).toThrow(/images/);
    const [t] = fam.sample(random.key(0), 1);
    expect(() => t!.lossAndGrad(new Float32Array(3))).toThrow(/params/);
    expect(() => fam.evaluate(new Float32Array(3))).toThrow(/params/);
  });
});

/** Float64 loss of the student (one hidden ReLU layer, logits / width, mean softmax CE). */
function loss64(
  p: ArrayLike<number>,
  x: Float32Array,
  labels: Int32Array,
  idx: Int32Array,
  n: number,
  h: number,
  scale: number,
): number {
  const w1 = 0;
  const b1 = n * h;
  const w2 = b1 + h;
  const b2 = w2 + h * 10;
  let total = 0;
  for (const i of idx) {
    const hid = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let s = p[b1 + j] as number;
      for (let k = 0; k < n; k++) s += (x[i * n + k] as number) * (p[w1 + k * h + j] as number);
      hid[j] = Math.max(0, s);
    }
    const y = new Float64Array(10);
    for (let c = 0; c < 10; c++) {
      let s = p[b2 + c] as number;
      for (let j = 0; j < h; j++) s += (hid[j] as number) * (p[w2 + j * 10 + c] as number);
      y[c] = s * scale;
    }
    const m = Math.max(...y);
    const lse = m + Math.log(y.reduce((a, v) => a + Math.exp(v - m), 0));
    total += lse - (y[labels[i] as number] as number);
  }
  return total / idx.length;
}

describe('learned.tasks.mnist training', () => {
  it('gradient matches float64 central differences on a small batch', () => {
    const small = learned.tasks.mnist({ width: 6, batch: 4 });
    const [task] = small.sample(random.key(1), 1);
    const p = task!.init();
    const z = random.normal(random.key(2), p.length);
    for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) + 0.5 * (z[i] as number); // nonzero output layer
    const idx = task!.batchIndices(0);
    const { value, grad } = task!.lossAndGrad(p); // call 0
    const f = (q: ArrayLike<number>, scale = 1 / 6) => loss64(q, small.train.x, small.train.labels, idx, 49, 6, scale);
    expect(value).toBeCloseTo(f(p), 5);
    // wrong variant: without μP's 1/width on the logits the loss differs
    expect(Math.abs(value - f(p, 1))).toBeGreaterThan(1e-2);
    const q = Float64Array.from(p);
    const eps = 1e-4;
    const coords = [0, 5, 200, 49 * 6 + 2, 49 * 6 + 6 + 13, p.length - 1, p.length - 7];
    for (const i of coords) {
      q[i] = (p[i] as number) + eps;
      const up = f(q);
      q[i] = (p[i] as number) - eps;
      const down = f(q);
      q[i] = p[i] as number;
      expect(Math.abs((grad[i] as number) - (up - down) / (2 * eps))).toBeLessThan(1e-5);
    }
  });

  it('SGD lowers the minibatch and held-out loss within 50 steps', () => {
    const [task] = fam.sample(random.key(0), 1);
    const p = task!.init();
    const before = fam.evaluate(p);
    expect(before.loss).toBeCloseTo(Math.log(10), 6); // μP: zero output layer
    const first: number[] = [];
    const last: number[] = [];
    for (let s = 0; s < 50; s++) {
      const { value, grad } = task!.lossAndGrad(p);
      if (s < 5) first.push(value);
      if (s >= 45) last.push(value);
      for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) - 30 * (grad[i] as number);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(last)).toBeLessThan(mean(first) - 0.3);
    const after = fam.evaluate(p);
    expect(after.loss).toBeLessThan(before.loss - 0.3);
    expect(after.accuracy).toBeGreaterThan(0.5);
  });

  it('a briefly meta-trained learned.mlpOptimizer trains it, better than its θ₀', async () => {
    const lo = learned.mlpOptimizer({ hidden: [8], stepMult: 0.01, layout: fam.layout });
    const { theta, history } = await learned.train({
      optimizer: lo,
      tasks: fam,
      iterations: 60,
      horizon: 20,
      truncation: 10,
      population: 4,
      outerOptimizer: optim.adam({ lr: 3e-3 }),
      seed: 0,
    });
    expect(history.every((e) => Number.isFinite(e.metaLoss))).toBe(true);
    const [task] = fam.sample(random.key(10_000), 1);
    const tail = (th: Float32Array) => {
      const curve = learned.lossCurve(lo.optimizer(th), task!, 100);
      expect(curve.every(Number.isFinite)).toBe(true);
      return Array.from(curve.subarray(90)).reduce((a, b) => a + b, 0) / 11; // minibatch losses, averaged
    };
    const trained = tail(theta);
    expect(trained).toBeLessThan(Math.log(10) - 0.08);
    expect(trained).toBeLessThan(tail(lo.init(0)) - 0.05);
  });
});
