/**
 * An incremental HTTP/1.1 response parser (RFC 9112) for the HTTP engine (connection.ts): bytes
 * in, in whatever pieces the socket gives them; a head, de-chunked body pieces and an end out, for
 * one response after another on a keep-alive connection (pipelined bytes included).
 *
 * Only what a client of MCP servers meets, and nothing it does not: status line and header
 * fields, bodies framed by Content-Length, by chunked transfer-coding (SSE streams; trailers read
 * and dropped) or by the end of the connection; 1xx interim responses skipped; no body for 204,
 * 304 or a HEAD request. Header values are kept as one latin1 string per head and looked up on
 * demand, so a response costs no header object: the engine reads at most four fields of it.
 * A head over MAX_HEAD_BYTES, an unparsable status line, a bad Content-Length or chunk size ends
 * the parser with an error; the connection is then closed (no byte after it can be trusted).
 */

/** Largest response head accepted, bytes (Node's default --max-http-header-size is 16 KiB; servers behind proxies send more). */
export const MAX_HEAD_BYTES = 64 * 1024;

/** The head of one response. */
export class ResponseHead {
  constructor(
    /** HTTP status code. */
    readonly status: number,
    /** The head as received (latin1): status line, then header lines ending in CRLF or LF. */
    private readonly text: string,
    /** Where the header lines start in `text`. */
    private readonly fieldsFrom: number,
    /** The connection stays open after this response (HTTP/1.1 without `Connection: close`, or HTTP/1.0 with keep-alive). */
    readonly keepAlive: boolean,
    /** Body framing: a length, 'chunked', 'close' (read to the end of the connection) or 0 for none. */
    readonly framing: number | 'chunked' | 'close',
    /** Media type of Content-Type, lower-cased, without parameters ('' when absent). */
    readonly mediaType: string,
  ) {}

  /** The first value of header `name` (lower case), trimmed; undefined when absent. */
  header(name: string): string | undefined {
    return fieldValue(this.text, name, this.fieldsFrom);
  }
}

/** What the parser reports, in order: head, body pieces, end; then the next response. */
export interface ResponseEvents {
  /** A final (non-1xx) response head. */
  onHead(head: ResponseHead): void;
  /** A piece of its body (de-chunked): a view into the bytes given to execute(). */
  onBody(chunk: Buffer): void;
  /** Its body ended as framed (a length, the last chunk, or the connection's end for 'close'). */
  onEnd(): void;
}

const enum State { Head, Fixed, ChunkSize, ChunkData, ChunkDataEnd, Trailer, UntilClose, Dead }

/** Parses a stream of responses (see the module comment). */
export class ResponseParser {
  /** Why parsing stopped on bad bytes; null while healthy. */
  error: string | null = null;
  /** The next response answers a HEAD request: it has no body whatever its headers say. */
  bodyless = false;

  private state = State.Head;
  /** Bytes of an unfinished head, or of an unfinished chunk-size/trailer line. */
  private pending: Buffer | null = null;
  /** Bytes left of a fixed body or of the current chunk. */
  private left = 0;

  constructor(private readonly events: ResponseEvents) {}

  /** True between responses with no byte of the next one seen. */
  get idle(): boolean {
    return this.state === State.Head && this.pending === null;
  }

  /** True while a response's body is being read (its head was reported, its end not yet). */
  get inBody(): boolean {
    return this.state !== State.Head && this.state !== State.Dead;
  }

  /** Stop for good: later bytes are ignored (the connection is closing). */
  stop(): void {
    this.state = State.Dead;
    this.pending = null;
  }

  /** Feed bytes from the connection. Returns false once parsing stopped (error set, or stop() called). */
  execute(chunk: Buffer): boolean {
    let at = 0;
    const len = chunk.length;
    while (at < len) {
      switch (this.state) {
        case State.Head: at = this.head(chunk, at); break;
        case State.Fixed:
          at = this.bodyPiece(chunk, at, State.Head);
          // The body is complete, unless onBody stopped the parser (bodyPiece changed the state:
          // the cast undoes the case's narrowing).
          if (this.left === 0 && (this.state as State) === State.Head) this.events.onEnd();
          break;
        case State.ChunkSize: at = this.chunkSize(chunk, at); break;
        case State.ChunkData: at = this.bodyPiece(chunk, at, State.ChunkDataEnd); break;
        case State.ChunkDataEnd: at = this.chunkDataEnd(chunk, at); break;
        case State.Trailer: at = this.trailer(chunk, at); break;
        case State.UntilClose:
          this.events.onBody(at === 0 ? chunk : chunk.subarray(at));
          at = len;
          break;
        case State.Dead:
          return false;
      }
    }
    return this.state !== State.Dead;
  }

  /**
   * Hand on the body bytes from `at` up to `left` (a fixed body or the current chunk); once none
   * is left the parser goes to `then`. Returns the offset after them.
   */
  private bodyPiece(chunk: Buffer, at: number, then: State): number {
    const n = Math.min(this.left, chunk.length - at);
    this.left -= n;
    if (this.left === 0) this.state = then;
    this.events.onBody(chunk.subarray(at, at + n));
    return at + n;
  }

