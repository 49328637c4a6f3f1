/**
 * mcp-opt's own JSON-RPC session: id-multiplexed pipelining, per-request timeouts, cancellation,
 * and answers to server-initiated requests. It is the measuring client's hot path, so it keeps one
 * record per request (reused as the reply), serialises by string concatenation (params may come
 * pre-serialised), and sweeps timeouts with one timer instead of one per request.
 * `npm run bench:client` measures its CPU per request against the SDK Client.
 */
import type { Transport, CloseInfo } from './transport.js';
import { Hygiene } from './hygiene.js';
import { encodeError, encodeNotification, encodeRequest, encodeResult } from './jsonRpc.js';
import { ERROR_CODES, METHODS, type JsonRpcErrorObject, type JsonRpcMessage } from './protocol.js';

/** How a request ended. */
export type Outcome = 'result' | 'error' | 'timeout' | 'closed' | 'cancelled';

/** One request in flight, and afterwards its reply. */
export interface Reply {
  /** Request id (numbers, increasing). */
  readonly id: number;
  /** Method sent. */
  readonly method: string;
  /** performance.now() when the request was handed to the transport. */
  readonly sentAt: number;
  /** performance.now() when the reply (or the failure) was registered. */
  doneAt: number;
  /** How it ended. */
  outcome: Outcome;
  /** The JSON-RPC result, when outcome is 'result'. */
  result: unknown;
  /** The JSON-RPC error, when outcome is 'error'. */
  error: JsonRpcErrorObject | undefined;
}

/** Callback form used by the measuring loops (no promise per request). */
export type ReplyCallback = (reply: Reply) => void;

interface Pending extends Reply {
  deadline: number;
  cb: ReplyCallback;
}

/** Session options. */
export interface SessionOptions {
  /** Default per-request timeout, ms. */
  timeoutMs: number;
  /** `_meta` added to every request's params (2026-07-28 envelope); undefined in the legacy era. */
  envelope?: Record<string, unknown>;
  /** Send notifications/cancelled on timeout (stdio legacy era; HTTP cancels by closing the stream). */
  cancelOnTimeout?: boolean;
}

/**
 * Timeouts are swept by one timer armed for the earliest deadline in flight (re-armed after each
 * sweep), not a periodic one: a periodic sweep woke an idle client 20-50 times a second whatever
 * was in flight, and each wake-up costs tens of µs of CPU on a VM (bench:generator counts what a
 * run at 200 req/s costs). A timed-out request is failed at most this late, ms.
 */
const SWEEP_SLACK_MS = 5;
/** Ids remembered after timeout/cancel, to tell late replies from unknown ids. */
const ABANDONED_MEMORY = 10_000;

/** One JSON-RPC session over a transport: sends requests, matches replies by id, times out and cancels. */
export class Session {
  /** Requests sent and not yet finished. */
  get inflight(): number {
    return this.pending.size;
  }
  /** Set once the transport closed; later requests fail at once with 'closed'. */
  closeInfo: CloseInfo | null = null;
  /** Errors received, by code (every request, including probes that expect errors). */
  readonly errorCodes: Record<string, number> = {};

  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly abandoned = new Set<number>();
  private sweepTimer: NodeJS.Timeout | null = null;
  /** The deadline the sweep timer is armed for (Infinity: not armed). */
  private sweepAt = Infinity;
  private envelopeJson: string | undefined;
  private readonly closeListeners: Array<(info: CloseInfo) => void> = [];
  /** Serialised method names, so the hot path does not re-stringify them. */
  private readonly methodJson = new Map<string, string>();

  constructor(
    /** The wire. */
    readonly transport: Transport,
    private options: SessionOptions,
  ) {
    this.setEnvelope(options.envelope);
    transport.onmessage = (m, at) => this.receive(m, at);
    transport.onclose = (info) => this.onTransportClose(info);
  }

  /** Hygiene counters of the underlying transport. */
  get hygiene(): Hygiene {
    return this.transport.hygiene;
  }

  /** Set (or clear) the `_meta` envelope sent with every request. */
  setEnvelope(envelope: Record<string, unknown> | undefined): void {
    this.options = { ...this.options, envelope };
    this.envelopeJson = envelope ? JSON.stringify(envelope) : undefined;
  }

  /**
   * Send a request; `cb` runs exactly once with the reply. `paramsJson` is the serialised params
   * object (without `_meta`; the envelope is merged in). Returns the request id.
   */
  send(method: string, paramsJson: string | undefined, cb: ReplyCallback, timeoutMs = this.options.timeoutMs, name?: string): number {
    const id = this.nextId++;
    const now = performance.now();
    const p: Pending = {
      id, method, sentAt: now, doneAt: 0, outcome: 'closed', result: undefined, error: undefined,
      deadline: now + timeoutMs, cb,
    };
    if (this.closeInfo) {
      p.doneAt = now;
      queueMicrotask(() => cb(p));
      return id;
    }
    this.pending.set(id, p);
    this.transport.send(this.serialize(id, method, paramsJson), name === undefined ? { method, id } : { method, id, name });
    if (p.deadline < this.sweepAt) this.armSweep(p.deadline, now);
    return id;
  }

