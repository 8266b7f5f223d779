// The RL² input at step t (Duan et al. 2016; garage RL2Env): [s_t, one-hot a_{t−1}, r_{t−1},
// d_{t−1}], with zeros for the action, reward and flag at a trial's first step. d is 1 right
// after an episode ended inside the trial: the hidden state carries on, the agent is told.

/** Width of the RL² input for an env with `obsDim` observations and `actions` discrete actions. */
export function inputSize(obsDim: number, actions: number): number {
  return obsDim + actions + 2;
}

/**
 * Writes one row's input at `off` of `out`: obs (`obsDim` floats from `obs` at `obsOff`), then the
 * previous action one-hot (none when `prevAction` < 0), the previous reward and the done flag.
 */
export function writeInput(
  out: Float64Array,
  off: number,
  obs: ArrayLike<number>,
  obsOff: number,
  obsDim: number,
  actions: number,
  prevAction: number,
  prevReward: number,
  prevDone: number,
): void {
  for (let j = 0; j < obsDim; j++) out[off + j] = obs[obsOff + j] as number;
  const a = off + obsDim;
  for (let j = 0; j < actions; j++) out[a + j] = 0;
  if (prevAction >= 0) out[a + prevAction] = 1;
  out[a + actions] = prevReward;
  out[a + actions + 1] = prevDone;
}
