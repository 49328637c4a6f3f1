/**
 * Session expiry on Streamable HTTP (MCP 2025-11-25 basic/transports, session management: a 404
 * on a request carrying Mcp-Session-Id means the session is gone, and the client MUST start a new
 * one with an InitializeRequest without a session id). The first expiry re-initializes
 * transparently by replaying the session's own initialize under a private id whose reply the
 * transport consumes, then `notifications/initialized`, holding later sends until the new session
 * is up. Once only: a second expiry, or a re-initialize that fails, ends the transport so a run
 * aborts instead of looping (test/target/httpSessionExpiry.test.ts).
 */
import { encodeNotification } from '../jsonRpc.js';
import { METHODS, type JsonRpcMessage } from '../protocol.js';
import type { OutgoingInfo } from '../transport.js';

/**
 * Ids of re-initialize requests: negative, so they never collide with the session's ids (positive,
 * increasing); their replies are consumed by the transport, never delivered.
 */
const REINIT_ID_BASE = -1;

/** What a renewal needs of its transport. */
export interface RenewalHost {
  /** The current Mcp-Session-Id, if any. */
  sessionId(): string | undefined;
  /** The session expired: stop sending its id. */
  forgetSession(): void;
  /** True once the transport closed. */
  isClosed(): boolean;
  /** Hold later sends until the new session's notifications/initialized is answered (sendGate.ts). */
  holdSends(): void;
  /** POST a message of the transport's own; with `consume`, the reply goes there, not to the session. */
  post(json: string, info: OutgoingInfo, consume?: (m: JsonRpcMessage) => void): void;
  /** End the transport; the session sees onclose with `reason`. */
  end(reason: string): void;
}

/** Expiries of one transport's session, and its one re-initialize (see the module comment). */
export class SessionRenewal {
  /** 404s on a live session: the server expired it. */
  expirations = 0;
  /** Re-initializations started after an expiry (at most one). */
  reinits = 0;
  /** Replies received on the session that replaced an expired one (for the abort message). */
  answeredSinceReinit = 0;
  /** The session's initialize request as sent, replayed (under a private id) after an expiry. */
  initializeJson: string | null = null;

  constructor(
    private readonly host: RenewalHost,
    /** How long a re-initialize may take before the transport gives up, ms. */
    private readonly timeoutMs: number,
  ) {}

  /**
   * A 404 answered a message sent with session `sid`; `failIt` ends that message as an error. The
   * first 404 of the current session re-initializes (once per transport) before failing the
   * message, so a sender that reacts to the failure by sending again already finds the gate shut;
   * later 404s for the same, already replaced session are stragglers sent before the first was
   * answered and need nothing more. A second expiry fails the message, then ends the transport.
   */
  expired(sid: string, failIt: () => void): void {
    if (this.host.isClosed() || sid !== this.host.sessionId()) return failIt();
    this.host.forgetSession();
    this.expirations++;
    if (this.reinits > 0) {
      failIt();
      return this.host.end(
        'the server expired the session again right after mcp-opt re-initialized it: HTTP 404 for its Mcp-Session-Id ' +
          `${this.answeredSinceReinit} replies after the re-initialize; mcp-opt re-initializes an expired session once, ` +
          'so it stops here rather than loop',
      );
    }
    // Without an initialize of our own to replay (a transport driven by hand), only the failure is reported.
    if (this.initializeJson !== null) this.reinitialize(this.initializeJson);
    failIt();
  }

  /** Replay the session's initialize without a session id, then notifications/initialized; sends wait meanwhile. */
  private reinitialize(initializeJson: string): void {
    this.reinits++;
    this.answeredSinceReinit = 0;
    this.host.holdSends();
    const id = REINIT_ID_BASE - (this.reinits - 1);
    let json: string;
    try {
      json = JSON.stringify({ ...(JSON.parse(initializeJson) as object), id });
    } catch {
      return this.host.end('the server expired the session, and the initialize request to replay could not be read');
    }
    const why = (detail: string): string => `the server expired the session (HTTP 404 for its Mcp-Session-Id) and mcp-opt could not re-initialize it: ${detail}`;
    const timer = setTimeout(() => this.host.end(why(`no answer to initialize within ${this.timeoutMs} ms`)), this.timeoutMs);
    timer.unref();
    this.host.post(json, { method: METHODS.initialize, id }, (m) => {
      clearTimeout(timer);
      if (m.error !== undefined || m.result === null || typeof m.result !== 'object') {
        return this.host.end(why(m.error ? String(m.error.message).slice(0, 200) : 'its answer to initialize holds no result'));
      }
      if (this.host.sessionId() === undefined) return this.host.end(why('the server answered initialize without assigning an Mcp-Session-Id'));
      // The gate stays shut until this notification's POST is answered (StreamableHttpTransport.post: opensGate).
      this.host.post(encodeNotification(METHODS.initialized), { method: METHODS.initialized });
    });
  }
}
