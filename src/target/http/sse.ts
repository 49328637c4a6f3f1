/**
 * Incremental Server-Sent Events parser (WHATWG HTML "Parsing an event stream"), the framing of
 * both Streamable HTTP responses and the legacy HTTP+SSE stream (MCP 2025-11-25
 * basic/transports). It accepts what servers really send:
 * - LF, CRLF and lone CR line endings, including a CRLF split across two chunks;
 * - UTF-8 characters split across chunks (one streaming TextDecoder; a leading BOM is dropped);
 * - multi-line `data:` (joined with "\n"), `:` comments (keep-alives), `id:`/`retry:` lines;
 * - events with empty data (SDK v1 "priming" events for resumability): dispatched with data ''
 *   so callers can skip them; an event with no `data:` line at all is not dispatched (per spec).
 * Chunks may split anywhere; the parser never re-scans a partial line it has already seen.
 */

/** One dispatched event. */
export interface SseEvent {
  /** Event type; 'message' when the event had no `event:` line. */
  event: string;
  /** The `data:` lines joined with "\n" (may be ''). */
  data: string;
  /** Last event id seen on the stream (the spec carries it over between events). */
  id: string | undefined;
}

/** Largest event accepted, characters; beyond it the event is dropped (matches the stdio cap). */
export const SSE_MAX_EVENT_CHARS = 64 * 1024 * 1024;

/** Push-style SSE parser: feed chunks, receive events; one instance per stream. */
export class SseParser {
  /** Events dropped because they exceeded the size cap. */
  oversizedEvents = 0;

  private readonly decoder = new TextDecoder('utf-8');
  /** Text of the current, unterminated line. */
  private partial = '';
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to it. */
  private skipLf = false;
  private data = '';
  private hasData = false;
  private eventType = '';
  private lastId: string | undefined;
  private eventChars = 0;
  private dropping = false;

  constructor(
    /** Receives each complete event. */
    private readonly onEvent: (event: SseEvent) => void,
    private readonly maxEventChars = SSE_MAX_EVENT_CHARS,
  ) {}

  /** Feed bytes (or already decoded text) from the stream. */
  push(chunk: Uint8Array | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (text.length === 0) return;
    let start = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    const len = text.length;
    let i = start;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) {
        i++;
        continue;
      }
      const line = this.partial.length === 0 ? text.slice(start, i) : this.partial + text.slice(start, i);
      this.partial = '';
      if (c === 13) {
        if (i + 1 < len) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLf = true;
        }
      }
      this.line(line);
      start = i + 1;
      i = start;
    }
    if (start < len) {
      this.partial += text.slice(start);
      if (this.partial.length + this.eventChars > this.maxEventChars) this.drop();
    }
  }

  /**
   * End of stream. Per spec an unterminated event is discarded; returns true when there was one
   * (with data), so the caller can count a stream cut mid-event.
   */
  end(): boolean {
    const tail = this.decoder.decode();
    if (tail) this.push(tail);
    if (this.partial.length > 0) {
      this.line(this.partial);
      this.partial = '';
    }
    const cut = this.hasData;
    this.reset();
    return cut;
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    if (this.dropping) return;
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data = this.hasData ? `${this.data}\n${value}` : value;
        this.hasData = true;
        this.eventChars += value.length + 1;
        if (this.eventChars > this.maxEventChars) this.drop();
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      default:
        // 'retry' and unknown fields: mcp-opt never reconnects a stream, so they carry nothing.
        break;
    }
  }

  private dispatch(): void {
    const dropped = this.dropping;
    if (this.hasData && !dropped) {
      this.onEvent({ event: this.eventType || 'message', data: this.data, id: this.lastId });
    }
    this.reset();
  }

  private drop(): void {
    if (!this.dropping) this.oversizedEvents++;
    this.dropping = true;
    this.partial = '';
    this.data = '';
  }

  private reset(): void {
    this.data = '';
    this.hasData = false;
    this.eventType = '';
    this.eventChars = 0;
    this.dropping = false;
  }
}