  /** Promise form of send(), for the non-hot paths. Never rejects: failures are outcomes. */
  request(method: string, params?: object, timeoutMs?: number): Promise<Reply> {
    const name = method === METHODS.toolsCall ? (params as { name?: unknown } | undefined)?.name : undefined;
    return new Promise((resolve) =>
      this.send(method, params === undefined ? undefined : JSON.stringify(params), resolve, timeoutMs,
        typeof name === 'string' ? name : undefined),
    );
  }

  /** Send a notification. */
  notify(method: string, params?: object): void {
    if (this.closeInfo) return;
    this.transport.send(encodeNotification(method, params), { method });
  }

  /**
   * Abandon a request: its callback runs now with 'cancelled'; on stdio the server is told with
   * notifications/cancelled. `initialize` is never cancelled on the wire (the spec forbids it).
   */
  cancel(id: number, reason = 'cancelled by mcp-opt'): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.finish(p, 'cancelled', performance.now());
    if (p.method !== METHODS.initialize) this.notify(METHODS.cancelled, { requestId: id, reason });
  }

  /** Close the transport; in-flight requests end with 'closed'. */
  async close(): Promise<void> {
    await this.transport.close();
    this.onTransportClose({ reason: 'closed by mcp-opt' });
  }

  /** Run `fn` when the transport closes (immediately if it already has). */
  onClose(fn: (info: CloseInfo) => void): void {
    if (this.closeInfo) fn(this.closeInfo);
    else this.closeListeners.push(fn);
  }

  private serialize(id: number, method: string, paramsJson: string | undefined): string {
    let m = this.methodJson.get(method);
    if (m === undefined) {
      m = JSON.stringify(method);
      if (this.methodJson.size < 64) this.methodJson.set(method, m);
    }
    return encodeRequest(id, m, paramsJson, this.envelopeJson);
  }

  private receive(m: JsonRpcMessage, at: number): void {
    const hasMethod = typeof m.method === 'string';
    if (!hasMethod) {
      // A response.
      const id = m.id;
      const p = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (p === undefined) {
        if (typeof id === 'number' && this.abandoned.has(id)) this.hygiene.lateResponses++;
        else if (typeof id === 'number' && id > 0 && id < this.nextId) this.hygiene.violation('duplicate-response', `id ${id}`);
        else this.hygiene.violation('unknown-id', `id ${JSON.stringify(id)}`);
        return;
      }
      if (m.error !== undefined) {
        p.error = m.error;
        const code = String(m.error?.code);
        this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
        this.finish(p, 'error', at);
      } else {
        p.result = m.result;
        this.finish(p, 'result', at);
      }
      return;
    }
    const method = m.method as string;
    if (m.id === undefined || m.id === null) {
      Hygiene.bump(this.hygiene.notifications, method);
      return;
    }
    // A request from the server. mcp-opt offers no client capabilities (no sampling, roots,
    // elicitation), so everything but ping gets "method not found" and the run goes on.
    Hygiene.bump(this.hygiene.serverRequests, method);
    const reply = method === METHODS.ping
      ? encodeResult(m.id, '{}')
      : encodeError(m.id, ERROR_CODES.methodNotFound, `mcp-opt does not support ${method.replace(/["\\]/g, '')}`);
    this.transport.send(reply, { method });
  }

  private finish(p: Pending, outcome: Outcome, at: number): void {
    this.pending.delete(p.id);
    p.outcome = outcome;
    p.doneAt = at;
    if (outcome === 'timeout' || outcome === 'cancelled') {
      this.abandoned.add(p.id);
      if (this.abandoned.size > ABANDONED_MEMORY) this.abandoned.delete(this.abandoned.values().next().value!);
    }
    p.cb(p);
  }

  /** Arm the sweep for `deadline` (replacing a later arming). Unref'd: the wire keeps the process alive. */
  private armSweep(deadline: number, now: number): void {
    if (this.sweepTimer !== null) clearTimeout(this.sweepTimer);
    this.sweepAt = deadline;
    this.sweepTimer = setTimeout(this.sweep, Math.max(1, Math.ceil(deadline - now) + SWEEP_SLACK_MS));
    this.sweepTimer.unref();
  }

  private readonly sweep = (): void => {
    const now = performance.now();
    this.sweepTimer = null;
    this.sweepAt = Infinity;
    let next = Infinity;
    for (const p of this.pending.values()) {
      if (p.deadline <= now) {
        this.finish(p, 'timeout', now);
        if (this.options.cancelOnTimeout && p.method !== METHODS.initialize) {
          this.notify(METHODS.cancelled, { requestId: p.id, reason: 'timeout' });
        }
      } else if (p.deadline < next) {
        next = p.deadline;
      }
    }
    if (next < Infinity && this.closeInfo === null) this.armSweep(next, now);
  };

  private onTransportClose(info: CloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    const now = performance.now();
    for (const p of [...this.pending.values()]) this.finish(p, 'closed', now);
    if (this.sweepTimer !== null) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    this.sweepAt = Infinity;
    for (const fn of this.closeListeners.splice(0)) fn(info);
  }
}
