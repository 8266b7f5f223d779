// `outerloop train` (filled in by its issue).
import type { Command } from 'commander';

export function registerTrainCommand(program: Command): void {
  void program;
}
