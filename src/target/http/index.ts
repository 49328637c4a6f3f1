/**
 * HTTP transports (Streamable HTTP, legacy HTTP+SSE). Loaded only for URL targets.
 * PLACEHOLDER during development: replaced by the real implementation before this lands.
 */
import type { EraProbe } from '../handshake.js';
import type { HttpSpec } from '../launchSpec.js';
import type { OpenOptions } from '../target.js';
import type { Transport } from '../transport.js';

export async function openHttpTransport(_spec: HttpSpec, _options: OpenOptions): Promise<Transport> {
  throw new Error('HTTP transport not implemented yet');
}

export async function probeHttpEra(_spec: HttpSpec, _options: Omit<OpenOptions, 'era'>): Promise<EraProbe> {
  throw new Error('HTTP transport not implemented yet');
}
