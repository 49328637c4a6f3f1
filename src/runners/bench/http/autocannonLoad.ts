/**
 * Closed-loop HTTP load through autocannon (issue 3: "Use autocannon for HTTP load where it fits
 * (closed-loop connections and pipelining, its results folded into mcp-opt's histograms)").
 * autocannon keeps C connections with P requests each in flight on its own sockets; mcp-opt
 * builds every request (a unique JSON-RPC id, the next operation of the mix, the session's
 * headers) in `setupRequest`, reads every answer (JSON or SSE) in `onResponse`, and records each
 * latency into its own HDR Recorders from the client 'response' event's responseTime, so the
 * outcome has the engine's shape (engine.ts EngineOutcome) and the runner can use either path.
 * autocannon's own histogram is not used: in rate mode it corrects with a 1 ms expected interval
 * (lib/run.js `Math.ceil(1 / rate)`), so open-loop HTTP stays with mcp-opt's scheduler.
 *
 * Each answer is paired with its request by connection order, checked against its JSON-RPC id
 * (connectionQueues.ts), and recorded the engine's way (loadBook.ts).
 *
 * In a closed loop the intended send is the actual send: corrected and service time are both the
 * response time. Timeouts are autocannon's: no answer on a connection for `timeoutMs` (rounded up
 * to whole seconds, at least 1) fails its requests. The end: sending stops by capping each
 * connection at the requests it already sent (autocannon's own `amount` mechanism), so with
 * pipelining 1 every request in flight is answered; with pipelining P, up to P−1 per connection
 * are abandoned when the connection closes after its next answer.
 */
import type { AutocannonClient, AutocannonInstance, AutocannonRequest } from 'autocannon';
import { TargetError, UsageError, type McpOptError } from '../../../errors.js';
import { Recorder } from '../../../measure/histogram.js';
import { Hygiene } from '../../../target/hygiene.js';
import { contentTypeOf, replyFor, responsesIn, type HttpAnswer } from '../../../target/http/answer.js';
import { syntheticError } from '../../../target/http/wire.js';
import { encodeRequest } from '../../../target/jsonRpc.js';
import { redactUrl } from '../../../target/launchSpec.js';
import type { JsonRpcMessage } from '../../../target/protocol.js';
import type { Reply } from '../../../target/session.js';
import type { Operation } from '../../../workload/operations.js';
import type { EngineOutcome, StopReason } from '../engine.js';
import type { Lane } from '../lanes.js';
import { failureClass, type OpStats, type TimelineSecond } from '../stats.js';
import { LoadBook } from '../loadBook.js';
import { shouldGiveUp } from '../giveUp.js';
import { ConnectionQueues, type ClientInternals, type Conn, type Sent } from './connectionQueues.js';

/** What the autocannon path needs. */
export interface AutocannonLoadOptions {
  /** The MCP endpoint. */
  url: URL;
  /** Headers of a request of `op`: the user's, Accept/Content-Type, Mcp-Session-Id, MCP-Protocol-Version, 2026-07-28 Mcp-Method/Mcp-Name. Called once per operation. */
  headersFor: (op: Operation) => Record<string, string>;
  /** `_meta` merged into every request's params (2026-07-28 envelope); undefined in the legacy era. */
  envelope?: Record<string, unknown>;
  /** autocannon connections (keep-alive sockets, all on the one MCP session). */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining); 1 is a plain closed loop. */
  pipelining: number;
  /** Next operation of the mix (workload/mix.ts Mix.next). */
  nextOp: () => Operation;
  /** Labels of the mix's operations (one label: its figures are the totals, as in the engine). */
  opLabels?: readonly string[];
  /** Excluded from figures, ms. */
  warmupMs: number;
  /** Measured length: a duration (ms) or a number of requests (one of them is set). */
  durationMs: number | null;
  requests: number | null;
  timeoutMs: number;
  /** Stop after this many failures (null: never). */
  bailout: number | null;
  /** Stop a run without one success at a failure this long after the first send, ms (giveUp.ts); null: never. */
  giveUpMs: number | null;
  signal: AbortSignal;
  /** Called with each finished second, and the totals so far. */
  onSecond?: (second: TimelineSecond, total: OpStats) => void;
  /** The lane whose session the load runs on: its sent/succeeded/failed counters are kept. */
  lane?: Lane;
  /**
   * Re-initialize the MCP session after the server expired it (404 for its Mcp-Session-Id): resolves
   * null once `headersFor` gives the new session's headers, else why it could not. Absent: an expiry
   * ends the run.
   */
  reinitialize?: () => Promise<string | null>;
}

