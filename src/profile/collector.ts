/**
 * The mcp-opt side of `--profile`: a loopback registration socket the preload (preload.cts) of
 * every Node process of the server's tree connects to, the environment that loads the preload,
 * and the stop that makes each process write its `.cpuprofile`. Profiles cover each process from
 * its first line to the stop; the windows that matter (start-up, the measured load) are cut from
 * them by time: V8 stamps samples with the monotonic clock `process.hrtime` reads (see monoUs).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCpuProfile, type CpuProfile } from './cpuProfile.js';

/**
 * The preload, compiled beside this file (dist/profile/preload.cjs). When this module runs from
 * src/ (the tests import the TypeScript sources), the built copy in dist/ is used: `npm test`
 * builds before it runs them.
 */
export const PRELOAD_PATH = [new URL('./preload.cjs', import.meta.url), new URL('../../dist/profile/preload.cjs', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((p) => existsSync(p)) ?? fileURLToPath(new URL('./preload.cjs', import.meta.url));

/** How long a stop waits for every registered process to write its profile. */
const STOP_WAIT_MS = 10_000;

/** A profiled process as it registered. */
export interface ProfiledProcess {
  /** Its pid. */
  pid: number;
  /** Its parent's pid. */
  ppid: number;
  /** Its main script (process.argv[1]) or executable. */
  title: string;
}

/** One collected profile. */
export interface CollectedProfile {
  /** The process (title '' when it wrote its file at exit without registering). */
  process: ProfiledProcess;
  /** Where the preload wrote it. */
  file: string;
  /** The parsed profile. */
  profile: CpuProfile;
}

interface Registered extends ProfiledProcess {
  socket: Socket;
  lines: string[];
  onLine: (() => void) | null;
}

/** Registration socket and profile folder of one profiled run. */
export class ProfileCollector {
  /** Folder the preloads write their profiles to (a fresh temporary folder). */
  readonly dir: string;
  private readonly token = randomBytes(16).toString('hex');
  private readonly registered = new Map<number, Registered>();
  private closed = false;
  private constructor(private readonly server: Server, readonly intervalUs: number, private readonly port: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'mcp-opt-profile-'));
  }

  /** Listen on 127.0.0.1, on a port the OS picks. */
  static async start(intervalUs: number): Promise<ProfileCollector> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    const port = (server.address() as { port: number }).port;
    const collector = new ProfileCollector(server, intervalUs, port);
    server.on('connection', (socket) => collector.accept(socket));
    return collector;
  }

  /** The environment of a profiled server: NODE_OPTIONS loads the preload; MCP_OPT_PROFILE tells it where to report. */
  launchEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    // NODE_OPTIONS takes double-quoted values; a path with a quote cannot be passed (install paths have none).
    const require = `--require "${PRELOAD_PATH.replace(/(["\\])/g, '\\$1')}"`;
    const nodeOptions = env['NODE_OPTIONS'] ? `${env['NODE_OPTIONS']} ${require}` : require;
    return {
      ...env,
      NODE_OPTIONS: nodeOptions,
      MCP_OPT_PROFILE: JSON.stringify({ port: this.port, token: this.token, intervalUs: this.intervalUs, dir: this.dir }),
    };
  }

  /** Processes registered so far. */
  get processes(): ProfiledProcess[] {
    return [...this.registered.values()].map(({ pid, ppid, title }) => ({ pid, ppid, title }));
  }

  /**
   * Ask every registered process to stop profiling and write its file; then read every file in the
   * folder (also those written at exit by processes that ended earlier). Waits at most STOP_WAIT_MS.
   */
  async collect(waitMs = STOP_WAIT_MS): Promise<CollectedProfile[]> {
    const deadline = performance.now() + waitMs;
    await Promise.all([...this.registered.values()].map(async (p) => {
      if (p.socket.destroyed) return;
      p.socket.write('stop\n');
      await this.nextLine(p, deadline - performance.now());
    }));
    const out: CollectedProfile[] = [];
    for (const name of readdirSync(this.dir)) {
      const m = /^(\d+)\.cpuprofile$/.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      const file = join(this.dir, name);
      try {
        const profile = parseCpuProfile(readFileSync(file, 'utf8'));
        const reg = this.registered.get(pid);
        out.push({ process: reg ? { pid, ppid: reg.ppid, title: reg.title } : { pid, ppid: 0, title: '' }, file, profile });
      } catch {
        /* a file cut short by a killed process: nothing to read */
      }
    }
    return out.sort((a, b) => a.process.pid - b.process.pid);
  }

  /** Close the socket and the registrations; `removeFiles` also deletes the folder. */
  close(removeFiles = false): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.registered.values()) p.socket.destroy();
    this.server.close();
    if (removeFiles) rmSync(this.dir, { recursive: true, force: true });
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let pending = '';
    let reg: Registered | null = null;
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (reg) {
          reg.lines.push(line);
          reg.onLine?.();
          continue;
        }
        reg = this.register(line, socket);
        if (!reg) return void socket.destroy();
      }
    });
    socket.on('close', () => reg?.onLine?.());
  }

  private register(line: string, socket: Socket): Registered | null {
    try {
      const hello = JSON.parse(line) as { token?: unknown; pid?: unknown; ppid?: unknown; title?: unknown };
      if (hello.token !== this.token || typeof hello.pid !== 'number') return null;
      const reg: Registered = {
        pid: hello.pid, ppid: typeof hello.ppid === 'number' ? hello.ppid : 0, title: typeof hello.title === 'string' ? hello.title : '',
        socket, lines: [], onLine: null,
      };
      this.registered.set(reg.pid, reg);
      return reg;
    } catch {
      return null;
    }
  }

  private nextLine(p: Registered, waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      if (p.lines.length > 0 || p.socket.destroyed) return resolve();
      const timer = setTimeout(done, Math.max(0, waitMs));
      function done(): void {
        clearTimeout(timer);
        p.onLine = null;
        resolve();
      }
      p.onLine = done;
    });
  }
}

/** performance.now() origin on the monotonic clock, µs (V8 profiles' sample clock). */
const ORIGIN_US = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;

/** A performance.now() reading as the µs of the monotonic clock V8 stamps profile samples with. */
export function monoUs(perfNowMs: number): number {
  return ORIGIN_US + perfNowMs * 1000;
}
