/**
 * Find the process that actually serves MCP behind a package runner (npx → sh → node server.js,
 * uvx → python), so its cold start can be measured without the runner's overhead.
 *
 * The server is the process reading the pipe mcp-opt writes to: a runner passes its stdin down
 * (stdio: 'inherit'), so the deepest descendant whose fd 0 is the root's fd 0 is the server.
 * Shells on the way (npm runs bins with `sh -c`) share that pipe too and are skipped: mcp-opt
 * never launches a shell.
 */
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { listTree, readCmdline, readCwd, readFdLink, type ProcStat, readProcExe } from '../procfs.js';
import type { StdioLaunch } from '../serverProcess.js';
import { lookupCommand } from './which.js';

/** Shells that wrappers interpose; never the server. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);

/**
 * The direct launch of the server under the runner tree at `rootPid`, with the caller's env
 * (`launch.env`: the user's environment, not the runner's additions); null when the root is
 * itself the server, only shells share its stdin, /proc is unavailable, or the argv cannot be
 * trusted.
 */
export function findDirectLaunch(rootPid: number, launch: StdioLaunch): StdioLaunch | null {
  const tree = listTree(rootPid);
  const stdin = readFdLink(rootPid, 0);
  if (!tree || !stdin) return null;
  const byPid = new Map(tree.map((st) => [st.pid, st]));
  const candidates = tree
    .filter((st) => st.pid !== rootPid && readFdLink(st.pid, 0) === stdin)
    .map((st) => ({ st, depth: depthBelow(st, rootPid, byPid), argv: readCmdline(st.pid), exe: readProcExe(st.pid) }))
    .filter((c): c is typeof c & { argv: [string, ...string[]] } => c.argv !== null && !looksRewritten(c.argv))
    .filter((c) => !isShell(c.argv[0], c.exe))
    // Deepest first; among equals, the most recently started (earlier ones are helpers that ran first).
    .sort((a, b) => b.depth - a.depth || b.st.startTicks - a.st.startTicks);
  const server = candidates[0];
  if (!server) return null;
  const cwd = readCwd(server.st.pid) ?? launch.cwd;
  const command = absoluteCommand(server.argv[0], server.exe, cwd, launch.env);
  if (!command) return null;
  return { command, args: server.argv.slice(1), cwd, env: launch.env };
}

/**
 * Generations between `st` and the root. A process whose parent chain leaves the tree (its
 * parent exited and it was re-parented, e.g. a double-forking wrapper) counts as deeper than
 * every connected one: it can only have been started from inside the runner.
 */
function depthBelow(st: ProcStat, rootPid: number, byPid: Map<number, ProcStat>): number {
  let depth = 0;
  for (let cur: ProcStat | undefined = st; cur; cur = byPid.get(cur.ppid)) {
    if (cur.pid === rootPid) return depth;
    depth++;
    if (depth > byPid.size) break;
  }
  return depth + byPid.size;
}

/**
 * A process that set its title (Node's process.title, Python's setproctitle) overwrote its argv
 * area: /proc shows the title followed by NUL padding, i.e. several trailing empty arguments.
 */
function looksRewritten(argv: string[]): boolean {
  return argv[0] === '' || (argv.length >= 3 && argv.at(-1) === '' && argv.at(-2) === '');
}

/** A shell, by its argv[0] or its executable (/proc/<pid>/exe; null when unreadable). */
function isShell(argv0: string, exe: string | null): boolean {
  // A login shell shows as "-bash".
  return SHELLS.has(basename(argv0).replace(/^-/, '')) || (exe !== null && SHELLS.has(basename(exe)));
}

/**
 * An absolute path for argv[0]. Prefer the name as launched (a venv's python is a symlink that
 * must be run by that name to find its pyvenv.cfg) when it is the same program as
 * /proc/<pid>/exe; fall back to exe when argv[0] is a bare name not on PATH. An argv[0] naming
 * another program means the process rewrote its argv (process.title, setproctitle): then the
 * argv cannot be replayed and null is returned.
 */
function absoluteCommand(argv0: string, exe: string | null, cwd: string, env: NodeJS.ProcessEnv): string | null {
  let candidate: string | null = null;
  if (argv0.startsWith('/')) candidate = argv0;
  else if (argv0.includes('/')) candidate = resolve(cwd, argv0);
  else {
    const found = lookupCommand(argv0, { baseDir: cwd, pathVar: env.PATH });
    if (found.kind === 'found') candidate = found.path;
  }
  if (exe === null) return candidate;
  if (candidate !== null && sameFile(candidate, exe)) return candidate;
  // "python3" run as python3.12, "node" as nodejs: the same program under a versioned name.
  const name = basename(argv0);
  if (!argv0.includes('/') && basename(exe).startsWith(name)) return exe;
  return null;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
