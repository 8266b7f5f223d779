// Neuroevolution on CartPole-v1: OpenAI-ES (Adam on the mean) and the Deep Neuroevolution GA
// train a 4-64-2 tanh policy until it averages >= 475 over 100 held-out episodes.
// Every population is evaluated in one batched kernel call (P members × E envs × up to 500 steps).
//   npx tsx examples/evo_cartpole.ts [openaiEs|ga] [seed]
// Deterministic for a seed (same backend and thread count).
import { backend } from '../src/backend/index.js';
import * as evo from '../src/evo/index.js';
import * as nn from '../src/nn/index.js';
import * as optim from '../src/optim/index.js';
import * as random from '../src/random/index.js';

const SIZES = [4, 64, 2];
const ENV = 'CartPole-v1';
const MAX_GENERATIONS = 200;
const CHECK_EVERY = 5;

/** Mean return of one policy over 100 episodes from a seed the training never uses. */
async function heldOut(params: Float32Array): Promise<number> {
  const r = await evo.rolloutPopulation(params, { env: ENV, sizes: SIZES, envsPerMember: 100, seed: 1_000_003 });
  return r.returns[0] as number;
}

async function train(which: 'openaiEs' | 'ga', seed: number) {
  const net = nn.mlp({ sizes: SIZES, activation: 'tanh' });
  const x0 = net.init(seed);
  const strategy: evo.Strategy =
    which === 'openaiEs'
      ? evo.openaiEs({ popSize: 64, sigma: 0.1, optimizer: optim.adam({ lr: 0.03 }), minimize: false })
      : evo.ga({ popSize: 128, sigma: 0.05, parents: 16, minimize: false });
  const [initKey, runKey] = random.split(random.key(seed), 2) as [random.Key, random.Key];
  let state = strategy.init(initKey, x0);
  const envsPerMember = 3;
  let episodes = 0;
  const t0 = performance.now();
  for (let g = 0; g < MAX_GENERATIONS; g++) {
    const genKey = random.fold(runKey, g);
    const pop = strategy.ask(state, random.fold(genKey, 0));
    const r = await evo.rolloutPopulation(pop, {
      env: ENV,
      sizes: SIZES,
      envsPerMember,
      seed: random.fold(genKey, 1),
    });
    episodes += pop.popSize * envsPerMember;
    state = strategy.tell(state, pop, r.returns);
    if ((g + 1) % CHECK_EVERY === 0) {
      const candidate = strategy.center(state);
      const score = await heldOut(candidate);
      console.log(
        `${which} gen ${g + 1}: population mean ${(r.returns.reduce((a, b) => a + b, 0) / r.returns.length).toFixed(1)}, ` +
          `held-out mean over 100 episodes ${score.toFixed(1)}`,
      );
      if (score >= 475) {
        return { which, seed, generations: g + 1, episodes, score, seconds: (performance.now() - t0) / 1e3 };
      }
    }
  }
  return {
    which,
    seed,
    generations: MAX_GENERATIONS,
    episodes,
    score: Number.NaN,
    seconds: (performance.now() - t0) / 1e3,
  };
}

const which = (process.argv[2] ?? 'both') as 'openaiEs' | 'ga' | 'both';
const seed = Number(process.argv[3] ?? 0);
console.log(`backend ${backend.current()}, threads ${backend.threads()}`);
for (const w of which === 'both' ? (['openaiEs', 'ga'] as const) : [which]) {
  const r = await train(w, seed);
  console.log(
    Number.isNaN(r.score)
      ? `${w}: NOT solved within ${MAX_GENERATIONS} generations (${r.episodes} training episodes)`
      : `${w}: solved (held-out mean ${r.score.toFixed(1)} over 100 episodes) after ${r.generations} generations, ` +
          `${r.episodes} training episodes, ${r.seconds.toFixed(1)} s`,
  );
}
