/**
 * Process-tree accounting from Linux /proc: which processes belong to a server (its process
 * group, its session, and any descendant by parent pid) and their summed RSS and CPU time.
 * Elsewhere (macOS, Windows) every function returns null and callers mark figures unavailable.
 *
 * Hand-written because no maintained npm package reads RSS and CPU of a whole tree on Linux without
 * spawning `ps` per sample (pidusage/pidtree spawn or read one pid at a time).
 * This kernel has no /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN off here), so
 * the tree is found by one scan of /proc/[0-9]*\/stat.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One process as read from /proc/<pid>/stat. */
export interface ProcStat {
  /** Process id. */
  pid: number;
  /** Process state letter: R, S, D, Z (zombie: exited, not yet reaped), T… */
  state: string;
  /** Parent's process id. */
  ppid: number;
  /** Process group id. */
  pgrp: number;
  /** Session id. */
  session: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Start time after boot, in clock ticks: identifies the process across pid reuse. */
  startTicks: number;
  /** Resident set size in bytes. */
  rssBytes: number;
}

/** Summed figures of a process tree at one instant. */
export interface TreeSample {
  /** Pids found in the tree. */
  pids: number[];
  /** Sum of RSS over the tree, bytes. */
  rssBytes: number;
  /** Sum of user+system CPU time over the tree, microseconds (10 ms resolution at 100 Hz). */
  cpuUs: number;
}

/** Clock ticks per second for /proc times; 100 on every mainstream Linux build (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;

let pageSizeBytes = 0;

/** True where /proc gives per-process stat files (Linux). */
export const procfsAvailable: boolean = process.platform === 'linux' && readStat(process.pid) !== null;

function pageSize(): number {
  if (pageSizeBytes) return pageSizeBytes;
  pageSizeBytes = 4096;
  try {
    const statmPages = Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    if (statmPages > 0 && kb > 0) {
      const ratio = (kb * 1024) / statmPages;
      // Round to a power of two: RSS moves between the two reads, the page size does not.
      pageSizeBytes = 2 ** Math.round(Math.log2(ratio));
    }
  } catch {
    /* keep 4096 */
  }
  return pageSizeBytes;
}

/** Read one process's stat line; null when it is gone or /proc is absent. */
export function readStat(pid: number): ProcStat | null {
  const text = readProcFile(pid, 'stat');
  if (text === null) return null;
  // comm (field 2) may contain spaces and parentheses: fields resume after the last ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field N is f[N - 3].
  const num = (field: number): number => Number(f[field - 3]);
  return {
    pid,
    state: f[0] ?? '?',
    ppid: num(4),
    pgrp: num(5),
    session: num(6),
    cpuTicks: num(14) + num(15),
    startTicks: num(22),
    rssBytes: num(24) * pageSize(),
  };
}

/** Every process in the tree rooted at `rootPid` (spawned detached, so it leads its own group and session). */
export function listTree(rootPid: number): ProcStat[] | null {
  return listForest([rootPid]);
}

/** Every process in the trees rooted at `roots` (one /proc scan for a whole pool). */
export function listForest(roots: readonly number[]): ProcStat[] | null {
  if (!procfsAvailable) return null;
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const all: ProcStat[] = [];
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const st = readStat(Number(name));
    if (st) all.push(st);
  }
  const rootSet = new Set(roots);
  const inTree = new Set<number>();
  for (const st of all) {
    if (rootSet.has(st.pid) || rootSet.has(st.pgrp) || rootSet.has(st.session)) inTree.add(st.pid);
  }
  // A descendant that called setsid()/setpgid() leaves the group but keeps its parent chain.
  let grew = true;
  while (grew) {
    grew = false;
    for (const st of all) {
      if (!inTree.has(st.pid) && inTree.has(st.ppid)) {
        inTree.add(st.pid);
        grew = true;
      }
    }
  }
  return all.filter((st) => inTree.has(st.pid));
}

/** Sum RSS and CPU over the tree rooted at `rootPid`; null off Linux or when no live process is left. */
export function sampleTree(rootPid: number): TreeSample | null {
  const tree = listTree(rootPid);
  if (!tree) return null;
  return summarize(tree);
}

/** Sum RSS and CPU over the trees rooted at `roots`; null off Linux or when no live process is left. */
export function sampleForest(roots: readonly number[]): TreeSample | null {
  const forest = listForest(roots);
  return forest ? summarize(forest) : null;
}

/** Sum RSS and CPU over known processes (cheaper than a /proc scan: reads only their stat files); null when none lives. */
export function sampleKnown(pids: readonly number[]): TreeSample | null {
  if (!procfsAvailable) return null;
  const found: ProcStat[] = [];
  for (const pid of pids) {
    const st = readStat(pid);
    if (st) found.push(st);
  }
  return summarize(found);
}

/**
 * Null when no live process is left: a dead tree (gone, or zombies, whose RSS reads 0) is not a
 * measurement of 0 bytes, and a figure such as "RSS 43 MiB → 0 B" would blame the server's memory
 * for its death.
 */
function summarize(all: ProcStat[]): TreeSample | null {
  const tree = all.filter((st) => st.state !== 'Z');
  if (tree.length === 0) return null;
  let rssBytes = 0;
  let ticks = 0;
  for (const st of tree) {
    rssBytes += st.rssBytes;
    ticks += st.cpuTicks;
  }
  return { pids: tree.map((s) => s.pid), rssBytes, cpuUs: (ticks * 1e6) / CLOCK_TICKS_PER_SECOND };
}

/**
 * Peak resident set of one process so far, bytes: the kernel's high-water mark (VmHWM in
 * /proc/<pid>/status), kept exactly at every page fault, so one read after the fact replaces
 * sampling RSS while the process runs. Null when the process is gone or the file is unreadable.
 */
export function readPeakRss(pid: number): number | null {
  const text = readProcFile(pid, 'status');
  if (text === null) return null;
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(text)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}

/**
 * Peak RSS of a process tree as one read: the sum over its live processes of each one's own peak
 * (readPeakRss). An upper bound of the tree's simultaneous peak when members peaked at different
 * moments; processes that already exited are not counted. Null off Linux or when none is readable.
 */
export function peakTreeRss(rootPid: number): number | null {
  const tree = listTree(rootPid);
  if (!tree) return null;
  let total = 0;
  let read = 0;
  for (const st of tree) {
    if (st.state === 'Z') continue;
    const peak = readPeakRss(st.pid);
    if (peak === null) continue;
    total += peak;
    read++;
  }
  return read > 0 ? total : null;
}

/** Read a process's argv from /proc (NUL-separated); null when unavailable. */
export function readCmdline(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const parts = raw.split('\0');
    if (parts.at(-1) === '') parts.pop();
    return parts.length ? parts : null;
  } catch {
    return null;
  }
}

/** The inode behind a process's file descriptor, e.g. 'pipe:[1234]'; null when unreadable. */
export function readFdLink(pid: number, fd: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return null;
  }
}

/** Working directory of a process; null when unreadable. */
export function readCwd(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

/** Absolute path of the executable of `pid`; null when unreadable (other user, exited, not Linux). */
export function readProcExe(pid: number): string | null {
  try {
    // The kernel appends " (deleted)" when the binary was replaced after start (e.g. by an upgrade).
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return null;
  }
}

/** /proc/<pid>/<name> as text; null when the process is gone or /proc is absent. */
function readProcFile(pid: number, name: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'latin1');
  } catch {
    return null;
  }
}
