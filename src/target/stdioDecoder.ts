/**
 * Turns stdout bytes into JSON-RPC messages, per the stdio transport (2025-11-25
 * basic/transports): newline-delimited, no embedded newlines. What servers actually print is
 * handled, counted and never fatal:
 * - CRLF endings and UTF-8 characters split across chunks (lines are cut on the 0x0A byte,
 *   and only whole lines are decoded);
 * - non-JSON lines (banners, logs): skipped and counted, as the SDK's ReadBuffer drops them;
 * - pretty-printed JSON spread over lines: reassembled, delivered, and counted as
 *   'embedded-newlines' so the report says why an SDK client would fail, instead of timeouts;
 * - batch arrays: each element delivered, counted as 'batch';
 * - lines beyond the size cap: discarded up to the next newline, counted as 'oversized';
 * - bytes that are not valid UTF-8 (the spec: messages are UTF-8 encoded): decoded as U+FFFD as
 *   any UTF-8 reader does, and counted as 'invalid-utf8', one per invalid sequence.
 */
import { isUtf8 } from 'node:buffer';
import type { JsonRpcMessage } from './protocol.js';
import type { Hygiene } from './hygiene.js';

/** Largest message accepted, bytes. The SDK closes its transport above 10 MiB; we count and go on. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Size above which an SDK client would fail (STDIO_DEFAULT_MAX_BUFFER_SIZE, 10 MiB). */
export const SDK_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** U+FFFD as UTF-8: a replacement character the server wrote itself, not an invalid sequence. */
const REPLACEMENT_UTF8 = Buffer.from([0xef, 0xbf, 0xbd]);
/** Lines and bytes of a suspected multi-line message kept before giving up on it. */
const MULTILINE_MAX_LINES = 5000;
const MULTILINE_MAX_BYTES = 4 * 1024 * 1024;

