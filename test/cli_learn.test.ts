// `outerloop learn` groups the learned-optimizer and discovered-objective subcommands (issue 17);
// each subcommand's own behaviour is tested in test/learned_cli.test.ts and test/learned_lpo_cli.test.ts.
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';

describe('outerloop learn', () => {
  it('has the optimizer and objective subcommands, each with a run folder flag', () => {
    const learn = buildProgram().commands.find((c) => c.name() === 'learn');
    expect(learn).toBeDefined();
    const subs = new Map(learn?.commands.map((c) => [c.name(), c]));
    expect([...subs.keys()].sort()).toEqual(['objective', 'optimizer']);
    for (const c of subs.values()) expect(c.options.map((o) => o.long)).toContain('--out');
  });
});
