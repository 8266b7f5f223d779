// Random tabular CMDPs for tests and examples: peaked transitions, rewards in [0, 1), costs
// correlated with rewards (0.7r + 0.3u) so that the constraint binds, and the limit τ halfway
// between the least achievable cost and the cost of the unconstrained optimum (both by the LP).
import * as random from '../random/index.js';
import { checkInteger, checkRange } from '../util/check.js';
import { evaluatePolicy, solveCmdpLp, type TabularCmdp } from './cmdp.js';

/** A random CMDP with S states and A actions, deterministic in the seed. */
export function randomCmdp(seed: number, S: number, A: number, gamma = 0.9): TabularCmdp {
  checkInteger(S, 'constrained.randomCmdp: S', 1);
  checkInteger(A, 'constrained.randomCmdp: A', 1);
  checkRange(gamma, 'constrained.randomCmdp: gamma', 0, 1 - Number.EPSILON);
  const u = random.uniform(random.key(seed), S * A * S + 2 * S * A);
  const transitions = new Float64Array(S * A * S);
  for (let sa = 0; sa < S * A; sa++) {
    let t = 0;
    for (let s2 = 0; s2 < S; s2++) {
      const w = ((u[sa * S + s2] as number) + 0.05) ** 3;
      transitions[sa * S + s2] = w;
      t += w;
    }
    for (let s2 = 0; s2 < S; s2++) transitions[sa * S + s2] = (transitions[sa * S + s2] as number) / t;
  }
  const reward = Float64Array.from({ length: S * A }, (_, i) => u[S * A * S + i] as number);
  const cost = Float64Array.from(
    { length: S * A },
    (_, i) => 0.7 * (reward[i] as number) + 0.3 * (u[S * A * S + S * A + i] as number),
  );
  const base: TabularCmdp = {
    states: S,
    actions: A,
    transitions,
    reward,
    cost,
    gamma,
    initial: new Float64Array(S).fill(1 / S),
    limit: 2,
  };
  // costs lie in [0, 1), so limit 2 never binds: the unconstrained optimum; −cost as reward: the least cost.
  const free = solveCmdpLp(base) as NonNullable<ReturnType<typeof solveCmdpLp>>;
  const least = solveCmdpLp({ ...base, reward: cost.map((c) => -c) }) as NonNullable<ReturnType<typeof solveCmdpLp>>;
  const hi = evaluatePolicy(base, free.policy).vc;
  return { ...base, limit: 0.5 * (hi - least.value) };
}
