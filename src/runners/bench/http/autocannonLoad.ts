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
import type autocannonFn from 'autocannon';
import type { AutocannonClient, AutocannonInstance, AutocannonRequest } from 'autocannon';
import { TargetError, UsageError, type McpOptError } from '../../../errors.js';
import { Hygiene } from '../../../target/hygiene.js';
import { contentTypeOf, replyFor, responsesIn, type HttpAnswer } from '../../../target/http/answer.js';
import { syntheticError } from '../../../target/http/wire.js';
import { encodeRequest } from '../../../target/jsonRpc.js';
import { redactUrl } from '../../../target/launchSpec.js';
import type { JsonRpcMessage } from '../../../target/protocol.js';
import type { Reply } from '../../../target/session.js';
import type { Operation } from '../../../workload/operations.js';
import type { Lane } from '../lanes.js';
import { failureClass, type OpStats, type TimelineSecond } from '../recording.js';
import { LoadBook } from '../loadBook.js';
import { wireCache, type OpWire } from './opWire.js';
import { failureStop, HOUSEKEEPING_MS, INTERRUPT_DRAIN_MS, StopRecord, type LoadLimits, type StopReason } from '../loadLimits.js';
import { autocannonOutcome, type AutocannonFigures, type AutocannonOutcome } from './autocannonOutcome.js';
import { ConnectionQueues, watchReopen, type ClientInternals, type Conn, type Sent } from './connectionQueues.js';

/** What the autocannon path needs. */
export interface AutocannonLoadOptions extends LoadLimits {
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

/** First JSON-RPC id: far above the ids of the session that initialized (it is idle meanwhile, but shares the MCP session). */
const FIRST_ID = 2 ** 30;
/** autocannon's sample interval, ms: also how soon it notices a stop. */
const SAMPLE_INT_MS = 50;
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
  return new AutocannonRun(o).run(autocannon);
}

/** One autocannon run: builds each request, reads each answer, books both, decides when to stop. */
class AutocannonRun {
  private readonly t0 = performance.now();
  private readonly measureFrom: number;
  private readonly endAt: number;
  private readonly book: LoadBook;
  private readonly queues = new ConnectionQueues();
  private readonly hygiene = new Hygiene();
  private readonly figures: AutocannonFigures;
  private readonly envelopeJson: string | undefined;
  private wireOf: (op: Operation) => OpWire;
  /** Which session's headers a request carries (Sent.gen): an expiry re-initializes only when it hit the current one. */
  private sessionGen = 0;
  private reinitializing = false;
  private instance: AutocannonInstance | null = null;
  private nextId = FIRST_ID;
  private seq = 0;
  private readonly halt = new StopRecord();
  private drainTimer: NodeJS.Timeout | undefined;
  /** The answer onResponse just read; the client's 'response' event that follows claims it. */
  private answer: HttpAnswer | null = null;

  constructor(private readonly o: AutocannonLoadOptions) {
    this.measureFrom = this.t0 + o.warmupMs;
    this.endAt = o.durationMs === null ? Infinity : this.measureFrom + o.durationMs;
    this.book = new LoadBook(this.t0, this.measureFrom, o.opLabels ?? [], (s, total) => o.onSecond?.(s, total));
    this.envelopeJson = o.envelope ? JSON.stringify(o.envelope) : undefined;
    this.wireOf = wireCache(o.headersFor);
    this.figures = {
      connections: o.connections, pipelining: o.pipelining, sent: 0, responses: 0, statusCounts: {}, connectionErrors: 0, timeouts: 0,
      perConnection: [], own: { totalRequests: 0, totalCompletedRequests: 0, errors: 0, timeouts: 0, non2xx: 0 },
    };
  }

