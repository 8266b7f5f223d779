import { rl, backend } from '../src/index.js';
const obj = (process.argv[2] ?? 'clip') as 'clip';
const steps = Number(process.argv[3] ?? 100000);
const t0 = performance.now();
const { policy, history } = await rl.ppo.train({ env: 'CartPole-v1', totalSteps: steps, seed: 1, objective: obj,
  onUpdate: (s) => { if (s.update % 50 === 0) console.log(s.update, s.steps, s.meanReturn.toFixed(1), s.policyLoss.toFixed(4), s.valueLoss.toFixed(3), s.entropy.toFixed(3), s.approxKl.toFixed(4)); } });
const sec = (performance.now() - t0) / 1000;
console.log(backend.current(), 'train s', sec.toFixed(2), 'steps/s', (history.at(-1)!.steps / sec).toFixed(0));
const ev = await rl.evaluate(policy, { episodes: 100, seed: 7 });
console.log('eval', ev.meanReturn, ev.stdReturn);
