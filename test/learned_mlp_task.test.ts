// learned.tasks.mlpRegression: the μP student (output weights 0, output × 1/width) and its exact
// full-batch gradient against central differences (float64 loss through `value`).
import { describe, expect, it } from 'vitest';
import { learned, random } from '../src/index.js';

describe('learned.tasks.mlpRegression', () => {
  it('gradient matches central differences; output weights start at 0; deterministic per key', () => {
    const fam = learned.tasks.mlpRegression({ width: 8, depth: 2, inputs: 3, points: 16 });
    const [task] = fam.sample(random.key(1), 1);
    const p = task!.init();
    const out = fam.layout[fam.layout.length - 2]!;
    expect(p.subarray(out.offset, out.offset + out.size).every((v) => v === 0)).toBe(true);
    // move off the zero readout so every tensor has a gradient
    const z = random.normal(random.key(2), p.length);
    for (let i = 0; i < p.length; i++) p[i] = p[i]! + 0.3 * z[i]!;
    const { value, grad } = task!.lossAndGrad(p);
    expect(value).toBeGreaterThan(0);
    const h = 1e-3;
    let worst = 0;
    for (let i = 0; i < p.length; i += 7) {
      const q = p.slice();
      q[i] = p[i]! + h;
      const up = task!.lossAndGrad(q).value;
      q[i] = p[i]! - h;
      const down = task!.lossAndGrad(q).value;
      worst = Math.max(worst, Math.abs(grad[i]! - (up - down) / (2 * h)));
    }
    // float32 forward: FD error ≈ ulp(loss)/h
    expect(worst).toBeLessThan(2e-5);
    const [again] = fam.sample(random.key(1), 1);
    expect(again!.lossAndGrad(p).value).toBe(value);
    expect(() => learned.tasks.mlpRegression({ width: 0 })).toThrow(/width/);
    expect(() => task!.lossAndGrad(new Float32Array(3))).toThrow(/params/);
  });
});

describe('learned.tasks.mlpClassification', () => {
  it('cross-entropy gradient matches central differences; deterministic per key; bad input named', () => {
    const fam = learned.tasks.mlpClassification({ width: 8, depth: 2, inputs: 3, classes: 3, points: 16 });
    const [task] = fam.sample(random.key(1), 1);
    const p = task!.init();
    const z = random.normal(random.key(2), p.length);
    for (let i = 0; i < p.length; i++) p[i] = p[i]! + 0.3 * z[i]!;
    const { value, grad } = task!.lossAndGrad(p);
    // a scale of 1/width on the logits starts the student near uniform: loss ≈ log 3
    expect(task!.lossAndGrad(task!.init()).value).toBeCloseTo(Math.log(3), 5);
    const h = 1e-3;
    let worst = 0;
    let norm = 0;
    for (let i = 0; i < p.length; i += 5) {
      const q = p.slice();
      q[i] = p[i]! + h;
      const up = task!.lossAndGrad(q).value;
      q[i] = p[i]! - h;
      const down = task!.lossAndGrad(q).value;
      worst = Math.max(worst, Math.abs(grad[i]! - (up - down) / (2 * h)));
      norm = Math.max(norm, Math.abs(grad[i]!));
    }
    expect(norm).toBeGreaterThan(1e-3);
    expect(worst).toBeLessThan(2e-5);
    const [again] = fam.sample(random.key(1), 1);
    expect(again!.lossAndGrad(p).value).toBe(value);
    expect(() => learned.tasks.mlpClassification({ classes: 1 })).toThrow(/classes/);
    expect(() => task!.lossAndGrad(new Float32Array(3))).toThrow(/params/);
  });
});
