/**
 * Result files: written atomically (temp file in the same folder, opened exclusively, fsync, rename),
 * so a reader or a crash never sees half a file. Checkpoints rewrite the same path as a run goes on.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Default result path: <reportsDir>/<kind>-<UTC timestamp>.json (colons avoided for portability). */
export function defaultResultPath(reportsDir: string, kind: string, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return resolve(reportsDir, `${kind}-${stamp}.json`);
}

/** Write `text` to `path` atomically, creating the folder if needed. */
export function writeFileAtomic(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Serialise a result the way every writer does (2-space indent, trailing newline). */
export function serializeResult(result: unknown): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
