// Env steps per second with random actions (pre-drawn pools, cycled) on CartPole-v1 and
// Pendulum-v1 for 1, 64, 1024 and 4096 envs: native, js, and a naive JS baseline with one object
// per env, written the way a JS user would (Gymnasium-like step() returning a fresh object).
// 'native' and 'js' time the bound step (envBind once, envStepBound per step), which VectorEnv
// uses; 'native envStep (unbound)' is the per-call form that checks every buffer on each step.
import { getBackend } from '../src/backend/index.js';
import * as envs from '../src/envs/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const POOL = 8;

// ---- naive baseline: one object per env, float64 math, Math.random resets ---------------------
interface StepOut {
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}
class NaiveCartPole {
  x = 0;
  xDot = 0;
  theta = 0;
  thetaDot = 0;
  steps = 0;
  constructor() {
    this.reset();
  }
  reset(): number[] {
    this.x = Math.random() * 0.1 - 0.05;
    this.xDot = Math.random() * 0.1 - 0.05;
    this.theta = Math.random() * 0.1 - 0.05;
    this.thetaDot = Math.random() * 0.1 - 0.05;
    this.steps = 0;
    return [this.x, this.xDot, this.theta, this.thetaDot];
  }
  step(action: number): StepOut {
    const force = action === 1 ? 10 : -10;
    const c = Math.cos(this.theta);
    const s = Math.sin(this.theta);
    const temp = (force + 0.05 * this.thetaDot * this.thetaDot * s) / 1.1;
    const thetaAcc = (9.8 * s - c * temp) / (0.5 * (4 / 3 - (0.1 * c * c) / 1.1));
    const xAcc = temp - (0.05 * thetaAcc * c) / 1.1;
    this.x += 0.02 * this.xDot;
    this.xDot += 0.02 * xAcc;
    this.theta += 0.02 * this.thetaDot;
    this.thetaDot += 0.02 * thetaAcc;
    this.steps++;
    const terminated = this.x < -2.4 || this.x > 2.4 || this.theta < -0.2094 || this.theta > 0.2094;
    return { obs: [this.x, this.xDot, this.theta, this.thetaDot], reward: 1, terminated, truncated: this.steps >= 500 };
  }
}
class NaivePendulum {
  th = 0;
  thDot = 0;
  steps = 0;
  constructor() {
    this.reset();
  }
  reset(): number[] {
    this.th = Math.random() * 2 * Math.PI - Math.PI;
    this.thDot = Math.random() * 2 - 1;
    this.steps = 0;
    return [Math.cos(this.th), Math.sin(this.th), this.thDot];
  }
  step(action: number): StepOut {
    const u = Math.min(2, Math.max(-2, action));
    const norm = ((((this.th + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
    const cost = norm * norm + 0.1 * this.thDot * this.thDot + 0.001 * u * u;
    this.thDot = Math.min(8, Math.max(-8, this.thDot + (15 * Math.sin(this.th) + 3 * u) * 0.05));
    this.th += this.thDot * 0.05;
    this.steps++;
    return {
      obs: [Math.cos(this.th), Math.sin(this.th), this.thDot],
      reward: -cost,
      terminated: false,
      truncated: this.steps >= 200,
    };
  }
}

function naiveRunner(id: string, n: number, pool: number[][]): () => number {
  const list: (NaiveCartPole | NaivePendulum)[] = [];
  for (let i = 0; i < n; i++) list.push(id === 'CartPole-v1' ? new NaiveCartPole() : new NaivePendulum());
  let k = 0;
  let sink = 0;
  return () => {
    const acts = pool[k++ % POOL] as number[];
    for (let i = 0; i < n; i++) {
      const env = list[i] as NaiveCartPole | NaivePendulum;
      const r = env.step(acts[i] as number);
      sink += r.reward;
      if (r.terminated || r.truncated) env.reset();
    }
    return sink;
  };
}

const suite: BenchSuite = {
  name: 'envs',
  run(ctx) {
    const rows: BenchRow[] = [];
    const sizes = ctx.quick ? [64, 4096] : [1, 64, 1024, 4096];
    for (const id of ['CartPole-v1', 'Pendulum-v1']) {
      for (const n of sizes) {
        const discrete = id === 'CartPole-v1';
        const pool: number[][] = [];
        for (let p = 0; p < POOL; p++)
          pool.push(
            Array.from({ length: n }, () => (discrete ? (Math.random() < 0.5 ? 0 : 1) : Math.random() * 4 - 2)),
          );
        const typedPool = pool.map((a) => (discrete ? Int32Array.from(a) : Float32Array.from(a)));
        // enough steps per timed call that the timer is not the measurement
        const stepsPerCall = Math.max(1, Math.ceil(200_000 / n));
        const record = (impl: string, ms: number, threads: number) =>
          rows.push({
            case: `${id} ${n} envs`,
            impl,
            medianMs: ms,
            rate: (n * stepsPerCall) / (ms / 1e3),
            rateUnit: 'steps/s',
            extra: { threads, stepsPerCall },
          });
        for (const [impl, b] of ctx.backends) {
          const env = envs.make(id, { numEnvs: n, seed: 1 });
          const r = env.result;
          // the bound step: buffers checked once (what VectorEnv.step uses)
          const h = b.envBind(
            env.config,
            env.state,
            env.tasks,
            env.elapsed,
            env.rng,
            r.obs,
            r.reward,
            r.terminated,
            r.truncated,
            r.finalObs,
          );
          let k = 0;
          const ms = ctx.time(() => {
            for (let s = 0; s < stepsPerCall; s++) b.envStepBound(h, typedPool[k++ % POOL]!);
          });
          record(impl, ms, b.threads());
          if (impl !== 'native') continue;
          // reference: the per-call form, which checks all 11 arrays on every step
          const unbound = ctx.time(() => {
            for (let s = 0; s < stepsPerCall; s++)
              b.envStep(
                env.config,
                env.state,
                env.tasks,
                env.elapsed,
                env.rng,
                typedPool[k++ % POOL]!,
                r.obs,
                r.reward,
                r.terminated,
                r.truncated,
                r.finalObs,
              );
          });
          record('native envStep (unbound)', unbound, b.threads());
          // the public API (on the default backend, native here)
          if (getBackend().name !== 'native') continue;
          const vms = ctx.time(() => {
            for (let s = 0; s < stepsPerCall; s++) env.step(typedPool[k++ % POOL]!);
          });
          record('native VectorEnv.step', vms, b.threads());
        }
        const naive = naiveRunner(id, n, pool);
        const ms = ctx.time(() => {
          for (let s = 0; s < stepsPerCall; s++) naive();
        });
        record('naive-js', ms, 1);
      }
    }
    return rows;
  },
};
export default suite;
