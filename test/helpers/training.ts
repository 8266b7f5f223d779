// What the training suites share.
import type { UpdateStats } from '../../src/rl/index.js';

/** Training options that stop the run at the end of update `n`, through its AbortSignal. */
export function abortAfter(n: number): { signal: AbortSignal; onUpdate: (s: UpdateStats) => void } {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onUpdate: (s) => {
      if (s.update === n) controller.abort();
    },
  };
}
