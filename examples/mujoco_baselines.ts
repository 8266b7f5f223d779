// Returns of the two policies every MuJoCo result is compared against: uniform random torques
// in [-1, 1] and zero torques, on HalfCheetah-v5 (1000 steps) and on 40 held-out velocities of
// HalfCheetahVel-v0 (maml: U[0, 2], 100 steps) and both directions of HalfCheetahDir-v0
// (100 steps); the same for Ant-v5 (1000 steps), AntDir-v0 (100) and 40 goals of AntGoal-v0 (200).
// Mean ± 95% CI (1.96·sd/√n) over episodes; one episode per row (its return up to its first
// termination or truncation), fixed seeds.
//
//   npx tsx examples/mujoco_baselines.ts
import { envs, random } from '../src/index.js';

function episodeReturns(id: string, numEnvs: number, policy: 'random' | 'zero', tasks?: Float32Array): number[] {
  const env = envs.makeMujoco(id, { numEnvs, seed: 11 });
  if (tasks) env.setTasks(tasks);
  const total = new Float64Array(numEnvs);
  const alive = new Uint8Array(numEnvs).fill(1);
  const k = random.key(12);
  for (let t = 0; t < env.spec.maxEpisodeSteps; t++) {
    const a =
      policy === 'zero'
        ? new Float32Array(numEnvs * env.actionDim)
        : Float32Array.from(random.uniform(random.fold(k, t), numEnvs * env.actionDim), (u) => 2 * u - 1);
    const r = env.step(a);
    for (let i = 0; i < numEnvs; i++) {
      if (alive[i]) total[i] = (total[i] as number) + (r.reward[i] as number);
      if (r.terminated[i] || r.truncated[i]) alive[i] = 0;
    }
  }
  return Array.from(total);
}

function summary(xs: number[]): string {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
  return `${m.toFixed(1)} ± ${((1.96 * sd) / Math.sqrt(xs.length)).toFixed(1)} (n=${xs.length})`;
}

const vel = Float32Array.from(random.uniform(random.key(99), 40), (u) => 2 * u);
const dir = Float32Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : -1));
const goals = envs.makeMujoco('AntGoal-v0').sampleTasks(random.key(99), 40);
console.log('| env | random torques | zero torques |\n|---|---|---|');
for (const [id, n, tasks] of [
  ['HalfCheetah-v5', 16, undefined],
  ['HalfCheetahVel-v0', 40, vel],
  ['HalfCheetahDir-v0', 40, dir],
  ['Ant-v5', 16, undefined],
  ['AntDir-v0', 40, dir],
  ['AntGoal-v0', 40, goals],
] as const) {
  console.log(
    `| ${id} | ${summary(episodeReturns(id, n, 'random', tasks))} | ${summary(episodeReturns(id, n, 'zero', tasks))} |`,
  );
}
