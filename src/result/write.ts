/**
 * Result files: written atomically (temp file in the same folder, opened exclusively, fsync, rename),
 * so a reader or a crash never sees half a file. Checkpoints rewrite the same path as a run goes on.
 * Before a run measures anything, probeWritable checks that its result can be saved at all.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fsReason } from '../util/fsReason.js';
import { removeStaleTemps, tempPathFor } from '../util/tempFiles.js';

/** Default result path: <reportsDir>/<kind>-<UTC timestamp>.json (colons avoided for portability). */
export function defaultResultPath(reportsDir: string, kind: string, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return resolve(reportsDir, `${kind}-${stamp}.json`);
}

/** Write `text` to `path` atomically, creating the folder if needed. */
export function writeFileAtomic(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir);
  const tmp = tempPathFor(path);
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

/**
 * Why a file could not be saved at `path`, or null when it can: a probe file is created and removed
 * in the folder (or, when the folder does not exist yet, in the nearest folder that does, where it
 * would be created). A real write, not a permission check, so it holds for root, read-only mounts
 * and /proc alike. Creates nothing that stays.
 */
export function probeWritable(path: string): string | null {
  let dir = dirname(resolve(path));
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is a file, not a folder`;
    const probe = tempPathFor(resolve(dir, 'probe'));
    closeSync(openSync(probe, 'wx', 0o600));
    rmSync(probe, { force: true });
    return null;
  } catch (err) {
    return `no file can be created in ${dir}: ${fsReason(err)}`;
  }
}

/** Serialise a result the way every writer does (2-space indent, trailing newline). */
export function serializeResult(result: unknown): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
