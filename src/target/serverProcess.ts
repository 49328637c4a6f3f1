/**
 * A server process started the way an MCP client starts one (stdio pipes, no shell), in its own
 * process group so that teardown reaches wrappers' children too (npx → node, uvx → python).
 *
 * Teardown follows the spec's stdio shutdown (2025-11-25 basic/lifecycle: close stdin, wait,
 * SIGTERM, SIGKILL) but signals the whole group, not only the direct child: the SDK's
 * StdioClientTransport signals only its child and leaves grandchildren behind
 * (typescript-sdk#2023).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ExitInfo } from '../errors.js';
import { listTree, readStat } from './procfs.js';
import { StderrRing } from './stderrRing.js';

/** What to launch: an exact argv, never a shell string. */
export interface StdioLaunch {
  /** Executable: an absolute path after resolution. */
  command: string;
  /** Arguments, passed as given. */
  args: string[];
  /** Working directory. */
  cwd: string;
  /** Full environment for the child (user's environment plus configured entries). */
  env: NodeJS.ProcessEnv;
  /** Keep the start of stderr whole (up to KEPT_STDERR_BYTES) in ServerProcess.stderrHead: `python -X importtime` lines for --profile. */
  keepStderrHead?: boolean;
}

/** Bounded waits of the teardown ladder, in milliseconds. */
export interface StopWaits {
  /** After closing stdin, how long to wait for a voluntary exit. */
  afterEofMs: number;
  /** After SIGTERM to the group, how long before SIGKILL. */
  afterTermMs: number;
}

/** Default teardown waits: the SDK waits 2 s at each step; mcp-opt keeps the same bound. */
export const DEFAULT_STOP_WAITS: StopWaits = { afterEofMs: 2000, afterTermMs: 2000 };
/** Waits where nothing is measured from the shutdown (era probe, failed start, warm session). */
export const QUICK_STOP_WAITS: StopWaits = { afterEofMs: 500, afterTermMs: 1000 };

/** How a stop went. */
export interface StopReport {
  /** Milliseconds from closing stdin to the leader's exit, when it exited on EOF alone. */
  eofToExitMs: number | null;
  /** Strongest signal that had to be sent to the group ('none' when EOF sufficed). */
  escalation: 'none' | 'SIGTERM' | 'SIGKILL';
  /** Processes of the tree that outlived the leader and had to be signalled. */
  strayProcesses: number;
}

/** Bytes of stderr kept whole when StdioLaunch.keepStderrHead is set. */
const KEPT_STDERR_BYTES = 8 * 1024 * 1024;

/** Every live server, so a signal handler can reap them all (see killAllNow). */
const live = new Set<ServerProcess>();
let exitHookInstalled = false;

/** A spawned server and its process group. */
export class ServerProcess {
  /** The child (group leader). */
  readonly child: ChildProcessWithoutNullStreams;
  /** Process id, also the process group id. */
  readonly pid: number;
  /** performance.now() just before spawn(). */
  readonly spawnedAt: number;
  /** performance.now() at the first stdout byte, or null. */
  firstStdoutAt: number | null = null;
  /** Last stderr lines and total volume. */
  readonly stderr = new StderrRing();
  /** The start of stderr, whole (StdioLaunch.keepStderrHead), else null. */
  readonly stderrHead: Buffer[] | null;
  /** Set once the leader has exited. */
  exitInfo: Omit<ExitInfo, 'stderrTail'> | null = null;
  /** performance.now() at the leader's exit. */
  exitedAt: number | null = null;
  /** Resolves when the leader exits. */
  readonly exited: Promise<void>;
  /** Pids seen in the tree with their start times (to avoid signalling a reused pid). */
  private readonly seen = new Map<number, number>();
  private stopping: Promise<StopReport> | null = null;

