/**
 * A gate for outgoing messages: while shut it holds them, and opening it sends them in order.
 * The HTTP transports use it twice:
 * - after the legacy handshake (streamable.ts, legacySse.ts): over HTTP every message is its own
 *   POST, so without it a tools/list sent right after the handshake can reach the server before
 *   the `notifications/initialized` that opens normal operation (2025-11-25 basic/lifecycle), and
 *   servers that enforce the order (the Python SDK's ServerSession) refuse it. The SDK v1 client
 *   avoids this by awaiting the notification's POST; the gate does the same without blocking;
 * - while auto.ts has not yet decided between Streamable HTTP and legacy HTTP+SSE.
 */
import type { OutgoingInfo } from '../transport.js';

/** Holds messages while shut; see the module comment. */
export class SendGate {
  /** Bytes of held messages (part of the transport's pendingOutBytes). */
  heldBytes = 0;
  private held: Array<[string, OutgoingInfo]> | null = null;

  /** Start holding. */
  shut(): void {
    this.held ??= [];
  }

  /** True when the message was held; the caller must not send it now. */
  hold(json: string, info: OutgoingInfo): boolean {
    if (this.held === null) return false;
    this.held.push([json, info]);
    this.heldBytes += json.length;
    return true;
  }

  /** Stop holding and send what was held, in order. */
  open(send: (json: string, info: OutgoingInfo) => void): void {
    const held = this.held;
    this.held = null;
    this.heldBytes = 0;
    for (const [json, info] of held ?? []) send(json, info);
  }

  /** Drop what is held (the transport is closing). */
  drop(): void {
    this.held = null;
    this.heldBytes = 0;
  }
}
