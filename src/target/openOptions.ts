/**
 * What opening a target takes (era, timeouts, client identity), shared by target.ts and the HTTP
 * transports it loads, in a file of its own so neither imports the other for it.
 */
import type { ClientIdentity } from './handshake.js';
import type { Era } from './protocol.js';
import type { StopWaits } from './serverProcess.js';
import type { WriteBatching } from './stdioTransport.js';

/** Options for opening a target. */
export interface OpenOptions {
  /** Era to speak; 'auto' probes first (on a disposable connection). */
  era: Era;
  /** Start-up timeout: spawn/connect → handshake answered, ms. */
  startTimeoutMs: number;
  /** Default per-request timeout afterwards, ms. */
  requestTimeoutMs: number;
  /** Identity sent to the server. */
  client: ClientIdentity;
  /** Teardown waits (stdio). */
  stopWaits?: StopWaits;
  /** Aborts the handshake wait (Ctrl-C); the server is then stopped. */
  signal?: AbortSignal;
  /** stdio write batching across ticks (tune's batch / batchDelay knobs); default one write per tick. */
  writeBatching?: WriteBatching;
}