  /**
   * The connection ended. Returns 'complete' when it ended a body read to the end of the
   * connection (the end was reported) or came between responses, 'cut' when a response was
   * unfinished.
   */
  finish(): 'complete' | 'cut' {
    const s = this.state;
    this.state = State.Dead;
    if (s === State.UntilClose) {
      this.events.onEnd();
      return 'complete';
    }
    return s === State.Head && this.pending === null ? 'complete' : 'cut';
  }

  private fail(why: string): number {
    this.error = why;
    this.stop();
    return Number.MAX_SAFE_INTEGER;
  }

  /** Bytes at `at` up to a line end, joined with what a previous chunk left; null (kept) when no line end yet. */
  private line(chunk: Buffer, at: number, max: number): { text: string; next: number } | null {
    const lf = chunk.indexOf(10, at);
    if (lf === -1) {
      const rest = chunk.subarray(at);
      this.pending = this.pending === null ? Buffer.from(rest) : Buffer.concat([this.pending, rest]);
      if (this.pending.length > max) this.fail('a chunk-size or trailer line too long');
      return null;
    }
    const piece = chunk.toString('latin1', at, lf);
    const text = this.pending === null ? piece : this.pending.toString('latin1', 0, this.pending.length) + piece;
    this.pending = null;
    return { text: text.endsWith('\r') ? text.slice(0, -1) : text, next: lf + 1 };
  }

  private head(chunk: Buffer, at: number): number {
    if (this.pending === null) {
      // RFC 9112 §2.2: empty lines before a status line are ignored (some servers end bodies with an extra CRLF).
      while (at < chunk.length && (chunk[at] === 13 || chunk[at] === 10)) at++;
      if (at === chunk.length) return at;
    }
    let buf = chunk;
    let from = at;
    if (this.pending !== null) {
      buf = Buffer.concat([this.pending, chunk.subarray(at)]);
      from = 0;
    }
    const end = headEnd(buf, from);
    if (end === -1) {
      if (buf.length - from > MAX_HEAD_BYTES) return this.fail(`a response head over ${MAX_HEAD_BYTES} bytes`);
      this.pending = buf === chunk ? Buffer.from(chunk.subarray(at)) : buf;
      return chunk.length;
    }
    const consumed = this.pending === null ? end.next : end.next - this.pending.length + at;
    this.pending = null;
    if (end.next - from > MAX_HEAD_BYTES) return this.fail(`a response head over ${MAX_HEAD_BYTES} bytes`);
    const text = buf.toString('latin1', from, end.at);
    this.parseHead(text);
    return consumed;
  }

  private parseHead(text: string): void {
    // HTTP/1.x SP 3DIGIT [SP reason] (RFC 9112 §4)
    const d0 = text.charCodeAt(9) - 48;
    const d1 = text.charCodeAt(10) - 48;
    const d2 = text.charCodeAt(11) - 48;
    const after = text.charCodeAt(12);
    if (!text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 32 || !(d0 >= 1 && d0 <= 9) || !(d1 >= 0 && d1 <= 9) || !(d2 >= 0 && d2 <= 9) ||
      !(after === 32 || after === 13 || after === 10 || Number.isNaN(after))) {
      return void this.fail('an unparsable status line');
    }
    const status = d0 * 100 + d1 * 10 + d2;
    if (status < 200) {
      // 1xx interim responses (100 Continue, 103 Early Hints) carry no body: the final one follows. 101 is not asked for.
      if (status === 101) this.fail('an unexpected 101 Switching Protocols');
      return;
    }
    // One pass over the header lines for the four fields the engine reads; the rest stay in the text.
    const len = text.length;
    const eol = text.indexOf('\n');
    const fieldsFrom = eol === -1 ? len : eol + 1;
    let length = -1;
    let te: string | undefined;
    let connection: string | undefined;
    let type: string | undefined;
    for (let at = fieldsFrom; at < len;) {
      let end = text.indexOf('\n', at);
      if (end === -1) end = len;
      const colon = text.indexOf(':', at);
      const n = colon - at;
      if (colon !== -1 && colon < end) {
        // Names compared in place (no lower-cased copy): only these four are read here.
        if (n === 14 && length === -1 && sameName(text, at, 'content-length')) {
          length = digitsAt(text, colon + 1, end);
          if (length < 0) return void this.fail(`a bad Content-Length "${fieldText(text, colon, end).slice(0, 40)}"`);
        } else if (n === 12 && type === undefined && sameName(text, at, 'content-type')) type = mediaTypeAt(text, colon + 1, end);
        else if (n === 17 && te === undefined && sameName(text, at, 'transfer-encoding')) te = fieldText(text, colon, end);
        else if (n === 10 && connection === undefined && sameName(text, at, 'connection')) connection = fieldText(text, colon, end).toLowerCase();
      }
      at = end + 1;
    }
    const http10 = text.charCodeAt(7) === 48;
    const keepAlive = http10 ? connection === 'keep-alive' : connection === undefined || !/(^|[\s,])close($|[\s,])/.test(connection);
    const bodyless = this.bodyless;
    this.bodyless = false;
    let framing: number | 'chunked' | 'close';
    if (bodyless || status === 204 || status === 304) framing = 0;
    else if (te !== undefined) framing = /(^|,)\s*chunked\s*$/i.test(te) ? 'chunked' : 'close';
    else if (length >= 0) framing = length;
    else framing = 'close';
    const head = new ResponseHead(status, text, fieldsFrom, keepAlive && framing !== 'close', framing, type ?? '');
    this.state = framing === 'chunked' ? State.ChunkSize : framing === 'close' ? State.UntilClose : framing > 0 ? State.Fixed : State.Head;
    this.left = typeof framing === 'number' ? framing : 0;
    this.events.onHead(head);
    if (framing === 0 && this.state === State.Head) this.events.onEnd();
  }

