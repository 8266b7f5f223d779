// `outerloop envs` (filled in by its issue).
import type { Command } from 'commander';

export function registerEnvsCommand(program: Command): void {
  void program;
}