/** autocannon's side of the run, for cross-checks and connection reuse. */
export interface AutocannonFigures {
  connections: number;
  pipelining: number;
  /** Requests written and complete HTTP answers parsed (warm-up included). */
  sent: number;
  responses: number;
  /** HTTP statuses of the answers (warm-up included). */
  statusCounts: Record<string, number>;
  /** Connection errors (each re-opens the connection) and requests timed out. */
  connectionErrors: number;
  timeouts: number;
  /** Per connection: requests written and answered (warm-up included). */
  perConnection: Array<{ index: number; sent: number; answered: number }>;
  /** autocannon's own totals, unfolded: requests, completed, errors (incl. timeouts), non-2xx. */
  own: { totalRequests: number; totalCompletedRequests: number; errors: number; timeouts: number; non2xx: number };
}

/** The engine's outcome plus autocannon's figures and the wire hygiene of the answers. */
export interface AutocannonOutcome extends EngineOutcome {
  autocannon: AutocannonFigures;
  hygiene: Hygiene;
}

/** First JSON-RPC id: far above the ids of the session that initialized (it is idle meanwhile, but shares the MCP session). */
const FIRST_ID = 2 ** 30;
/** autocannon's sample interval, ms: also how soon it notices a stop. */
const SAMPLE_INT_MS = 50;
/** Housekeeping period: close seconds, end the window on time. */
const HOUSEKEEPING_MS = 50;
/** After Ctrl-C, how long in-flight replies are awaited. */
const INTERRUPT_DRAIN_MS = 2000;
/** autocannon's own duration when mcp-opt ends the run itself: long, but below setTimeout's 2^31 ms limit. */
const SAFETY_DURATION_S = 20 * 86_400;
/** Connection errors that mean the server is gone rather than one connection dropped. */
const GONE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'EADDRNOTAVAIL']);

/**
 * Run a closed loop through autocannon. Resolves when autocannon has closed its connections.
 * Throws UsageError for an https:// URL: autocannon 9 connects with `rejectUnauthorized: false`
 * whatever it is given (lib/httpClient.js), and mcp-opt never skips certificate checks
 * (as in src/target/http/pool.ts).
 */
