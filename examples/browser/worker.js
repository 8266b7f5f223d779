// Trains PPO on CartPole-v1 with outerloop's browser bundle (js backend) inside a Web Worker, and
// posts the learning curve and, every few updates, one greedy episode of the current policy for
// the page to animate. Messages: {type:'update', steps, meanReturn, stepsPerSecond},
// {type:'episode', frames:[[x, θ], …], return}, {type:'done', solvedAt, steps, stepsPerSecond},
// {type:'error', message}.
import { envs, rl } from '../../dist/browser/browser.js';

function greedyEpisode(policy, seed) {
  const env = envs.make('CartPole-v1', { numEnvs: 1, seed });
  let obs = env.reset();
  const frames = [];
  let total = 0;
  for (let t = 0; t < 500; t++) {
    frames.push([obs[0], obs[2]]);
    const step = env.step(policy.act(obs, { deterministic: true }));
    total += step.reward[0];
    if (step.terminated[0] || step.truncated[0]) break;
    obs = step.obs;
  }
  return { frames, return: total };
}

self.onmessage = async (e) => {
  const { seed = 1, maxSteps = 100_000, target = 195, episodeEvery = 10 } = e.data;
  const controller = new AbortController();
  let solvedAt = null;
  const t0 = performance.now();
  let last = { steps: 0 };
  try {
    await rl.ppo.train({
      env: 'CartPole-v1',
      totalSteps: maxSteps,
      seed,
      signal: controller.signal,
      onUpdate: (s, policy) => {
        const stepsPerSecond = s.steps / ((performance.now() - t0) / 1000);
        last = { steps: s.steps, stepsPerSecond };
        self.postMessage({ type: 'update', steps: s.steps, meanReturn: s.meanReturn, stepsPerSecond });
        if (s.update % episodeEvery === 0) self.postMessage({ type: 'episode', ...greedyEpisode(policy, s.update) });
        // Stops at the first update whose mean return over the last 100 episodes reaches the target.
        if (solvedAt === null && s.meanReturn >= target) {
          solvedAt = s.steps;
          self.postMessage({ type: 'episode', ...greedyEpisode(policy, s.update) });
          controller.abort();
        }
      },
    });
    self.postMessage({ type: 'done', solvedAt, ...last });
  } catch (err) {
    self.postMessage({ type: 'error', message: String(err?.stack ?? err) });
  }
};
