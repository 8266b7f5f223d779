// Entry for bin/outerloop.js.
import { main } from './main.js';

main().catch((e: unknown) => {
  process.stderr.write(`outerloop: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
