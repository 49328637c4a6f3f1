/**
 * The one reader of HTTP response bodies into JSON-RPC messages, for both HTTP transports, the
 * era probe and load generators that own their sockets (autocannon). A body is application/json
 * (one message, or a batch) or text/event-stream (any number of `message` events); MCP 2025-11-25
 * basic/transports: the client MUST handle both. Chunks are pushed as they arrive, so an SSE
 * stream delivers each message when its event is complete.
 */
import type { Hygiene } from '../hygiene.js';
import type { JsonRpcMessage } from '../protocol.js';
import { SseParser, type SseEvent } from './sse.js';
import { decodeJson } from './wire.js';

/** How a body is framed: by its media type ('other': neither JSON nor an event stream). */
export type BodyFraming = 'json' | 'sse' | 'other';

/** What the end of a body showed. */
export interface BodyEnd {
  /** An SSE stream ended in the middle of an event (the event is discarded, per the SSE spec). */
  cutMidEvent: boolean;
  /** The text of an 'other' body ('' for JSON and SSE), for the caller to judge. */
  otherText: string;
}

/** The end of a body that was read whole and cleanly. */
const NOTHING_LEFT: BodyEnd = Object.freeze({ cutMidEvent: false, otherText: '' });

/** The framing of a media type (lower-cased, without parameters). */
export function framingOf(mediaType: string): BodyFraming {
  return mediaType === 'text/event-stream' ? 'sse' : mediaType === 'application/json' ? 'json' : 'other';
}

/** Decode one SSE event: only `message` events with data carry JSON-RPC. */
export function decodeSseMessage(ev: SseEvent, hygiene: Hygiene, deliver: (m: JsonRpcMessage) => void): void {
  // Priming events (empty data, for resumability) and non-message events carry no JSON-RPC.
  if (ev.event === 'message' && ev.data.trim().length > 0) decodeJson(ev.data, hygiene, deliver);
}

/**
 * Reads one body: push its chunks (all Buffers, or one whole string), then end() it. SSE messages
 * are delivered as their events complete; a JSON body is decoded at end(). Decoding problems are
 * counted in `hygiene` (wire.ts decodeJson). A JSON or 'other' body keeps at most `maxBytes`.
 */
export class BodyReader {
  private readonly sse: SseParser | null;
  /** The body's first piece, and the others (an array only for a body in several pieces: most answers come whole). */
  private first: Buffer | string | null = null;
  private rest: Array<Buffer | string> | null = null;
  private bytes = 0;

  constructor(
    /** How the body is framed. */
    readonly framing: BodyFraming,
    private readonly hygiene: Hygiene,
    /** Receives every well-formed JSON-RPC message of the body, in order. */
    private readonly deliver: (m: JsonRpcMessage) => void,
    private readonly maxBytes = Infinity,
  ) {
    this.sse = framing === 'sse' ? new SseParser((ev) => decodeSseMessage(ev, hygiene, deliver)) : null;
  }

  /** SSE events dropped for exceeding the size cap (sse.ts SSE_MAX_EVENT_CHARS). */
  get oversizedEvents(): number {
    return this.sse?.oversizedEvents ?? 0;
  }

  /** Feed the next chunk. */
  push(chunk: Buffer | string): void {
    if (this.sse !== null) return this.sse.push(chunk);
    if (this.bytes < this.maxBytes) {
      if (this.first === null) this.first = chunk;
      else (this.rest ??= []).push(chunk);
    }
    this.bytes += chunk.length;
  }

  /** End of the body: decode a JSON body, flush an SSE stream; call once. */
  end(): BodyEnd {
    if (this.sse !== null) return { cutMidEvent: this.sse.end(), otherText: '' };
    const { first, rest } = this;
    // One piece (the usual JSON answer): decoded where it lies, without a copy.
    if (rest === null) return this.whole(first === null ? '' : first.toString('utf8'));
    return this.whole(Buffer.concat([first as Buffer, ...(rest as Buffer[])]).toString('utf8'));
  }

  /** Read a complete body at once, as push(text) then end() would (a load generator hands bodies over whole). */
  readAll(text: string): BodyEnd {
    if (this.sse === null) return this.whole(text);
    this.sse.push(text);
    return { cutMidEvent: this.sse.end(), otherText: '' };
  }

  private whole(text: string): BodyEnd {
    if (this.framing === 'json') {
      decodeJson(text, this.hygiene, this.deliver);
      return NOTHING_LEFT;
    }
    return { cutMidEvent: false, otherText: text };
  }
}
