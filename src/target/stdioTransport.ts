/**
 * Transport over a spawned server's stdin/stdout. Writes issued in the same tick are coalesced into
 * one write() (one syscall instead of one per message): at 64 requests in flight this is most of
 * the difference between mcp-opt's and the SDK client's CPU per request (`npm run bench:client`).
 *
 * `tune` can also batch across ticks, as a client or gateway in front of a server might: up to
 * `max` messages per write, or whatever is queued once `delayMs` has passed since the first.
 */

/** Write batching across ticks (tune's batch / batchDelay knobs). */
export interface WriteBatching {
  /** Messages coalesced per write at most (a full batch is written at once). */
  max: number;
  /** Flush a partial batch this long after its first message, ms (0: at the end of the tick). */
  delayMs: number;
  /**
   * With delayMs 0, asked at each first message of a tick: true to flush at the end of the
   * event-loop turn (setImmediate) instead of the tick, so that messages arriving in separate I/O
   * callbacks of one turn share a write. The proxy's HTTP front gets each POST in a callback of
   * its own: one write per request to the instance's pipe was a third of the front's CPU (a pipe
   * write that wakes the reader costs tens of µs on a VM). One request at a time there is nothing
   * to share and the turn's end costs latency: the proxy says true only with others in flight.
   */
  perTurn?: () => boolean;
}
import type { CloseInfo, OutgoingInfo, Transport } from './transport.js';
import type { JsonRpcMessage } from './protocol.js';
import { Hygiene } from './hygiene.js';
import { StdioDecoder, DEFAULT_MAX_MESSAGE_BYTES } from './stdioDecoder.js';
import type { ServerProcess, StopReport, StopWaits } from './serverProcess.js';

/** How long after stdout ends the server's exit may still come before the close is blamed on stdout alone, ms. */
export const STDOUT_CLOSED_GRACE_MS = 500;
/** CloseInfo.reason when a server closed its stdout while its process kept running. */
export const STDOUT_CLOSED_REASON = 'the server closed its stdout but kept running';

/** Transport over a spawned server's stdin and stdout. */
export class StdioTransport implements Transport {
  readonly hygiene = new Hygiene();
  /** As Transport's, plus the message's JSON text on one line (see StdioDecoder), for a proxy that forwards it unchanged. */
  onmessage?: (message: JsonRpcMessage, receivedAt: number, raw?: string) => void;
  onclose?: (info: CloseInfo) => void;
  /** How the last close() went (teardown ladder), for the report. */
  stopReport: StopReport | null = null;

  /** Messages of this tick, newline-terminated (a rope string: cheaper than an array and join). */
  private out = '';
  private queued = 0;
  private flushScheduled = false;
  private batchTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** close() has begun: a server ending its stdout now is doing what it was asked. */
  private closing = false;
  private readonly decoder: StdioDecoder;
  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.batchTimer !== null) {
      clearTimeout(this.batchTimer);
      this.batchTimer = null;
    }
    if (this.out.length === 0 || this.closed) return;
    const data = this.out;
    this.out = '';
    this.queued = 0;
    this.proc.child.stdin.write(data);
  };

  constructor(
    /** The server process this transport talks to. */
    readonly proc: ServerProcess,
    private readonly stopWaits?: StopWaits,
    /** Batching across ticks; undefined: one write per tick. */
    private readonly batching?: WriteBatching,
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {
    this.decoder = new StdioDecoder(
      this.hygiene,
      (m, raw) => this.onmessage?.(m, performance.now(), raw),
      maxMessageBytes,
    );
    const stdout = proc.child.stdout;
    stdout.on('data', (chunk: Buffer) => this.decoder.push(chunk));
    stdout.on('end', () => {
      this.decoder.end();
      // A server that closed its stdout but lives on can answer nothing more: end the wire now
      // rather than let every request time out. A server that is exiting closes stdout first, so
      // its exit (and how it exited) gets a moment to arrive before this is concluded.
      const timer = setTimeout(() => {
        if (proc.running && !this.closing) this.closeWith({ reason: STDOUT_CLOSED_REASON });
      }, STDOUT_CLOSED_GRACE_MS);
      timer.unref();
    });
    void proc.exited.then(() => {
      // Let stdout drain what the server wrote before exiting, then report the close.
      setImmediate(() => this.closeWith({ reason: 'the server process exited', exit: proc.exitInfo! }));
    });
  }

  get pendingOutBytes(): number {
    return this.proc.child.stdin.writableLength;
  }

  send(json: string, _info: OutgoingInfo): void {
    if (this.closed) return;
    this.hygiene.messagesOut++;
    this.hygiene.bytesOut += json.length + 1;
    this.out += json;
    this.out += '\n';
    const b = this.batching;
    if (b === undefined) {
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(this.flush);
      }
      return;
    }
    if (++this.queued >= b.max) return this.flush();
    if (b.delayMs <= 0) {
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        if (b.perTurn?.()) setImmediate(this.flush);
        else queueMicrotask(this.flush);
      }
    } else if (this.batchTimer === null) {
      this.batchTimer = setTimeout(this.flush, b.delayMs);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.flush();
    this.stopReport = await this.proc.stop(this.stopWaits);
    this.closeWith({ reason: 'mcp-opt closed the connection', exit: this.proc.exitInfo ?? undefined });
  }

  private closeWith(info: CloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.(info);
  }
}
