/**
 * Which process tree's resources (RSS, CPU, process count) a run measures, and how it was found:
 * the process mcp-opt launched (stdio), the process that owns the listening port of a URL on this
 * machine (procNet.ts), or the pid the user gave with --pid. When none can be measured, the reason
 * is kept, so a report says why its resource figures are missing instead of leaving them blank.
 */
import { UsageError } from '../errors.js';
import type { LaunchSpec } from './launchSpec.js';
import { listeningSockets, socketOwners } from './procNet.js';
import { procfsAvailable, readStat } from './procfs.js';

/** How the measured server process was found. */
export type PidSource = 'launched' | 'listening-port' | '--pid';

/** The process tree(s) whose resources a run measures, or why none. */
export interface ServerProcessRef {
  /** Root pids of the measured trees (one per stdio pool instance; usually one); empty when none was found. */
  pids: number[];
  /** 'launched' (mcp-opt started it), 'listening-port' (owns the URL's port on this machine) or '--pid' (given); null when none. */
  source: PidSource | null;
  /** Why resources were not measured (remote host, another user's process, no Linux /proc), or null when they were. */
  unavailableReason: string | null;
}

/** Off Linux: no /proc to read any process from. */
const NO_PROCFS = (): string => `server resources are read from Linux /proc, which this system (${process.platform}) does not have`;

/** Hostnames that always mean this machine: 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped: URL writes [::ffff:127.0.0.1] as [::ffff:7f00:1].
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h)) return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Check a --pid before anything starts: exit 2 (UsageError) when no such process exists. */
export function checkPidExists(pid: number, flag = '--pid'): void {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user (its /proc/<pid>/stat is still readable).
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return;
    throw new UsageError(`${flag} ${pid}: no such process. Give the pid of the running server, e.g. from \`ss -ltnp\` or \`lsof -i :PORT\`.`);
  }
}

/** The processes mcp-opt launched (stdio targets). */
export function launchedProcesses(pids: number[]): ServerProcessRef {
  if (!procfsAvailable) return { pids, source: 'launched', unavailableReason: NO_PROCFS() };
  return { pids, source: 'launched', unavailableReason: null };
}

/** The server process of a target: launched (stdio `launchedPids`), --pid, or the owner of the URL's port. */
export function serverProcess(spec: LaunchSpec, launchedPids: number[], pidFlag: number | null): ServerProcessRef {
  if (spec.kind === 'stdio') return launchedProcesses(launchedPids);
  if (pidFlag !== null) return { pids: [pidFlag], source: '--pid', unavailableReason: procfsAvailable ? null : NO_PROCFS() };
  return listeningProcess(new URL(spec.url));
}

/** The process that owns the port of `url`, when the URL is on this machine (see procNet.ts). */
export function listeningProcess(url: URL): ServerProcessRef {
  const none = (why: string): ServerProcessRef => ({ pids: [], source: null, unavailableReason: why });
  if (!procfsAvailable) return none(NO_PROCFS());
  if (!isLoopbackHost(url.hostname)) {
    return none(`the server is on ${url.hostname}, not a loopback address: resources are measured for a server on this machine ` +
      '(127.0.0.1, ::1 or localhost in the URL) or one named with --pid');
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const sockets = listeningSockets(port);
  if (sockets === null) return none('/proc/net/tcp could not be read; give the server\'s pid with --pid');
  if (sockets.length === 0) {
    return none(`no socket listens on port ${port} in mcp-opt's network namespace (a server in a container or VM?); give the server's pid with --pid`);
  }
  const owners = socketOwners(sockets.map((s) => s.inode)).pids;
  if (owners.length === 0) {
    const uid = process.getuid?.();
    const other = sockets.find((s) => s.uid !== uid);
    return none(other
      ? `the socket listening on port ${port} belongs to another user (uid ${other.uid}), whose processes mcp-opt may not inspect; run mcp-opt as that user, or give the server's pid with --pid`
      : `no process whose file descriptors mcp-opt may read holds the socket listening on port ${port}; give the server's pid with --pid`);
  }
  // A socket inherited by forked workers is held by parent and children: measure from the top.
  const ownerSet = new Set(owners);
  const roots = owners.filter((pid) => !ownerSet.has(readStat(pid)?.ppid ?? -1)).sort((a, b) => a - b);
  return { pids: roots.length ? roots : [Math.min(...owners)], source: 'listening-port', unavailableReason: null };
}
