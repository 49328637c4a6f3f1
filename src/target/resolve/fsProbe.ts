/**
 * Synchronous file probes. Resolution reads a handful of small files once, before anything is
 * spawned, so sync calls keep the resolvers simple without costing measurable time.
 */
import { accessSync, constants, openSync, readSync, closeSync, statSync, type Stats } from 'node:fs';

/** stat() following symlinks; null when the path does not exist or cannot be read. */
export function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** True when `path` is a regular file (after symlinks). */
export function isFile(path: string): boolean {
  return statOrNull(path)?.isFile() ?? false;
}

/** True when `path` is a directory (after symlinks). */
export function isDirectory(path: string): boolean {
  return statOrNull(path)?.isDirectory() ?? false;
}

/** True when the current user may execute `path` (access(2) X_OK, as execve would check). */
export function canExecute(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The interpreter line of a script (`#!/usr/bin/env node` → '/usr/bin/env node'), or null. */
export function readShebang(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    // The kernel reads at most 256 bytes of an interpreter line (BINPRM_BUF_SIZE), so do we.
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8');
    if (!head.startsWith('#!')) return null;
    return head.slice(2).split('\n')[0]!.trim();
  } finally {
    closeSync(fd);
  }
}
