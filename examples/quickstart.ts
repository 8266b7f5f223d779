// A first look: the backend in use, a vector env stepped with random actions, an MLP's gradient,
// and an Adam step. Run with `npx tsx examples/quickstart.ts`.
import { backend, envs, nn, optim, random } from '../src/index.js';

console.log(backend.info());

const env = envs.make('CartPole-v1', { numEnvs: 1024, seed: 0 });
env.reset();
const actions = new Int32Array(env.numEnvs);
let reward = 0;
for (let t = 0; t < 100; t++) {
  const u = random.uniform(random.fold(random.key(1), t), env.numEnvs);
  for (let i = 0; i < actions.length; i++) actions[i] = (u[i] as number) < 0.5 ? 0 : 1;
  const r = env.step(actions); // views, overwritten by the next step
  for (const x of r.reward) reward += x;
}
console.log(`CartPole-v1: ${env.numEnvs} envs × 100 steps, total reward ${reward}`);

const net = nn.mlp({ sizes: [4, 64, 64, 1], activation: 'tanh' });
const params = net.init(0);
const x = random.normal(random.key(2), 32 * 4);
const y = random.normal(random.key(3), 32);
const lossAndGrad = nn.valueAndGrad(net, nn.loss.mse(y));
const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam({ lr: 1e-3 }));
const state = opt.init(params);
for (let step = 0; step <= 200; step++) {
  const { value, grad } = lossAndGrad(params, x, 32);
  if (step % 50 === 0) console.log(`step ${step}: mse ${value.toFixed(4)}`);
  opt.step(params, grad, state);
}
