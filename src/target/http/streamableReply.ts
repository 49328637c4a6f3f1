/**
 * Reading a 2xx answer to a Streamable HTTP POST: one JSON body, or an SSE stream carrying any
 * number of messages (the server picks per response; MCP 2025-11-25 basic/transports). Messages
 * go to the exchange as they are read; an answer that ends without the reply ends the request as
 * an error.
 */
import type http from 'node:http';
import type { Hygiene } from '../hygiene.js';
import type { ReplyFormats } from '../transport.js';
import { BodyReader, framingOf } from './body.js';
import type { Exchange } from './exchange.js';
import { mediaType } from './wire.js';

/** Read `res`, the 2xx answer to `ex`'s POST, counting its bytes and problems in `hygiene` and its framing in `formats`. */
export function readReply(res: http.IncomingMessage, ex: Exchange, hygiene: Hygiene, formats: ReplyFormats): void {
  const status = res.statusCode ?? 0;
  const type = mediaType(res);
  const method = ex.info.method;
  let at = 0;
  const reader = new BodyReader(framingOf(type), hygiene, (m) => ex.deliver(m, at));
  res.on('data', (c: Buffer) => {
    hygiene.bytesIn += c.length;
    at = performance.now();
    reader.push(c);
  });
  if (reader.framing === 'sse') {
    formats.sse++;
    res.on('close', () => {
      if (reader.end().cutMidEvent && ex.live) hygiene.violation('http', `${method}: SSE stream ended in the middle of an event`);
      if (reader.oversizedEvents > 0) hygiene.violation('oversized', `${reader.oversizedEvents} SSE event(s) over the size cap`);
      // 2025-11-25 and 2026-07-28 both lose the request when its stream breaks (2026-07-28 basic/transports: a broken stream loses the request).
      ex.missing(status, `the SSE stream closed before the reply to ${method} arrived`, true);
    });
    return;
  }
  if (reader.framing === 'json') formats.json++;
  let ended = false;
  res.on('end', () => {
    ended = true;
    at = performance.now();
    const { otherText } = reader.end();
    if (otherText.trim().length > 0) hygiene.violation('http', `HTTP ${status} with Content-Type "${type}" for ${method}`);
  });
  res.on('close', () => {
    if (!ended) ex.missing(status, `the response to ${method} was cut off`);
    else if (status === 202 || status === 204) ex.missing(status, `HTTP ${status} carried no reply to ${method}`);
    else ex.missing(status, `HTTP ${status} (${type || 'no Content-Type'}) carried no reply to ${method}`);
  });
}
