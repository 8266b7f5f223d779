// `outerloop learn optimizer|objective`: meta-training of the learning algorithm itself (issue 17)
// — a learned per-parameter optimizer (learn_optimizer.ts) or a discovered PPO drift
// (learn_objective.ts). This file only groups the two subcommands.
import type { Command } from 'commander';
import { registerLearnObjectiveCommand } from './learn_objective.js';
import { registerLearnOptimizerCommand } from './learn_optimizer.js';

/** Adds `learn` with its `optimizer` and `objective` subcommands to the program. */
export function registerLearnCommand(program: Command): void {
  const learn = program
    .command('learn')
    .description('meta-train a learned optimizer (learn optimizer) or a PPO drift objective (learn objective)');
  registerLearnOptimizerCommand(learn);
  registerLearnObjectiveCommand(learn);
}
