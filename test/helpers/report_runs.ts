// Run folders the report tests read: two PPO seeds of one config, a MAML run and a CMA-ES run,
// each written by the real CLI with tiny budgets into `tmp`.
import * as path from 'node:path';
import { cli } from './cli.js';

export interface ReportRuns {
  /** Two seeds of one PPO config (one report group). */
  ppo: string[];
  meta: string;
  evo: string;
}

export async function writeReportRuns(tmp: string): Promise<ReportRuns> {
  const ppo: string[] = [];
  for (const seed of ['1', '2']) {
    const dir = path.join(tmp, `ppo-s${seed}`);
    await cli(
      'train',
      'ppo',
      '--env',
      'CartPole-v1',
      '--total-steps',
      '2048',
      '--hidden',
      '8',
      '--seed',
      seed,
      '--json',
      '--out',
      dir,
    );
    ppo.push(dir);
  }
  const meta = path.join(tmp, 'maml');
  await cli(
    'meta',
    'maml',
    '--iterations',
    '3',
    '--hidden',
    '8',
    '--meta-batch',
    '2',
    '--eval-tasks',
    '2',
    '--json',
    '--out',
    meta,
  );
  const evo = path.join(tmp, 'cma');
  await cli('evo', 'cmaEs', '--dim', '3', '--generations', '4', '--json', '--out', evo);
  return { ppo, meta, evo };
}
