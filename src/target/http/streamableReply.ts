/**
 * Reading a 2xx answer to a Streamable HTTP POST: one JSON body, or an SSE stream carrying any
 * number of messages (the server picks per response; MCP 2025-11-25 basic/transports). Messages
 * go to the exchange as they are read; an answer that ends without the reply ends the request as
 * an error. One reader object per answer, no closures per chunk: this is the engine's hot path.
 */
import type { Hygiene } from '../hygiene.js';
import type { JsonRpcMessage } from '../protocol.js';
import type { ReplyFormats } from '../transport.js';
import { BodyReader, framingOf } from './body.js';
import type { Exchange } from './exchange.js';
import type { BodySink, HttpResponse } from './pool.js';

/** Read `res`, the 2xx answer to `ex`'s POST, counting its bytes and problems in `hygiene` and its framing in `formats`. */
export function readReply(res: HttpResponse, ex: Exchange, hygiene: Hygiene, formats: ReplyFormats): void {
  const reader = new ReplyReader(res.status, res.mediaType, ex, hygiene);
  if (reader.body.framing === 'sse') formats.sse++;
  else if (reader.body.framing === 'json') formats.json++;
  res.read(reader);
}

/** Reads one answer into its exchange. */
class ReplyReader implements BodySink {
  /** When the bytes holding the next message arrived (performance.now()). */
  private at = 0;
  readonly body: BodyReader;

  constructor(
    private readonly status: number,
    private readonly type: string,
    private readonly ex: Exchange,
    private readonly hygiene: Hygiene,
  ) {
    this.body = new BodyReader(framingOf(type), hygiene, (m: JsonRpcMessage) => ex.deliver(m, this.at));
  }

  onData(c: Buffer): void {
    this.hygiene.bytesIn += c.length;
    // A JSON body is decoded at its end, which then stamps it; SSE messages are delivered as they come.
    if (this.body.framing === 'sse') this.at = performance.now();
    this.body.push(c);
  }

  onEnd(complete: boolean): void {
    const { ex, status, hygiene, body } = this;
    const method = ex.info.method;
    if (body.framing === 'sse') {
      if (body.end().cutMidEvent && ex.live) hygiene.violation('http', `${method}: SSE stream ended in the middle of an event`);
      if (body.oversizedEvents > 0) hygiene.violation('oversized', `${body.oversizedEvents} SSE event(s) over the size cap`);
      // 2025-11-25 and 2026-07-28 both lose the request when its stream breaks (2026-07-28 basic/transports: a broken stream loses the request).
      if (ex.awaiting) ex.missing(status, `the SSE stream closed before the reply to ${method} arrived`, true);
      return;
    }
    if (!complete) {
      if (ex.awaiting) ex.missing(status, `the response to ${method} was cut off`);
      return;
    }
    this.at = performance.now();
    const { otherText } = body.end();
    if (otherText.trim().length > 0) hygiene.violation('http', `HTTP ${status} with Content-Type "${this.type}" for ${method}`);
    if (!ex.awaiting) return;
    if (status === 202 || status === 204) ex.missing(status, `HTTP ${status} carried no reply to ${method}`);
    else ex.missing(status, `HTTP ${status} (${this.type || 'no Content-Type'}) carried no reply to ${method}`);
  }
}