export async function runAutocannonClosedLoop(o: AutocannonLoadOptions): Promise<AutocannonOutcome> {
  if (o.url.protocol !== 'http:') {
    throw new UsageError(
      `autocannon does not verify TLS certificates, so mcp-opt does not use it for ${redactUrl(o.url.href)}; ` +
        "load https:// servers with mcp-opt's own engine.",
    );
  }
  const { default: autocannon } = await import('autocannon');
  const envelopeJson = o.envelope ? JSON.stringify(o.envelope) : undefined;
  let wireOf = wireCache(o.headersFor);
  /** Which session's headers a request carried: an expiry re-initializes only when it hit the current one. */
  let sessionGen = 0;
  const genOf = new WeakMap<Sent, number>();
  let reinitializing = false;
  const hygiene = new Hygiene();
  const t0 = performance.now();
  const measureFrom = t0 + o.warmupMs;
  const endAt = o.durationMs === null ? Infinity : measureFrom + o.durationMs;
  const book = new LoadBook(t0, measureFrom, o.opLabels ?? [], (s, total) => o.onSecond?.(s, total));
  const queues = new ConnectionQueues();
  const figures: AutocannonFigures = {
    connections: o.connections, pipelining: o.pipelining, sent: 0, responses: 0, statusCounts: {}, connectionErrors: 0, timeouts: 0,
    perConnection: [], own: { totalRequests: 0, totalCompletedRequests: 0, errors: 0, timeouts: 0, non2xx: 0 },
  };
  const out: AutocannonOutcome = {
    total: book.total, byOp: book.byOp, lateness: new Recorder('us'), lateSends: 0, lateBeyondBound: 0, wakeLateness: new Recorder('us'), dropped: 0,
    measuredMs: 0, timeline: book.timeline.seconds, stopReason: 'done', failure: null, lostLanes: [], abandoned: 0, timelineOrigin: t0,
    allErrors: book.allErrors, errorLog: book.log, autocannon: figures, hygiene,
  };
  let instance: AutocannonInstance | null = null;
  let nextId = FIRST_ID;
  let seq = 0;
  let stopped = false;
  let stoppedAt = 0;
  let drainTimer: NodeJS.Timeout | undefined;
  /** The answer onResponse just read; the client's 'response' event that follows claims it. */
  let answer: HttpAnswer | null = null;

  // Sending stops by capping every connection at what it has sent; autocannon closes each after its next answer.
  const stop = (reason: StopReason, failure: McpOptError | null = null): void => {
    if (stopped) return;
    stopped = true;
    stoppedAt = performance.now();
    out.stopReason = reason;
    out.failure = failure;
    for (const c of queues.conns) c.client.responseMax = Math.max(1, c.client.reqsMade);
    const allowance = reason === 'interrupted' ? INTERRUPT_DRAIN_MS : reason === 'target-failed' ? 0 : o.timeoutMs + 500;
    drainTimer = setTimeout(() => instance?.stop(), allowance);
    if (book.inflight === 0) instance?.stop();
  };

  const setupRequest = (req: AutocannonRequest): AutocannonRequest => {
    const now = performance.now();
    if (now >= endAt) stop('done');
    const op = o.nextOp();
    const id = nextId++;
    const measured = !stopped && now >= measureFrom && (o.requests === null || book.measuredSent < o.requests);
    const sent: Sent = { id, op, stats: book.sent(op.op, measured, now, o.lane), sentAt: now, done: false };
    genOf.set(sent, sessionGen);
    queues.add(sent);
    figures.sent++;
    const w = wireOf(op);
    req.headers = { ...w.headers };
    req.body = encodeRequest(id, w.methodJson, op.params(seq++), envelopeJson);
    if (measured && o.requests !== null && book.measuredSent >= o.requests) stop('done');
    return req;
  };

  /** Record how request `sent` ended: `cls` null for a success, `latencyMs` from its send. */
  const settle = (sent: Sent, cls: string | null, latencyMs: number, now: number): void => {
    queues.settle(sent);
    book.done(sent.stats, cls, latencyMs * 1000, latencyMs * 1000, now, o.lane);
    if (cls !== null && o.bailout !== null && book.failures >= o.bailout) stop('bailout');
    else if (cls !== null && shouldGiveUp(book.successes, book.failures, now - t0, o.giveUpMs)) stop('no-success');
    if (stopped && book.inflight === 0) instance?.stop();
  };

  /** A request lost with its connection: class 'closed', its sample saying how. */
  const settleLost = (sent: Sent, now: number, how: string): void => {
    const reply = asReply(sent, syntheticError(sent.id, `${how} before the reply to ${sent.op.method} arrived`, { streamClosed: true }), now);
    if (sent.stats) book.log.note('closed', reply, sent.op.op, undefined, false);
    settle(sent, 'closed', now - sent.sentAt, now);
  };

  const answered = (c: Conn, status: number, responseTimeMs: number): void => {
    const now = performance.now();
    const a = answer;
    answer = null;
    if (a === null) return;
    figures.responses++;
    figures.statusCounts[status] = (figures.statusCounts[status] ?? 0) + 1;
    const responses = responsesIn(a, hygiene);
    const { sent, inOrder, lost } = queues.match(c, responses);
    for (const l of lost) settleLost(l, now, 'the connection was re-opened');
    if (!sent) return hygiene.violation('unknown-id', `an HTTP ${status} answer with no request outstanding on its connection`);
    const m = replyFor(sent.id, sent.op.method, a, responses, wireOf(sent.op).session);
    if (responses.length > 0 && !responses.some((r) => r.id === sent.id)) {
      hygiene.violation('unknown-id', `an HTTP ${status} answer carrying id ${JSON.stringify(responses[0]!.id)}, not its request's`);
    }
    // autocannon's responseTime is this request's only when its own queue paired them too.
    const reply = asReply(sent, m, now);
    const cls = failureClass(reply);
    if (sent.stats) book.log.note(cls, reply, sent.op.op, undefined, false);
    settle(sent, cls, inOrder ? responseTimeMs : now - sent.sentAt, now);
    if ((m.error?.data as { sessionExpired?: unknown } | undefined)?.sessionExpired === true) sessionExpired(sent);
  };

  /**
   * The server expired the session (404): re-initialize it as the own engine does (once, through
   * the target's transport), then send with the new session's headers. Requests sent meanwhile
   * with the old id fail as 'session_expired' (kept out of latency, as in the engine).
   */
  const sessionExpired = (sent: Sent): void => {
    if (reinitializing || genOf.get(sent) !== sessionGen || stopped) return;
    if (!o.reinitialize) {
      return stop('target-failed', new TargetError(
        'The server expired the MCP session (HTTP 404 for its Mcp-Session-Id) during the autocannon run, and it cannot be re-initialized here. ' +
          "Run the load through mcp-opt's own engine (--http-client mcp-opt).",
      ));
    }
    reinitializing = true;
    void o.reinitialize().then((failed) => {
      reinitializing = false;
      if (failed !== null) return stop('target-failed', new TargetError(failed));
      sessionGen++;
      wireOf = wireCache(o.headersFor);
    }, (err: unknown) => {
      // A rejected re-initialize (e.g. the transport closed during teardown) ends the run as a
      // target failure rather than as an unhandled rejection.
      reinitializing = false;
      stop('target-failed', new TargetError(`Re-initializing the expired session failed: ${err instanceof Error ? err.message : String(err)}`));
    });
  };

  const timedOut = (c: Conn): void => {
    figures.timeouts++;
    const sent = queues.shift(c);
    const now = performance.now();
    if (sent) settle(sent, 'timeout', now - sent.sentAt, now);
  };

  const connectionFailed = (c: Conn, err: NodeJS.ErrnoException): void => {
    figures.connectionErrors++;
    const now = performance.now();
    // Emitted before autocannon re-opens the connection: everything queued on it is lost.
    for (let s = queues.shift(c); s; s = queues.shift(c)) settleLost(s, now, `the connection failed (${err.code ?? err.message})`);
    if (GONE.has(err.code ?? '')) {
      stop('target-failed', new TargetError(`autocannon could not connect to ${redactUrl(o.url.href)} (${err.code}): the server is no longer listening.`));
    }
  };

  /**
   * autocannon re-opens a connection the server ended or reset, but keeps its HTTP parser in the
   * middle of the cut response and its queue of requests (lib/httpClient.js `_connect`), so the
   * next answers on the new socket were misread: one dropped SSE stream counted as `http:200` and
   * a neighbour as `closed` or `timeout`. What was still queued on the dead socket is lost
   * (`closed`, once), and autocannon's side of the connection starts afresh.
   */
  const connectionLost = (c: Conn): void => {
    const now = performance.now();
    for (let s = queues.shift(c); s; s = queues.shift(c)) settleLost(s, now, 'the server closed the connection');
    c.client.parser.initialize(c.client.parser.type);
    c.client.pipelinedRequests.clear();
  };

  const setupClient = (client: AutocannonClient): void => {
    const c = queues.attach(client as ClientInternals);
    // The constructor calls setupClient before it first connects: only the later calls re-open.
    const connect = c.client._connect;
    let opened = false;
    c.client._connect = function (this: ClientInternals): void {
      if (opened) connectionLost(c);
      opened = true;
      connect.call(this);
    };
    if (stopped) c.client.responseMax = Math.max(1, c.client.reqsMade);
    client.on('response', (status: number, _bytes: number, responseTimeMs: number) => answered(c, status, responseTimeMs));
    client.on('timeout', () => timedOut(c));
    client.on('connError', (err: NodeJS.ErrnoException) => connectionFailed(c, err));
  };

  const housekeeping = setInterval(() => {
    const now = performance.now();
    book.timeline.roll(now, book.inflight);
    if (now >= endAt) stop('done');
  }, HOUSEKEEPING_MS);
  const onAbort = (): void => stop('interrupted');
  o.signal.addEventListener('abort', onAbort, { once: true });
  try {
    instance = autocannon({
      url: o.url.href,
      connections: o.connections,
      pipelining: o.pipelining,
      duration: SAFETY_DURATION_S,
      timeout: Math.max(1, Math.ceil(o.timeoutMs / 1000)),
      sampleInt: SAMPLE_INT_MS,
      method: 'POST',
      requests: [{
        method: 'POST',
        setupRequest,
        onResponse: (status, body, _context, headers) => (answer = { status, contentType: contentTypeOf(headers), body }),
      }],
      setupClient,
      skipAggregateResult: true,
    });
    if (o.signal.aborted) stop('interrupted');
    if (stopped && book.inflight === 0) instance.stop();
    const r = await instance;
    figures.own = { totalRequests: r.totalRequests, totalCompletedRequests: r.totalCompletedRequests, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx };
  } finally {
    clearInterval(housekeeping);
    clearTimeout(drainTimer);
    o.signal.removeEventListener('abort', onAbort);
  }
  figures.perConnection = queues.conns.map((c) => ({ index: c.index, sent: c.sent, answered: c.answered }));
  out.abandoned = queues.size;
  book.timeline.roll(performance.now() + 1000, book.inflight);
  out.measuredMs = Math.max(0, Math.min(stopped ? stoppedAt : performance.now(), endAt) - measureFrom);
  return out;
}

/** Per operation, computed once: its headers, its method serialised, whether it carries a session id (a 404 then means expiry). */
function wireCache(headersFor: (op: Operation) => Record<string, string>) {
  const cache = new WeakMap<Operation, { headers: Record<string, string>; methodJson: string; session: boolean }>();
  return (op: Operation): { headers: Record<string, string>; methodJson: string; session: boolean } => {
    let w = cache.get(op);
    if (!w) {
      const headers = headersFor(op);
      w = { headers, methodJson: JSON.stringify(op.method), session: Object.keys(headers).some((h) => h.toLowerCase() === 'mcp-session-id') };
      cache.set(op, w);
    }
    return w;
  };
}

/** A Reply for stats.ts failureClass, so both paths classify failures the same way. */
function asReply(sent: Sent, m: JsonRpcMessage, now: number): Reply {
  const error = m.error !== undefined;
  return { id: sent.id, method: sent.op.method, sentAt: sent.sentAt, doneAt: now, outcome: error ? 'error' : 'result', result: m.result, error: m.error };
}
