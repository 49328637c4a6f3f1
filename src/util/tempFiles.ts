/**
 * Temporary files of atomic writes (result files, patched configs): created in the target's own
 * folder so the rename is atomic, and named recognisably with the writer's pid
 * (`.<name>.<pid>.<hex>.mcp-opt-tmp`), so that one left behind by a process killed between write
 * and rename is found and removed by the next mcp-opt that writes in that folder.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A temporary of a live writer older than this is stale anyway (a write takes milliseconds; pids get reused). */
export const STALE_TEMP_MS = 15 * 60_000;

const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.mcp-opt-tmp$/;

/** A fresh temporary path beside `path`. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.mcp-opt-tmp`);
}

/** Folders already swept in this run (one sweep each: checkpoints rewrite the same folder often). */
const swept = new Set<string>();

/** Sweep every folder again on its next write: each CLI run (src/cli/runState.ts) starts afresh. */
export function forgetSweptFolders(): void {
  swept.clear();
}

/** Whether process `pid` exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove mcp-opt temporaries in `dir` that this user owns and whose writer is gone (its pid is dead)
 * or that are older than STALE_TEMP_MS; returns the paths removed. Never throws: a folder that
 * cannot be listed is the write's problem to report, not the sweep's.
 */
export function removeStaleTemps(dir: string, now: number = Date.now()): string[] {
  if (swept.has(dir)) return [];
  swept.add(dir);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (!st.isFile() || (uid !== undefined && st.uid !== uid)) continue;
      const pid = Number(m[1]);
      const dead = pid !== process.pid && !alive(pid);
      if (dead || now - st.mtimeMs > STALE_TEMP_MS) {
        rmSync(path, { force: true });
        removed.push(path);
      }
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}

/** Forget which folders were swept (for tests). */
export function resetSweptFolders(): void {
  swept.clear();
}
