/**
 * /proc/<pid>/exe, which procfs.ts does not expose: the binary a process is running, needed to
 * turn a bare argv[0] ("node") into an absolute path.
 */
import { readlinkSync } from 'node:fs';

/** Absolute path of the executable of `pid`; null when unreadable (other user, exited, not Linux). */
export function readProcExe(pid: number): string | null {
  try {
    // The kernel appends " (deleted)" when the binary was replaced after start (e.g. by an upgrade).
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return null;
  }
}
