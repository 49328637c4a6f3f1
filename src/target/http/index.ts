/**
 * HTTP targets: the entry point target.ts loads (only for URL targets, so stdio runs never load
 * node:net and node:tls). It picks the transport from the spec:
 * - 'streamable-http': Streamable HTTP (streamable.ts), both eras;
 * - 'sse': the 2024-11-05 HTTP+SSE transport (legacySse.ts), connected before returning;
 * - 'auto': Streamable HTTP with the spec's fallback to HTTP+SSE on a refused first POST (auto.ts).
 * Era detection for HTTP is eraProbe.ts.
 */
import { TargetError } from '../../errors.js';
import { redactUrl, type HttpSpec } from '../launchSpec.js';
import type { OpenOptions } from '../openOptions.js';
import type { Transport } from '../transport.js';
import { AutoHttpTransport } from './auto.js';
import { LegacySseTransport, NotLegacySseError } from './legacySse.js';
import { StreamableHttpTransport } from './streamable.js';
import { parseTargetUrl, unreachable } from './wire.js';

export { probeHttpEra } from './eraProbe.js';
export { AutoHttpTransport } from './auto.js';

/**
 * Open the transport for an HTTP target. Streamable HTTP opens no connection here (the first
 * request does, so connect time stays inside the measured handshake); legacy SSE must, to learn
 * its POST endpoint. Throws UsageError for a bad URL, TargetError when an SSE server cannot be
 * reached or is not one.
 */
export async function openHttpTransport(spec: HttpSpec, options: OpenOptions): Promise<Transport> {
  const url = parseTargetUrl(spec.url);
  switch (spec.transport) {
    case 'streamable-http':
      return new StreamableHttpTransport(url, spec.headers, options.era, undefined, options.startTimeoutMs);
    case 'sse':
      try {
        return await LegacySseTransport.connect(url, spec.headers, options.startTimeoutMs);
      } catch (err) {
        if (err instanceof TargetError) throw err;
        if (err instanceof NotLegacySseError) {
          throw new TargetError(
            `${redactUrl(url.href)} is not an HTTP+SSE (2024-11-05) endpoint: ${err.message}. ` +
              'If the server speaks Streamable HTTP, set its transport to "streamable-http" or "auto".',
          );
        }
        throw unreachable(url, err);
      }
    default:
      return new AutoHttpTransport(url, spec.headers, options.era, options.startTimeoutMs);
  }
}
