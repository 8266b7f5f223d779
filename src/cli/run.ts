// Entry for bin/outerloop.js.
import { main } from './main.js';

// `outerloop envs | head` closes the pipe early: stop quietly instead of throwing EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main().catch((e: unknown) => {
  process.stderr.write(`outerloop: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
