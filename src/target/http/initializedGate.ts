/** Ordering of the first messages after the legacy handshake, for the HTTP transports. */
import type { OutgoingInfo } from '../transport.js';

/**
 * Holds messages while `notifications/initialized` is in flight. Over HTTP every message is its
 * own POST, so without this a tools/list sent right after the handshake can reach the server
 * before the notification that opens normal operation (2025-11-25 basic/lifecycle), and servers
 * that enforce the order (the Python SDK's ServerSession) refuse it. The SDK v1 client avoids
 * this by awaiting the notification's POST; this does the same, without blocking the caller.
 */
export class InitializedGate {
  /** Bytes of held messages (part of the transport's pendingOutBytes). */
  heldBytes = 0;
  private held: Array<[string, OutgoingInfo]> | null = null;

  /** Start holding (call when the notification is sent). */
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
