/**
 * Tabular-MDP baselines of RL² (Duan et al. 2016, Table 2; definitions in reference §5.4):
 * random, greedy (posterior-mean MDP), PSRL (Osband et al. 2013) and BEB (Kolter & Ng 2009).
 * The model-based ones plan once per episode, at its start, by finite-horizon DP over the
 * episode's horizon, then act greedily on Q_{steps left}; ties are broken uniformly at random.
 *
 * @module
 */
import { checkKnownKeys, checkRange } from '../../util/check.js';
import type { Rng } from '../rng.js';
import { finiteHorizonQ } from './dp.js';
import { MdpPosterior } from './posterior.js';
import type { MdpActor, MdpAgent, MdpSetting, MdpView } from './types.js';

/** Uniformly random actions. */
export function random(): MdpAgent {
  return {
    kind: 'metaRl.mdpAgent',
    name: 'random',
    mdp: ({ actions }) => ({
      act(view, out) {
        for (let r = 0; r < view.rows; r++) out[r] = Math.min(actions - 1, Math.floor(view.rng.uniform() * actions));
      },
      observe() {},
    }),
  };
}

function argmaxQ(q: Float64Array, off: number, A: number, rng: Rng): number {
  let best = Number.NEGATIVE_INFINITY;
  let arg = 0;
  let ties = 0;
  for (let a = 0; a < A; a++) {
    const v = q[off + a] as number;
    if (v > best + 1e-12) {
      best = v;
      arg = a;
      ties = 1;
    } else if (v >= best - 1e-12 && rng.uniform() * ++ties < 1) arg = a;
  }
  return arg;
}

// A planner that, at every episode start, fills (p, rew) for a row and solves the DP.
function planning(
  name: string,
  model: (post: MdpPosterior, row: number, rng: Rng, p: Float64Array, rew: Float64Array) => void,
): MdpAgent {
  return {
    kind: 'metaRl.mdpAgent',
    name,
    mdp(setting: MdpSetting, rows: number): MdpActor {
      const { states: S, actions: A, horizon: H } = setting;
      const post = new MdpPosterior(rows, S, A);
      const q = new Float64Array(rows * H * S * A);
      const p = new Float64Array(S * A * S);
      const rew = new Float64Array(S * A);
      return {
        act(view: MdpView, out: Int32Array) {
          if (view.t === 0) post.reset();
          for (let r = 0; r < rows; r++) {
            const qr = q.subarray(r * H * S * A, (r + 1) * H * S * A);
            if (view.step === 0) {
              model(post, r, view.rng, p, rew);
              finiteHorizonQ(p, 0, rew, 0, S, A, H, qr);
            }
            const left = H - view.step;
            out[r] = argmaxQ(qr, (left - 1) * S * A + (view.states[r] as number) * A, A, view.rng);
          }
        },
        observe: (tr) => post.observe(tr),
      };
    },
  };
}

/** Acts optimally in the posterior-mean MDP (no exploration bonus): BEB with β = 0. */
export function greedy(): MdpAgent {
  return planning('greedy', (post, r, _rng, p, rew) => post.meanMdp(r, p, rew, 0));
}

/**
 * PSRL (Osband, Russo & Van Roy 2013): at every episode start draw an MDP from the posterior
 * (Dirichlet(1 + counts) transitions, Normal reward means) and follow its optimal policy.
 */
export function psrl(): MdpAgent {
  return planning('psrl', (post, r, rng, p, rew) => post.sampleMdp(r, rng, p, rew));
}

/** Options of `beb`. */
export interface BebOptions {
  /** Bonus scale β in β / (1 + n(s, a)) (default 1; the paper's value is unverified). */
  beta?: number;
}

/** BEB (Kolter & Ng 2009): optimal policy of the posterior-mean MDP with reward bonus β / (1 + n(s, a)). */
export function beb(options: BebOptions = {}): MdpAgent {
  checkKnownKeys(options, ['beta'], 'options');
  const beta = options.beta ?? 1;
  checkRange(beta, 'options.beta', 0, Number.MAX_VALUE);
  return planning(`beb(β=${beta})`, (post, r, _rng, p, rew) => post.meanMdp(r, p, rew, beta));
}
