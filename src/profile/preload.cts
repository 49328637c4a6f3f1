/**
 * Loaded into every Node process of a profiled server's tree (`NODE_OPTIONS=--require <this>`,
 * set by collector.ts; children inherit it, so `npx` → `node server.js` and tsx are covered). It
 * starts V8's sampling profiler through an in-process inspector session before the server's first
 * line runs (so start-up imports are sampled), registers with mcp-opt over a loopback socket, and
 * on "stop" (or at exit) writes the profile as a `.cpuprofile` file and answers with its path.
 *
 * Why an in-process session and not `--inspect=127.0.0.1:0` driven over the DevTools protocol:
 * a listening inspector port lets any local process run code in the server; Node 20 has no
 * WebSocket client to drive it without a dependency; and the port of a grandchild would have to
 * be scraped from its stderr. Here the server listens on nothing: it connects out to mcp-opt, and
 * a token from mcp-opt's environment proves who it talks to. Written in CommonJS because
 * `--require` must load it before any ES module of the server.
 *
 * It does nothing in worker threads (their isolates are not the server's main loop) and stays out
 * of the server's way: every failure is swallowed, the socket never keeps the process alive.
 */
import fs = require('node:fs');
import inspector = require('node:inspector');
import net = require('node:net');
import path = require('node:path');
import workerThreads = require('node:worker_threads');

/** What collector.ts passes in MCP_OPT_PROFILE (JSON). */
interface PreloadConfig {
  /** Loopback port of mcp-opt's registration socket. */
  port: number;
  /** Secret mcp-opt checks on registration. */
  token: string;
  /** V8 sampling interval, microseconds. */
  intervalUs: number;
  /** Folder the profiles are written to. */
  dir: string;
}

const ENV_NAME = 'MCP_OPT_PROFILE';

if (workerThreads.isMainThread && process.env[ENV_NAME]) {
  try {
    begin(JSON.parse(process.env[ENV_NAME]!) as PreloadConfig);
  } catch {
    /* a malformed setting must not break the server */
  }
}

function begin(cfg: PreloadConfig): void {
  const session = new inspector.Session();
  session.connect();
  // The in-process session answers synchronously: the callback has run when post() returns.
  const post = (method: string, params?: object): any => {
    let result: unknown;
    let error: Error | null = null;
    session.post(method, params ?? {}, (err, res) => {
      error = err;
      result = res;
    });
    if (error) throw error;
    return result;
  };
  post('Profiler.enable');
  post('Profiler.setSamplingInterval', { interval: cfg.intervalUs });
  post('Profiler.start');

  let saved: string | null = null;
  const save = (): string => {
    if (saved !== null) return saved;
    const { profile } = post('Profiler.stop') as { profile: unknown };
    const file = path.join(cfg.dir, `${process.pid}.cpuprofile`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(profile));
    fs.renameSync(`${file}.tmp`, file);
    saved = file;
    session.disconnect();
    return file;
  };
  // A process that ends before mcp-opt asks (a wrapper that exits, a crash) still leaves its profile.
  process.on('exit', () => {
    try {
      save();
    } catch {
      /* nothing more can be done at exit */
    }
  });

  const socket = net.connect({ host: '127.0.0.1', port: cfg.port });
  socket.unref();
  socket.setNoDelay(true);
  socket.on('error', () => {});
  const title = process.argv[1] ?? process.argv0;
  socket.write(`${JSON.stringify({ token: cfg.token, pid: process.pid, ppid: process.ppid, title })}\n`);
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line !== 'stop') continue;
      let reply: object;
      try {
        reply = { saved: save() };
      } catch (err) {
        reply = { error: String((err as Error)?.message ?? err) };
      }
      socket.write(`${JSON.stringify(reply)}\n`);
    }
  });
}
