/**
 * Transport 'auto': Streamable HTTP, falling back to the legacy HTTP+SSE transport as MCP
 * 2025-11-25 basic/transports "Backwards Compatibility" prescribes: POST the first message; if
 * the server answers 400, 404 or 405, GET the URL with `Accept: text/event-stream`; an
 * `endpoint` event means a 2024-11-05 server.
 *
 * Detection is lazy, so it costs nothing against a Streamable HTTP server: the session's first
 * message (initialize, or server/discover in the modern era) is the probe. Only when that POST is
 * refused does the GET happen; if it yields an endpoint, the same first message is re-sent over
 * the legacy transport, and everything after goes there. Messages the session sends while the
 * first is undecided wait in a queue (in practice none: the handshake awaits its reply).
 *
 * Timing, documented because it shows in the handshake time: against a legacy SSE server, the
 * refused POST and the GET are inside the first request's round trip, so they are counted once,
 * in the handshake (from the session's sentAt to the reply), which is what any spec-following
 * client pays to connect to that server. No later request pays it, and the throwaway probe of
 * detectEra never touches these timings.
 */
import { TargetError } from '../../errors.js';
import { Hygiene } from '../hygiene.js';
import type { Era, JsonRpcMessage } from '../protocol.js';
import type { CloseInfo, HttpRequestTemplate, OutgoingInfo, Transport } from '../transport.js';
import { LegacySseTransport, NotLegacySseError } from './legacySse.js';
import { SendGate } from './sendGate.js';
import type { FirstRefusal } from './exchange.js';
import { StreamableHttpTransport } from './streamable.js';
import { NO_ENDPOINT_STATUSES, noEndpointMessage, syntheticError } from './wire.js';

/** Streamable HTTP that switches to legacy HTTP+SSE when the first POST is refused (see above). */
export class AutoHttpTransport implements Transport {
  readonly hygiene = new Hygiene();
  onmessage?: (message: JsonRpcMessage, receivedAt: number) => void;
  onclose?: (info: CloseInfo) => void;
  /** The transport in use: Streamable HTTP until a fallback switched to legacy SSE. */
  active: StreamableHttpTransport | LegacySseTransport;

  /** The session's first message, kept to re-send over legacy SSE. */
  private first: [string, OutgoingInfo] | null = null;
  /** Shut from the first message until the transport is decided. */
  private readonly undecided = new SendGate();
  private deciding: Promise<void> | null = null;
  private closed = false;

  constructor(
    /** The MCP endpoint. */
    readonly url: URL,
    private readonly userHeaders: Record<string, string>,
    era: Era,
    /** How long to wait for the legacy `endpoint` event. */
    private readonly connectTimeoutMs: number,
  ) {
    // A re-initialize after a session expiry gets the start-up allowance, like the first initialize.
    const streamable = new StreamableHttpTransport(url, userHeaders, era, this.hygiene, connectTimeoutMs);
    streamable.onFirstResponse = (refusal) => this.decide(refusal);
    this.active = streamable;
    this.attach(streamable);
  }

  /** Which HTTP transport is in use. */
  get wire(): 'streamable-http' | 'sse' {
    return this.active.wire;
  }

  /** Replies by framing on the active transport (Transport.replyFormats). */
  get replyFormats(): { json: number; sse: number } {
    return this.active.replyFormats;
  }

  get protocolVersion(): string | undefined {
    return this.active.protocolVersion;
  }

  set protocolVersion(v: string | undefined) {
    this.active.protocolVersion = v;
  }

  /** Session expiries seen (404 on Mcp-Session-Id); 0 on legacy HTTP+SSE. */
  get sessionExpirations(): number {
    return this.active.wire === 'streamable-http' ? this.active.sessionExpirations : 0;
  }

  /** Re-initializations after an expiry (at most one per connection). */
  get sessionReinits(): number {
    return this.active.wire === 'streamable-http' ? this.active.sessionReinits : 0;
  }

  /** The active wire's connection figures (Transport.connectionStats). */
  get connectionStats(): { connectionsOpened: number; requestsSent: number; sessionReinits: number } {
    return this.active.connectionStats;
  }

  /** Streamable HTTP: listen on the session's GET stream too (Transport.listen); legacy HTTP+SSE has only that stream. */
  listen(): void {
    if (this.active.wire === 'streamable-http') this.active.listen();
  }

  /** Streamable HTTP's template for other clients (Transport.httpRequestTemplate); null on legacy HTTP+SSE. */
  httpRequestTemplate(): HttpRequestTemplate | null {
    return this.active.wire === 'streamable-http' ? this.active.httpRequestTemplate() : null;
  }

  get pendingOutBytes(): number {
    return this.active.pendingOutBytes + this.undecided.heldBytes;
  }

  send(json: string, info: OutgoingInfo): void {
    if (this.closed || this.undecided.hold(json, info)) return;
    if (this.first === null) {
      this.first = [json, info];
      this.undecided.shut();
    }
    this.active.send(json, info);
  }

  private decide(refusal: FirstRefusal | null): void {
    if (refusal === null || this.closed) {
      refusal?.fail();
      this.settle();
      return;
    }
    this.deciding = this.tryLegacy(refusal);
  }

  private async tryLegacy(refusal: FirstRefusal): Promise<void> {
    let legacy: LegacySseTransport;
    try {
      legacy = await LegacySseTransport.connect(this.url, this.userHeaders, this.connectTimeoutMs, this.hygiene);
    } catch (err) {
      const id = this.first?.[1].id;
      if (err instanceof TargetError && id !== undefined) {
        // A legacy server whose endpoint we refuse: say so, rather than quote the refused POST.
        this.hygiene.violation('http', err.message);
        this.onmessage?.(syntheticError(id, err.message, { fallback: 'sse' }), performance.now());
      } else if (err instanceof NotLegacySseError && err.status !== null && NO_ENDPOINT_STATUSES.has(refusal.status)) {
        // Neither transport is served here (e.g. an HTML 404 page for both): a wrong path, not a legacy server.
        refusal.fail(noEndpointMessage(this.url, refusal.summary, err.message));
      } else {
        refusal.fail();
      }
      this.settle();
      return;
    }
    if (this.closed) {
      await legacy.close();
      return;
    }
    const old = this.active;
    old.onmessage = undefined;
    old.onclose = undefined;
    void old.close();
    this.active = legacy;
    this.attach(legacy);
    legacy.send(...this.first!);
    this.settle();
  }

  private settle(): void {
    this.undecided.open((json, info) => this.active.send(json, info));
  }

  private attach(t: StreamableHttpTransport | LegacySseTransport): void {
    t.onmessage = (m, at) => this.onmessage?.(m, at);
    t.onclose = (info) => {
      if (t === this.active) this.onclose?.(info);
    };
  }

  /** Close the active transport (after any fallback in progress has finished). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.deciding) await this.deciding;
    this.undecided.drop();
    await this.active.close();
  }
}
