// The small Navigation2D meta-batch the MAML-RL / Reptile tests share: 10-step episodes and an
// 8-unit policy keep a meta-iteration to milliseconds while every code path still runs.

/** A 3-task meta-batch of 2 episodes each, 2 inner steps (Reptile's tests). */
export const smallNavigation = {
  env: 'Navigation2D-v0',
  envOptions: { maxEpisodeSteps: 10 },
  policy: { hidden: [8] },
  metaBatch: 3,
  episodesPerTask: 2,
  innerSteps: 2,
} as const;