/** Decodes a server's stdout chunks into JSON-RPC messages, counting what breaks the stdio framing. */
export class StdioDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;
  /** Bytes of the message being discarded, so far. */
  private discardedBytes = 0;
  private multiline: string[] | null = null;
  private multilineBytes = 0;

  constructor(
    private readonly hygiene: Hygiene,
    /** Called per message with its JSON text on one line: the line as read, or re-serialised when it came spread over lines or in a batch. */
    private readonly deliver: (message: JsonRpcMessage, raw: string) => void,
    private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {}

  /** Feed one chunk of stdout. */
  push(chunk: Buffer): void {
    this.hygiene.bytesIn += chunk.length;
    let start = 0;
    let nl = chunk.indexOf(10);
    // First line: may complete a partial line from earlier chunks, or end a discarded one.
    if (nl !== -1 && (this.discarding || this.pendingBytes > 0)) {
      if (this.discarding) {
        this.discarding = false;
        this.hygiene.discarded(this.discardedBytes + nl, this.maxMessageBytes, false);
      } else if (this.pendingBytes + nl > this.maxMessageBytes) {
        this.oversized(this.pendingBytes + nl);
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        this.pending.push(chunk.subarray(0, nl));
        const whole = Buffer.concat(this.pending, this.pendingBytes + nl);
        this.pending = [];
        this.pendingBytes = 0;
        this.line(this.decode(whole, 0, whole.length));
      }
      start = nl + 1;
    }
    // Every further complete line, decoded with one toString() call (a 0x0A byte is never inside a
    // multi-byte UTF-8 character, so cutting at the last newline is safe). One decode per chunk
    // instead of one per line is a measurable share of the client's CPU per request.
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      const text = this.decode(chunk, start, last);
      let from = 0;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', from)) {
        this.line(text.slice(from, i));
        from = i + 1;
      }
      this.line(text.slice(from));
      start = last + 1;
    }
    if (start < chunk.length && this.discarding) {
      this.discardedBytes += chunk.length - start;
    } else if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxMessageBytes) {
        this.oversized(this.pendingBytes);
        this.discardedBytes = this.pendingBytes;
        this.pending = [];
        this.pendingBytes = 0;
        this.discarding = true;
      }
    }
  }

  /** End of stream: a final line without a newline is still a line. */
  end(): void {
    if (this.pendingBytes > 0 && !this.discarding) {
      const whole = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.line(this.decode(whole, 0, whole.length));
    }
    this.flushMultiline();
  }

  /**
   * Bytes [start, end) of whole lines as text. Valid UTF-8 (the rule) costs one native check; on
   * invalid bytes, each invalid sequence is counted: U+FFFD characters in the text beyond those
   * the bytes spelled out themselves (EF BF BD).
   */
  private decode(buf: Buffer, start: number, end: number): string {
    const text = buf.toString('utf8', start, end);
    // Usually a chunk of whole lines: check the buffer itself (its final newline is valid too), as
    // a subarray would cost 0.2 µs per chunk, most of the check at one line per chunk.
    if (start === 0 && end >= buf.length - 1 ? isUtf8(buf) : isUtf8(buf.subarray(start, end))) return text;
    let replaced = 0;
    for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) replaced++;
    let literal = 0;
    const bytes = buf.subarray(start, end);
    for (let i = bytes.indexOf(REPLACEMENT_UTF8); i !== -1; i = bytes.indexOf(REPLACEMENT_UTF8, i + 3)) literal++;
    const invalid = Math.max(1, replaced - literal);
    const at = text.indexOf('\uFFFD');
    const from = Math.max(0, text.lastIndexOf('\n', at) + 1, at - 60);
    this.hygiene.violation('invalid-utf8', text.slice(from, at + 60), invalid);
    return text;
  }

  private oversized(bytes: number): void {
    this.hygiene.discarded(bytes, this.maxMessageBytes, true);
  }

  private line(raw: string): void {
    // Characters ≤ bytes ≤ 4 × characters in UTF-8: measure bytes only when it could matter.
    if (raw.length > this.maxMessageBytes / 4 && Buffer.byteLength(raw) > this.maxMessageBytes) {
      this.oversized(Buffer.byteLength(raw));
      return;
    }
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (text.length > SDK_MAX_MESSAGE_BYTES / 4 && Buffer.byteLength(text) > SDK_MAX_MESSAGE_BYTES) {
      this.hygiene.violation('oversized', `a ${Buffer.byteLength(text)}-byte message (SDK clients stop at 10 MiB)`);
    }
    const c = text.charCodeAt(0);
    // '{' or '[': the only starts of a JSON-RPC message; anything else is noise or a continuation.
    if (c === 123 || c === 91) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      if (value !== undefined) {
        this.flushMultiline();
        this.message(value, text);
        return;
      }
    }
    if (text.length === 0 || text.trim().length === 0) {
      if (this.multiline) this.multiline.push(text);
      return;
    }
    this.continueMultiline(text);
  }

  /** Lines that are not JSON alone: maybe a pretty-printed message, maybe noise. */
  private continueMultiline(text: string): void {
    const opens = /^\s*[[{]/.test(text);
    // A '{' or '[' in column 0 starts a new top-level value (inner lines of pretty-printed JSON are
    // indented): whatever was collected before was noise, e.g. a "[info] ready" log line.
    if (this.multiline && (text.charCodeAt(0) === 123 || text.charCodeAt(0) === 91)) this.flushMultiline();
    if (!this.multiline) {
      if (!opens) {
        this.noise(text);
        return;
      }
      this.multiline = [];
      this.multilineBytes = 0;
    }
    const lines = this.multiline;
    lines.push(text);
    this.multilineBytes += text.length;
    // Only a closing line can complete a message; avoid re-parsing on every line.
    if (/^\s*[}\]]/.test(text)) {
      const joined = lines.join('\n');
      try {
        const value = JSON.parse(joined) as unknown;
        this.multiline = null;
        this.hygiene.violation('embedded-newlines', joined.slice(0, 120));
        // Its text spans lines: a proxy forwarding it needs it on one.
        this.message(value, joined, JSON.stringify(value));
        return;
      } catch {
        /* not complete yet */
      }
    }
    if (lines.length > MULTILINE_MAX_LINES || this.multilineBytes > MULTILINE_MAX_BYTES) {
      this.flushMultiline();
    }
  }

  /** Give up on a multi-line candidate: its lines were noise. */
  private flushMultiline(): void {
    if (!this.multiline) return;
    const lines = this.multiline;
    this.multiline = null;
    for (const l of lines) if (l.trim()) this.noise(l);
  }

  private noise(text: string): void {
    this.hygiene.noiseBytes += Buffer.byteLength(text) + 1;
    this.hygiene.violation('non-json-stdout', text);
  }

  private message(value: unknown, text: string, oneLine = text): void {
    if (Array.isArray(value)) {
      this.hygiene.violation('batch', text.slice(0, 120));
      for (const item of value) this.message(item, JSON.stringify(item) ?? '');
      return;
    }
    if (value === null || typeof value !== 'object' || (value as JsonRpcMessage).jsonrpc !== '2.0') {
      this.hygiene.violation('not-jsonrpc', text);
      return;
    }
    this.hygiene.messagesIn++;
    this.deliver(value as JsonRpcMessage, oneLine);
  }
}