  /** Start autocannon, keep house until it has closed its connections, then report. */
  async run(autocannon: typeof autocannonFn): Promise<AutocannonOutcome> {
    const o = this.o;
    const housekeeping = setInterval(() => this.housekeep(), HOUSEKEEPING_MS);
    const onAbort = (): void => this.stop('interrupted');
    o.signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.instance = autocannon({
        url: o.url.href,
        connections: o.connections,
        pipelining: o.pipelining,
        duration: SAFETY_DURATION_S,
        timeout: Math.max(1, Math.ceil(o.timeoutMs / 1000)),
        sampleInt: SAMPLE_INT_MS,
        method: 'POST',
        requests: [{
          method: 'POST',
          setupRequest: (req) => this.setupRequest(req),
          onResponse: (status, body, _context, headers) => (this.answer = { status, contentType: contentTypeOf(headers), body }),
        }],
        setupClient: (client) => this.setupClient(client),
        skipAggregateResult: true,
      });
      if (o.signal.aborted) this.stop('interrupted');
      if (this.halt.stopped && this.book.inflight === 0) this.instance.stop();
      const r = await this.instance;
      this.figures.own = { totalRequests: r.totalRequests, totalCompletedRequests: r.totalCompletedRequests, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx };
    } finally {
      clearInterval(housekeeping);
      clearTimeout(this.drainTimer);
      o.signal.removeEventListener('abort', onAbort);
    }
    return this.outcome();
  }

  /** Build the next request (autocannon calls this before every send): a fresh id, the next operation, its session's headers. */
  private setupRequest(req: AutocannonRequest): AutocannonRequest {
    const o = this.o;
    const book = this.book;
    const now = performance.now();
    if (now >= this.endAt) this.stop('done');
    const op = o.nextOp();
    const id = this.nextId++;
    const measured = !this.halt.stopped && now >= this.measureFrom && (o.requests === null || book.measuredSent < o.requests);
    this.queues.add({ id, op, stats: book.sent(op.op, measured, now, o.lane), sentAt: now, done: false, gen: this.sessionGen });
    this.figures.sent++;
    const w = this.wireOf(op);
    req.headers = { ...w.headers };
    req.body = encodeRequest(id, w.methodJson, op.params(this.seq++), this.envelopeJson);
    if (measured && o.requests !== null && book.measuredSent >= o.requests) this.stop('done');
    return req;
  }

  /** Follow a connection autocannon made: its answers, timeouts, errors and re-opens. */
  private setupClient(client: AutocannonClient): void {
    const c = this.queues.attach(client as ClientInternals);
    watchReopen(c, () => this.connectionLost(c));
    if (this.halt.stopped) c.client.responseMax = Math.max(1, c.client.reqsMade);
    client.on('response', (status: number, _bytes: number, responseTimeMs: number) => this.answered(c, status, responseTimeMs));
    client.on('timeout', () => this.timedOut(c));
    client.on('connError', (err: NodeJS.ErrnoException) => this.connectionFailed(c, err));
  }

  /** An answer on `c` is complete: pair it with its request, read its reply, book it. */
  private answered(c: Conn, status: number, responseTimeMs: number): void {
    const now = performance.now();
    const a = this.answer;
    this.answer = null;
    if (a === null) return;
    const { figures, hygiene } = this;
    figures.responses++;
    figures.statusCounts[status] = (figures.statusCounts[status] ?? 0) + 1;
    const responses = responsesIn(a, hygiene);
    const { sent, inOrder, lost } = this.queues.match(c, responses);
    // Requests its answer skipped: with pipelining, an answer that names a later request on the connection.
    for (const l of lost) this.settleLost(l, now, 'the connection was re-opened');
    if (!sent) return hygiene.violation('unknown-id', `an HTTP ${status} answer with no request outstanding on its connection`);
    const m = replyFor(sent.id, sent.op.method, a, responses, this.wireOf(sent.op).session);
    if (responses.length > 0 && !responses.some((r) => r.id === sent.id)) {
      hygiene.violation('unknown-id', `an HTTP ${status} answer carrying id ${JSON.stringify(responses[0]!.id)}, not its request's`);
    }
    // autocannon's responseTime is this request's only when its own queue paired them too.
    const reply = asReply(sent, m, now);
    const cls = failureClass(reply);
    if (sent.stats) this.book.log.note(cls, reply, sent.op.op, undefined, false);
    this.settle(sent, cls, inOrder ? responseTimeMs : now - sent.sentAt, now);
    if ((m.error?.data as { sessionExpired?: unknown } | undefined)?.sessionExpired === true) this.sessionExpired(sent);
  }

  /** Record how request `sent` ended: `cls` null for a success, `latencyMs` from its send. */
  private settle(sent: Sent, cls: string | null, latencyMs: number, now: number): void {
    this.queues.settle(sent);
    this.book.done(sent.stats, cls, latencyMs * 1000, latencyMs * 1000, now, this.o.lane);
    const reason = cls === null ? null : failureStop(this.book, this.o, now - this.t0);
    if (reason !== null) this.stop(reason);
    if (this.halt.stopped && this.book.inflight === 0) this.instance?.stop();
  }

  /** A request lost with its connection: class 'closed', its sample saying how. */
  private settleLost(sent: Sent, now: number, how: string): void {
    const reply = asReply(sent, syntheticError(sent.id, `${how} before the reply to ${sent.op.method} arrived`, { streamClosed: true }), now);
    if (sent.stats) this.book.log.note('closed', reply, sent.op.op, undefined, false);
    this.settle(sent, 'closed', now - sent.sentAt, now);
  }

  /**
   * The server expired the session (404): re-initialize it as the own engine does (once, through
   * the target's transport), then send with the new session's headers. Requests sent meanwhile
   * with the old id fail as 'session_expired' (kept out of latency, as in the engine).
   */
  private sessionExpired(sent: Sent): void {
    if (this.reinitializing || sent.gen !== this.sessionGen || this.halt.stopped) return;
    const reinitialize = this.o.reinitialize;
    if (!reinitialize) {
      return this.stop('target-failed', new TargetError(
        'The server expired the MCP session (HTTP 404 for its Mcp-Session-Id) during the autocannon run, and it cannot be re-initialized here. ' +
          "Run the load through mcp-opt's own engine (--http-client mcp-opt).",
      ));
    }
    this.reinitializing = true;
    void reinitialize().then((failed) => {
      this.reinitializing = false;
      if (failed !== null) return this.stop('target-failed', new TargetError(failed));
      this.sessionGen++;
      this.wireOf = wireCache(this.o.headersFor);
    }, (err: unknown) => {
      // A rejected re-initialize (e.g. the transport closed during teardown) ends the run as a
      // target failure rather than as an unhandled rejection.
      this.reinitializing = false;
      this.stop('target-failed', new TargetError(`Re-initializing the expired session failed: ${err instanceof Error ? err.message : String(err)}`));
    });
  }

  private timedOut(c: Conn): void {
    this.figures.timeouts++;
    const sent = this.queues.shift(c);
    const now = performance.now();
    if (sent) this.settle(sent, 'timeout', now - sent.sentAt, now);
  }

  private connectionFailed(c: Conn, err: NodeJS.ErrnoException): void {
    this.figures.connectionErrors++;
    const now = performance.now();
    // Emitted before autocannon re-opens the connection: everything queued on it is lost.
    for (let s = this.queues.shift(c); s; s = this.queues.shift(c)) this.settleLost(s, now, `the connection failed (${err.code ?? err.message})`);
    if (GONE.has(err.code ?? '')) {
      this.stop('target-failed', new TargetError(`autocannon could not connect to ${redactUrl(this.o.url.href)} (${err.code}): the server is no longer listening.`));
    }
  }

  /** autocannon re-opens `c` (connectionQueues.ts watchReopen): what was still queued on the dead socket is lost. */
  private connectionLost(c: Conn): void {
    const now = performance.now();
    for (let s = this.queues.shift(c); s; s = this.queues.shift(c)) this.settleLost(s, now, 'the server closed the connection');
  }

  /** Sending stops by capping every connection at what it has sent; autocannon closes each after its next answer. */
  private stop(reason: StopReason, failure: McpOptError | null = null): void {
    if (!this.halt.stop(reason, failure)) return;
    for (const c of this.queues.conns) c.client.responseMax = Math.max(1, c.client.reqsMade);
    const allowance = reason === 'interrupted' ? INTERRUPT_DRAIN_MS : reason === 'target-failed' ? 0 : this.o.timeoutMs + 500;
    this.drainTimer = setTimeout(() => this.instance?.stop(), allowance);
    if (this.book.inflight === 0) this.instance?.stop();
  }

  private housekeep(): void {
    const now = performance.now();
    this.book.timeline.roll(now, this.book.inflight);
    if (now >= this.endAt) this.stop('done');
  }

  private outcome(): AutocannonOutcome {
    this.figures.perConnection = this.queues.conns.map((c) => ({ index: c.index, sent: c.sent, answered: c.answered }));
    this.book.timeline.roll(performance.now() + 1000, this.book.inflight);
    return autocannonOutcome(this.book, this.figures, this.hygiene, {
      measuredMs: Math.max(0, Math.min(this.halt.stopped ? this.halt.at : performance.now(), this.endAt) - this.measureFrom),
      stopReason: this.halt.reason, failure: this.halt.failure, abandoned: this.queues.size, timelineOrigin: this.t0,
    });
  }
}

/** A Reply for recording.ts failureClass, so both paths classify failures the same way. */
function asReply(sent: Sent, m: JsonRpcMessage, now: number): Reply {
  const error = m.error !== undefined;
  return { id: sent.id, method: sent.op.method, sentAt: sent.sentAt, doneAt: now, outcome: error ? 'error' : 'result', result: m.result, error: m.error };
}