  private constructor(child: ChildProcessWithoutNullStreams, spawnedAt: number, keepStderrHead: boolean) {
    this.child = child;
    this.pid = child.pid!;
    this.spawnedAt = spawnedAt;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedAt = performance.now();
        this.exitInfo = { code, signal };
        resolve();
      });
    });
    child.stdout.once('data', () => {
      this.firstStdoutAt ??= performance.now();
    });
    const head: Buffer[] | null = (this.stderrHead = keepStderrHead ? [] : null);
    let headBytes = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk);
      if (head && headBytes < KEPT_STDERR_BYTES) {
        head.push(chunk);
        headBytes += chunk.length;
      }
    });
    // A dead server makes writes fail with EPIPE; the session reports the exit instead.
    child.stdin.on('error', () => {});
    live.add(this);
    void this.exited.then(() => {
      if (!this.stopping) void this.reapStrays();
    });
  }

  /**
   * Spawn without a shell. Rejects with the spawn error (ENOENT, EACCES) when the executable
   * cannot be started; callers turn that into a usage error naming the command.
   */
  static start(launch: StdioLaunch): Promise<ServerProcess> {
    installExitHook();
    const spawnedAt = performance.now();
    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
      windowsHide: true,
    });
    return new Promise((resolve, reject) => {
      child.once('error', (err) => {
        if (child.pid === undefined) reject(err);
      });
      child.once('spawn', () => resolve(new ServerProcess(child, spawnedAt, launch.keepStderrHead === true)));
    });
  }

  /** True until the leader exits. */
  get running(): boolean {
    return this.exitInfo === null;
  }

  /** Snapshot of the tree's pids (and remember them for teardown). */
  trackTree(): number[] {
    const tree = listTree(this.pid);
    if (!tree) return [this.pid];
    for (const st of tree) if (!this.seen.has(st.pid)) this.seen.set(st.pid, st.startTicks);
    return tree.map((s) => s.pid);
  }

  /** ExitInfo for error messages, with the stderr tail. */
  describeExit(): ExitInfo {
    return {
      code: this.exitInfo?.code ?? null,
      signal: this.exitInfo?.signal ?? null,
      stderrTail: this.stderr.tailLines(20),
    };
  }

  /**
   * Stop the server: close stdin, wait, SIGTERM the group, wait, SIGKILL the group; then end any
   * process of the tree that outlived the leader. Idempotent; every wait is bounded.
   */
  stop(waits: StopWaits = DEFAULT_STOP_WAITS): Promise<StopReport> {
    this.stopping ??= this.doStop(waits);
    return this.stopping;
  }

  private async doStop(waits: StopWaits): Promise<StopReport> {
    this.trackTree();
    let escalation: StopReport['escalation'] = 'none';
    let eofToExitMs: number | null = null;
    if (this.running) {
      const eofAt = performance.now();
      this.child.stdin.end();
      if (await this.waitExit(waits.afterEofMs)) {
        eofToExitMs = this.exitedAt! - eofAt;
      } else {
        escalation = 'SIGTERM';
        this.signalGroup('SIGTERM');
        if (!(await this.waitExit(waits.afterTermMs))) {
          escalation = 'SIGKILL';
          this.signalGroup('SIGKILL');
          await this.waitExit(waits.afterTermMs);
        }
      }
    }
    const strayProcesses = await this.reapStrays(waits.afterTermMs);
    live.delete(this);
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    return { eofToExitMs, escalation, strayProcesses };
  }

  /** End processes of the tree still alive after the leader: group first, then tracked pids. */
  private async reapStrays(termWaitMs = 500): Promise<number> {
    const strays = this.aliveTracked();
    if (strays.length === 0 && !groupAlive(this.pid)) return 0;
    this.signalGroup('SIGTERM');
    for (const pid of strays) safeKill(pid, 'SIGTERM');
    const deadline = performance.now() + termWaitMs;
    while (performance.now() < deadline && (groupAlive(this.pid) || this.aliveTracked().length)) {
      await sleep(20);
    }
    this.signalGroup('SIGKILL');
    for (const pid of this.aliveTracked()) safeKill(pid, 'SIGKILL');
    return strays.length;
  }

  private aliveTracked(): number[] {
    const alive: number[] = [];
    for (const [pid, start] of this.seen) {
      if (pid === this.pid && !this.running) continue;
      const st = readStat(pid);
      // A zombie has exited; only its parent (or init, slow on some VMs) can remove it.
      if (st && st.startTicks === start && st.state !== 'Z') alive.push(pid);
    }
    return alive;
  }

  /** Signal every process in the group; ignore "no such process". */
  signalGroup(signal: NodeJS.Signals): void {
    safeKill(-this.pid, signal);
  }

  private async waitExit(ms: number): Promise<boolean> {
    if (!this.running) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const ok = await Promise.race([this.exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return ok;
  }

  /** Synchronous last resort (process 'exit', second Ctrl-C): SIGKILL the group and tracked pids. */
  killNow(): void {
    this.signalGroup('SIGKILL');
    for (const pid of this.aliveTracked()) safeKill(pid, 'SIGKILL');
  }
}

/** SIGKILL every live server's tree at once. Safe to call from signal and exit handlers. */
export function killAllNow(): void {
  for (const p of live) p.killNow();
  live.clear();
}

/** Stop every live server gracefully (bounded waits). */
export async function stopAll(waits: StopWaits = DEFAULT_STOP_WAITS): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(waits)));
}

/** Number of servers not yet stopped (tests assert it returns to zero). */
export function liveCount(): number {
  return live.size;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllNow);
}

/** True while a live (non-zombie) process remains in the group. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // kill(-pgid, 0) also succeeds for zombies; where /proc is readable, look closer.
  const tree = listTree(pgid);
  return tree === null ? true : tree.some((st) => st.pgrp === pgid && st.state !== 'Z');
}

function safeKill(pid: number, signal: NodeJS.Signals | 0): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
