// `outerloop meta` (filled in by its issue).
import type { Command } from 'commander';

export function registerMetaCommand(program: Command): void {
  void program;
}
