/**
 * Keeps the tail of a server's stderr and counts its volume. stderr is drained continuously
 * (a full pipe would stall the server) and never treated as failure: the spec says clients
 * "SHOULD NOT assume stderr output indicates error conditions" (2025-11-25 basic/transports).
 */
import { stripControl } from '../util/controlChars.js';

/** Bytes of stderr kept for error messages. */
const KEEP_BYTES = 16 * 1024;

/** The tail of a server's stderr (the last 16 KiB) and its total bytes and lines. */
export class StderrRing {
  /** Total bytes received. */
  bytes = 0;
  /** Total newline characters received. */
  lines = 0;
  private chunks: Buffer[] = [];
  private kept = 0;

  /** Record one chunk. */
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept - (this.chunks[0]?.length ?? 0) >= KEEP_BYTES && this.chunks.length > 1) {
      this.kept -= this.chunks.shift()!.length;
    }
  }

  /** The last `n` non-empty lines, control characters removed. */
  tailLines(n: number): string[] {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return text
      .split(/\r?\n/)
      .map((l) => stripControl(l).trimEnd())
      .filter((l) => l.length > 0)
      .slice(-n)
      .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
  }
}