  private chunkSize(chunk: Buffer, at: number): number {
    const l = this.line(chunk, at, 1024);
    if (l === null) return chunk.length;
    const semi = l.text.indexOf(';');
    const hex = (semi === -1 ? l.text : l.text.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) return this.fail(`a bad chunk size "${hex.slice(0, 40)}"`);
    const size = parseInt(hex, 16);
    if (size === 0) {
      this.state = State.Trailer;
    } else {
      this.left = size;
      this.state = State.ChunkData;
    }
    return l.next;
  }

  private chunkDataEnd(chunk: Buffer, at: number): number {
    const l = this.line(chunk, at, 2);
    if (l === null) return chunk.length;
    if (l.text.length !== 0) return this.fail('chunk data longer than its size');
    this.state = State.ChunkSize;
    return l.next;
  }

  private trailer(chunk: Buffer, at: number): number {
    const l = this.line(chunk, at, MAX_HEAD_BYTES);
    if (l === null) return chunk.length;
    if (l.text.length === 0) {
      this.state = State.Head;
      this.events.onEnd();
    }
    return l.next;
  }
}

/** Where the head in `buf` from `from` ends: `at` the blank line, `next` the first body byte; -1 when not yet. */
function headEnd(buf: Buffer, from: number): { at: number; next: number } | -1 {
  let i = from;
  for (;;) {
    const lf = buf.indexOf(10, i);
    if (lf === -1) return -1;
    // LF LF or LF CR LF ends the head (RFC 9112 §2.2: a lone LF may end a line).
    const n1 = buf[lf + 1];
    if (n1 === 10) return { at: lf + 1, next: lf + 2 };
    if (n1 === 13 && buf[lf + 2] === 10) return { at: lf + 1, next: lf + 3 };
    if (n1 === undefined || (n1 === 13 && lf + 2 >= buf.length)) return -1;
    i = lf + 1;
  }
}

/** The value of the header line whose colon is at `colon` and which ends (LF or CRLF) at `end`, trimmed. */
function fieldText(text: string, colon: number, end: number): string {
  return text.slice(colon + 1, text.charCodeAt(end - 1) === 13 ? end - 1 : end).trim();
}

/**
 * The media type of the Content-Type value in `text` from `from` to the line end `end`: lower-cased,
 * without parameters. The two an MCP server sends are matched in place, without a copy.
 */
function mediaTypeAt(text: string, from: number, end: number): string {
  while (from < end && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  for (const known of KNOWN_TYPES) {
    const after = from + known.length;
    if (text.startsWith(known, from)) {
      const c = after < end ? text.charCodeAt(after) : 13;
      if (c === 59 /* ; */ || c === 32 || c === 9 || c === 13) return known;
    }
  }
  const value = fieldText(text, from - 1, end);
  const semi = value.indexOf(';');
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/** Media types matched without a copy. */
const KNOWN_TYPES = ['application/json', 'text/event-stream'] as const;

/** The decimal number in `text` from `from` to the line end `end` (spaces around it allowed); -1 when it is not one (RFC 9110 §8.6). */
function digitsAt(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let n = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
    if (++digits > 15) return -1;
  }
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++;
  return digits > 0 && i === end ? n : -1;
}

/** The first value of field `name` (lower case) in the header lines of `text` from `from` (lines end in LF or CRLF). */
export function fieldValue(text: string, name: string, from = 0): string | undefined {
  const n = name.length;
  const len = text.length;
  for (let at = from; at < len;) {
    const eol = text.indexOf('\n', at);
    const end = eol === -1 ? len : eol;
    if (end - at > n && text.charCodeAt(at + n) === 58 /* : */ && sameName(text, at, name)) {
      const stop = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      return text.slice(at + n + 1, stop).trim();
    }
    at = end + 1;
  }
  return undefined;
}

/** ASCII case-insensitive comparison of `name` (lower case) with the text at `at`. */
function sameName(s: string, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    let c = s.charCodeAt(at + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}
