/**
 * Target: one connected MCP server, whatever the wire. Runners ask for a Target, use its session,
 * and close it; they never see pipes, sockets or eras.
 */
import { InterruptedError, TargetError, UsageError, describeExit } from '../errors.js';
import { handshake, probeEra, type EraProbe, type HandshakeInfo } from './handshake.js';
import type { HttpSpec, LaunchSpec, StdioSpec } from './launchSpec.js';
import type { OpenOptions } from './openOptions.js';
import { QUICK_STOP_WAITS, ServerProcess, type StopReport } from './serverProcess.js';
import { Session } from './session.js';
import { STDOUT_CLOSED_REASON, StdioTransport } from './stdioTransport.js';
import type { Transport } from './transport.js';

/** Timestamps of one start, ms since spawn (stdio) or since the first connect (HTTP). */
export interface StartTimings {
  /** performance.now() at spawn / connect. */
  startedAt: number;
  /** First stdout byte, ms after start (stdio only). */
  firstByteMs: number | null;
  /** Handshake (initialize or discover) answered, ms after start. */
  handshakeMs: number;
}

/** A connected server. */
export interface Target {
  /** The JSON-RPC session, handshake done. */
  readonly session: Session;
  /** What the handshake established. */
  readonly info: HandshakeInfo;
  /** When the start's stages happened. */
  readonly timings: StartTimings;
  /** The server process (stdio targets). */
  readonly process: ServerProcess | null;
  /** Close the session and release the server; returns the teardown report for stdio. */
  close(): Promise<StopReport | null>;
}

/** Hook for HTTP transports, registered by src/target/http/ (loaded only for URL targets). */
export type HttpTransportFactory = (spec: HttpSpec, options: OpenOptions) => Promise<Transport>;

/** Open a target and complete the handshake of `options.era`. */
export async function openTarget(spec: LaunchSpec, options: OpenOptions): Promise<Target> {
  if (spec.kind === 'stdio') return openStdio(spec, options);
  const { openHttpTransport } = await import('./http/index.js');
  const startedAt = performance.now();
  const transport = await openHttpTransport(spec, options);
  // On timeout the HTTP transport closes the response stream (2026-07-28) or posts
  // notifications/cancelled (legacy), so the server can stop the work.
  const session = new Session(transport, { timeoutMs: options.requestTimeoutMs, cancelOnTimeout: true });
  let info: HandshakeInfo;
  try {
    info = await abortable(handshake(session, options.era, options.client, options.startTimeoutMs), options.signal);
  } catch (err) {
    await session.close();
    throw err;
  }
  return {
    session, info, process: null,
    timings: { startedAt, firstByteMs: null, handshakeMs: info.reply.doneAt - startedAt },
    async close() {
      await session.close();
      return null;
    },
  };
}

/** Spawn a stdio server. Spawn failures become usage errors that name the command. */
export async function spawnServer(spec: StdioSpec): Promise<ServerProcess> {
  try {
    return await ServerProcess.start(spec.launch);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const cmd = spec.launch.command;
    if (code === 'ENOENT') {
      throw new UsageError(`Cannot run "${cmd}": no such file or directory (from ${spec.origin}). Check the path, or install the program so it is on PATH.`, { cause: err });
    }
    if (code === 'EACCES') {
      throw new UsageError(`Cannot run "${cmd}": permission denied (from ${spec.origin}). Make it executable (chmod +x) or run it through its interpreter.`, { cause: err });
    }
    throw new TargetError(`Could not start "${cmd}": ${(err as Error).message}`, undefined, { cause: err });
  }
}

async function openStdio(spec: StdioSpec, options: OpenOptions): Promise<Target> {
  const proc = await spawnServer(spec);
  const transport = new StdioTransport(proc, options.stopWaits, options.writeBatching);
  const session = new Session(transport, { timeoutMs: options.requestTimeoutMs, cancelOnTimeout: true });
  let info: HandshakeInfo;
  try {
    info = await abortable(handshake(session, options.era, options.client, options.startTimeoutMs), options.signal);
  } catch (err) {
    const diedOnItsOwn = !proc.running;
    // Nothing is measured from the shutdown of a start that failed: do not wait the full ladder.
    await proc.stop(QUICK_STOP_WAITS);
    await transport.close();
    throw withExit(err, proc, diedOnItsOwn);
  }
  return {
    session, info, process: proc,
    timings: {
      startedAt: proc.spawnedAt,
      firstByteMs: proc.firstStdoutAt === null ? null : proc.firstStdoutAt - proc.spawnedAt,
      handshakeMs: info.reply.doneAt - proc.spawnedAt,
    },
    async close() {
      await session.close();
      return transport.stopReport;
    },
  };
}

/** Decide the era on a throwaway connection (a fresh process for stdio). */
export async function detectEra(spec: LaunchSpec, options: Omit<OpenOptions, 'era'>): Promise<EraProbe> {
  if (spec.kind === 'http') {
    const { probeHttpEra } = await import('./http/index.js');
    return probeHttpEra(spec, options);
  }
  const proc = await spawnServer(spec);
  // The probe process is thrown away; its shutdown is not measured.
  const transport = new StdioTransport(proc, QUICK_STOP_WAITS);
  const session = new Session(transport, { timeoutMs: options.startTimeoutMs });
  try {
    const probe = await abortable(probeEra(session, options.client, options.startTimeoutMs, true), options.signal);
    await transport.close();
    return probe;
  } catch (err) {
    const diedOnItsOwn = !proc.running;
    await transport.close();
    throw withExit(err, proc, diedOnItsOwn);
  }
}

/**
 * Attach the process's exit details (code, signal, stderr tail) to a target error: the SDK's
 * "Connection closed" says neither, and users need both to see why a server died.
 */
export function withExit(err: unknown, proc: ServerProcess, diedOnItsOwn: boolean, when = 'during start-up'): unknown {
  if (!(err instanceof TargetError) || err.exit) return err;
  const exit = proc.describeExit();
  if (diedOnItsOwn) {
    return new TargetError(`${err.message.replace(/\.$/, '')}: the server ended ${when}. ${describeExit(exit)}`, exit, { cause: err });
  }
  if (exit.stderrTail.length === 0) return err;
  return new TargetError(`${err.message}\n  Its last stderr lines:\n    ${exit.stderrTail.slice(-10).join('\n    ')}`,
    { code: null, signal: null, stderrTail: exit.stderrTail }, { cause: err });
}

/**
 * A target error of a live session, with what the wire knows of its cause ("got no answer
 * (closed)" or "(timeout)" says nothing of why): a server that closed its stdout but kept running,
 * or a message discarded for its size. Other errors come back as they are.
 */
export function withWireCause(err: unknown, session: Session): unknown {
  if (!(err instanceof TargetError)) return err;
  if (session.closeInfo?.reason === STDOUT_CLOSED_REASON && !err.message.includes(STDOUT_CLOSED_REASON)) {
    return new TargetError(
      `${err.message.replace(/\.$/, '')}: ${STDOUT_CLOSED_REASON}, so it could answer nothing more. ` +
        'A stdio server must keep stdout open until it exits (look for code that closes or replaces it, e.g. a logger set up on stdout).',
      err.exit, { cause: err },
    );
  }
  const discarded = session.hygiene.discardNote();
  if (discarded && !err.message.includes(discarded.trim())) {
    return new TargetError(`${err.message.replace(/\.?$/, '.')}${discarded}`, err.exit, { cause: err });
  }
  return err;
}

/** Reject with InterruptedError as soon as `signal` aborts; otherwise settle like `promise`. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new InterruptedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new InterruptedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
