// The learners end to end on small settings: short deterministic runs improve post-adaptation
// loss, adapt() follows SGD, and bad configurations give clear errors.
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import { anil, fomaml, imaml, maml, metaSgd, pretrain, reptile } from '../src/meta/factories.js';
import { classification, gaussianClusters, sine } from '../src/meta/tasks/index.js';
import { adam } from '../src/optim/rules/adam.js';
import { key } from '../src/random/index.js';
import { backends } from './helpers/backends.js';

const model = { sizes: [1, 16, 16, 1], activation: 'relu' as const };

describe.each(backends)('meta learners (%s)', (name) => {
  it('MAML meta-training improves the loss after one adaptation step, deterministically', async () => {
    use(name as 'native' | 'js');
    const tasks = sine();
    const learner = maml({ model, innerLr: 0.02, optimizer: adam({ lr: 1e-2 }) });
    const init = await learner.train({ tasks, iterations: 0, seed: 3 });
    const iters = 200;
    const seen: number[] = [];
    const a = await learner.train({
      tasks,
      iterations: iters,
      metaBatch: 5,
      seed: 3,
      onProgress: (p) => seen.push(p.lossPost),
    });
    const b = await learner.train({ tasks, iterations: iters, metaBatch: 5, seed: 3 });
    expect(a).toEqual(b);
    expect(seen.length).toBe(iters);
    const before = learner.evaluate(init, { tasks, count: 100, steps: 1, seed: 5 });
    const after = learner.evaluate(a, { tasks, count: 100, steps: 1, seed: 5 });
    expect(after.mean[1]).toBeLessThan(0.8 * (before.mean[1] as number));
  });

  it('every learner trains a few iterations and returns finite parameters', async () => {
    use(name as 'native' | 'js');
    const tasks = sine();
    for (const l of [
      fomaml({ model }),
      reptile({ model, innerSteps: 3 }),
      metaSgd({ model }),
      anil({ model }),
      imaml({ model, innerSteps: 5, lambda: 1, cgSteps: 3 }),
      pretrain({ model }),
    ]) {
      const p = await l.train({ tasks, iterations: 5, metaBatch: 4, seed: 1 });
      expect(p.every(Number.isFinite)).toBe(true);
    }
  });

  it('evaluate reports per-task losses whose mean and median it summarizes', async () => {
    use(name as 'native' | 'js');
    const tasks = sine();
    const learner = maml({ model });
    const p = await learner.train({ tasks, iterations: 20, metaBatch: 4, seed: 4 });
    const steps = 3;
    for (const count of [7, 8]) {
      const r = learner.evaluate(p, { tasks, count, steps, seed: 6 });
      expect(r.losses.length).toBe(count * (steps + 1));
      for (let j = 0; j <= steps; j++) {
        const col = Array.from({ length: count }, (_, t) => r.losses[t * (steps + 1) + j] as number);
        const mean = col.reduce((a, v) => a + v, 0) / count;
        expect(r.mean[j]).toBeCloseTo(mean, 5);
        const s = [...col].sort((a, b) => a - b);
        const med = count % 2 ? s[(count - 1) / 2] : ((s[count / 2 - 1] as number) + (s[count / 2] as number)) / 2;
        expect(r.median[j]).toBeCloseTo(med as number, 6);
      }
    }
    // A rate far above 2/curvature diverges on some tasks: the mean blows up, the median stays the middle task.
    const wild = learner.evaluate(p, { tasks, count: 9, steps: 40, seed: 6, lr: 2 });
    const last = Array.from({ length: 9 }, (_, t) => wild.losses[t * 41 + 40] as number);
    expect(last.some((v) => !Number.isFinite(v) || v > 1e3)).toBe(true);
    const sorted = Float64Array.from(last).sort();
    expect(Object.is(wild.median[40], sorted[4])).toBe(true);
  });

  it('Meta-SGD learns its per-parameter rates; ANIL adapts only the head', async () => {
    use(name as 'native' | 'js');
    const ms = metaSgd({ model, optimizer: adam({ lr: 1e-3 }), lrOptimizer: adam({ lr: 1e-3 }) });
    await ms.train({ tasks: sine(), iterations: 10, metaBatch: 4, seed: 2 });
    const lrs = ms.innerLrs();
    expect(lrs.length).toBe(16 + 16 + 256 + 16 + 16 + 1);
    expect(new Set(lrs).size).toBeGreaterThan(10);

    const an = anil({ model });
    const params = await an.train({ tasks: sine(), iterations: 0, seed: 2 });
    const t = sine().sample(key(4), 1, 10, 0);
    const adapted = an.adapt(params, { x: t.supportX, y: t.supportY }, { steps: 3 });
    const headStart = 16 + 16 + 256 + 16;
    for (let i = 0; i < headStart; i++) expect(adapted[i]).toBe(params[i]);
    expect(adapted.subarray(headStart)).not.toEqual(params.subarray(headStart));
  });

  it('classification: MAML with cross-entropy on Gaussian clusters beats chance after adaptation', async () => {
    use(name as 'native' | 'js');
    const tasks = gaussianClusters({ dim: 2, ways: 3, spread: 3, noise: 0.5 });
    const l = maml({
      model: { sizes: [2, 16, 3], activation: 'tanh' },
      loss: 'crossEntropy',
      innerLr: 0.5,
      optimizer: adam({ lr: 3e-3 }),
    });
    const p = await l.train({ tasks, iterations: name === 'js' ? 40 : 150, metaBatch: 8, shots: 3, seed: 1 });
    const r = l.evaluate(p, { tasks, count: 100, shots: 3, queries: 5, steps: 5 });
    expect(r.mean[5]).toBeLessThan(Math.log(3) * 0.8); // well under the loss of a uniform guess
    expect(r.mean[5]).toBeLessThan(r.mean[0] as number);
  });

  it('gives clear errors for bad configurations', async () => {
    use(name as 'native' | 'js');
    expect(() => maml({ model, innerSteps: 0 })).toThrow(/innerSteps: expected at least 1 inner step/);
    expect(() => maml({ model, loss: 'hinge' as 'mse' })).toThrow(/loss/);
    expect(() => maml({ model: {} as typeof model })).toThrow(/model/);
    expect(() => anil({ model, head: ['dense9.w'] })).toThrow(/no segment 'dense9.w'/);
    expect(() => imaml({ model, lambda: 0 })).toThrow(/lambda/);
    expect(() => maml({ model, learningRate: 1 } as object as { model: typeof model })).toThrow(
      /unknown option 'learningRate'/,
    );
    const l = maml({ model });
    await expect(l.train({ tasks: gaussianClusters(), iterations: 1 })).rejects.toThrow(
      /inputs but the model takes 1|needs regression/,
    );
    const data = classification({
      x: new Float32Array(20),
      labels: Int32Array.from({ length: 20 }, (_, i) => i % 4),
      inputDim: 1,
      ways: 2,
    });
    const c = maml({ model: { sizes: [1, 4, 2], activation: 'tanh' }, loss: 'crossEntropy' });
    await expect(c.train({ tasks: data, iterations: 1, shots: 5, queries: 1 })).rejects.toThrow(
      /shots \+ queries = 6 per class, but class 0 has only 5/,
    );
    const p = await l.train({ tasks: sine(), iterations: 0 });
    expect(() => l.adapt(p, { x: new Float32Array(3), y: new Float32Array(2) })).toThrow(/support.y/);
    expect(() => l.adapt(p, { x: new Float32Array(3), y: new Float32Array(3) }, { steps: -1 })).toThrow(/steps/);
  });
});
