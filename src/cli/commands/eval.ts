// `outerloop eval` (filled in by its issue).
import type { Command } from 'commander';

export function registerEvalCommand(program: Command): void {
  void program;
}
