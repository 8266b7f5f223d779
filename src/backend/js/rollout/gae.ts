// GAE with correct bootstrapping: the twin of native/core/rollout/gae.{h,cc} (same float32
// operations in the same order).
import type { RolloutKernels } from '../../kernels/rollout.js';

const f = Math.fround;

export const gae: RolloutKernels['gae'] = (
  rewards,
  values,
  terminated,
  truncated,
  finalValues,
  lastValues,
  advantages,
  returns,
  s,
) => {
  const N = lastValues.length;
  const T = rewards.length / N;
  const g = f(s.gamma);
  const gl = f(g * f(s.lambda));
  const adv = advantages.length > 0 ? advantages : null;
  const ret = returns.length > 0 ? returns : null;
  const carry = new Float32Array(N);
  for (let t = T - 1; t >= 0; t--) {
    const o = t * N;
    const nextV = t + 1 < T ? values : lastValues;
    const nOff = t + 1 < T ? o + N : 0;
    for (let i = 0; i < N; i++) {
      const term = terminated[o + i] !== 0;
      const trunc = truncated[o + i] !== 0;
      const boot = term ? 0 : trunc ? (finalValues[o + i] as number) : (nextV[nOff + i] as number);
      const v = values[o + i] as number;
      const delta = f(f((rewards[o + i] as number) + f(g * boot)) - v);
      const a = term || trunc ? delta : f(delta + f(gl * (carry[i] as number)));
      carry[i] = a;
      if (adv) adv[o + i] = a;
      if (ret) ret[o + i] = f(a + v);
    }
  }
};
