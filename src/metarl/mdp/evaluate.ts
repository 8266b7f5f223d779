// metaRl.evaluateMdpTrials: total reward per trial of an agent on TabularMDP-v0 tasks drawn by
// the env (Duan et al.'s family), `episodesPerTrial` episodes per task, with a 95% interval.
import { make } from '../../envs/index.js';
import { bits, fold, key as makeKey, split } from '../../random/index.js';
import { checkInteger, checkKnownKeys } from '../../util/check.js';
import type { EvaluateTrialsResult } from '../evaluate.js';
import { Rng } from '../rng.js';
import type { MdpAgent, MdpTransition, MdpView } from './types.js';

/** Options of `evaluateMdpTrials`. */
export interface EvaluateMdpTrialsOptions {
  /** TabularMDP-v0 options: states (10), actions (5), horizon (10). */
  envOptions?: { states?: number; actions?: number; horizon?: number };
  /** Episodes per trial (default 10). */
  episodesPerTrial?: number;
  /** Trials, each on a fresh task (default 1000). */
  trials?: number;
  /** Seed of tasks, env draws and the agent's own draws (default 0). */
  seed?: number;
}

const BATCH = 256;

function stateOf(obs: Float32Array, r: number, S: number): number {
  for (let j = 0; j < S; j++) if ((obs[r * S + j] as number) > 0.5) return j;
  return 0;
}

/** Plays `trials` trials of `agent` on TabularMDP-v0 and returns the total reward per trial. */
export async function evaluateMdpTrials(
  agent: Pick<MdpAgent, 'mdp' | 'name'>,
  options: EvaluateMdpTrialsOptions = {},
): Promise<EvaluateTrialsResult> {
  if (typeof agent !== 'object' || agent === null || typeof (agent as MdpAgent).mdp !== 'function')
    throw new TypeError('agent: expected a tabular-MDP agent (metaRl.mdpBaselines.* or an RL² policy)');
  checkKnownKeys(options, ['envOptions', 'episodesPerTrial', 'trials', 'seed'], 'options');
  const eo = options.envOptions ?? {};
  checkKnownKeys(eo, ['states', 'actions', 'horizon'], 'options.envOptions');
  const S = eo.states ?? 10;
  const A = eo.actions ?? 5;
  const H = eo.horizon ?? 10;
  checkInteger(S, 'options.envOptions.states', 1, 64);
  checkInteger(A, 'options.envOptions.actions', 1, 64);
  checkInteger(H, 'options.envOptions.horizon', 1, 2 ** 16);
  const episodes = options.episodesPerTrial ?? 10;
  checkInteger(episodes, 'options.episodesPerTrial', 1, 2 ** 16);
  const trials = options.trials ?? 1000;
  checkInteger(trials, 'options.trials', 1, 2 ** 24);
  const seed = options.seed ?? 0;
  checkInteger(seed, 'options.seed');
  const [taskKey, envKey, agentKey] = split(makeKey(seed), 3) as [Uint32Array, Uint32Array, Uint32Array];
  const rng = new Rng(agentKey);
  const perTrial = new Float64Array(trials);
  const setting = { states: S, actions: A, horizon: H, episodes };
  for (let b = 0, start = 0; start < trials; b++, start += BATCH) {
    const rows = Math.min(BATCH, trials - start);
    const env = make('TabularMDP-v0', {
      states: S,
      actions: A,
      horizon: H,
      numEnvs: rows,
      seed: bits(fold(envKey, b), 1)[0] as number,
    });
    try {
      env.setTasks(env.sampleTasks(fold(taskKey, b), rows));
      const actor = agent.mdp(setting, rows);
      let obs = env.reset();
      const states = new Int32Array(rows);
      const actions = new Int32Array(rows);
      const view: { -readonly [K in keyof MdpView]: MdpView[K] } = { t: 0, episode: 0, step: 0, rows, states, rng };
      const tr: MdpTransition = {
        rows,
        states,
        actions,
        rewards: new Float64Array(rows),
        nextStates: new Int32Array(rows),
        done: new Uint8Array(rows),
      };
      for (let t = 0; t < episodes * H; t++) {
        view.t = t;
        view.episode = Math.floor(t / H);
        view.step = t % H;
        for (let r = 0; r < rows; r++) states[r] = stateOf(obs, r, S);
        actor.act(view, actions);
        const res = env.step(actions);
        for (let r = 0; r < rows; r++) {
          const x = res.reward[r] as number;
          tr.rewards[r] = x;
          tr.nextStates[r] = stateOf(res.finalObs, r, S);
          tr.done[r] = (res.terminated[r] as number) | (res.truncated[r] as number);
          perTrial[start + r] = (perTrial[start + r] as number) + x;
        }
        actor.observe(tr);
        obs = res.obs;
      }
    } finally {
      env.close();
    }
  }
  let mean = 0;
  for (const x of perTrial) mean += x;
  mean /= trials;
  let ss = 0;
  for (const x of perTrial) ss += (x - mean) ** 2;
  const sd = trials > 1 ? Math.sqrt(ss / (trials - 1)) : 0;
  return { meanReturn: mean, ci95: (1.96 * sd) / Math.sqrt(trials), perTrial };
}
