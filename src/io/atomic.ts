// Atomic file writes: write a temporary file next to the target, flush it to disk, then rename it
// over the target. A reader (or a crash, or Ctrl-C) sees either the old file or the new one,
// never a half-written one — rename within one directory is atomic on POSIX and on NTFS.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OuterloopError } from '../errors.js';

/** A failed write (disk full, file too large, no permission) as an error naming the file. */
function writeError(file: string, e: unknown): OuterloopError {
  const code = (e as { code?: string }).code;
  const err = new OuterloopError(
    `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}; the previous file (if any) is unchanged`,
    { cause: e },
  );
  if (code !== undefined) (err as OuterloopError & { code?: string }).code = code;
  return err;
}

function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `data` to `file` atomically (temp file + fsync + rename); creates the parent folder. */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempPathFor(file);
  let handle: fs.promises.FileHandle | undefined;
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    handle = await fs.promises.open(tmp, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => {});
    await fs.promises.rm(tmp, { force: true });
    throw writeError(file, e);
  }
}

/**
 * The synchronous form, for the few places that cannot await (a signal handler finishing a
 * checkpoint before exit).
 */
export function writeFileAtomicSync(file: string, data: Uint8Array | string): void {
  const tmp = tempPathFor(file);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw writeError(file, e);
  }
}
