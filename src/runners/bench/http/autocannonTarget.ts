/**
 * The autocannon path on an open HTTP target: autocannon's connections join the MCP session the
 * target initialized (its Mcp-Session-Id and MCP-Protocol-Version, or the 2026-07-28 headers and
 * `_meta` envelope), so the server sees one client. The target stays idle meanwhile; closing it
 * afterwards DELETEs the session (2025-11-25 basic/transports: SHOULD).
 */
import { UsageError } from '../../../errors.js';
import { modernEnvelope, type ClientIdentity } from '../../../target/handshake.js';
import { METHODS } from '../../../target/protocol.js';
import type { Target } from '../../../target/target.js';
import type { Operation } from '../../../workload/operations.js';
import { runAutocannonClosedLoop, type AutocannonLoadOptions } from './autocannonLoad.js';
import type { AutocannonOutcome } from './autocannonOutcome.js';

/** The load options the target decides: where to send, with which headers and envelope. */
export type TargetWire = Pick<AutocannonLoadOptions, 'url' | 'headersFor' | 'envelope'>;

/**
 * URL, per-operation headers and envelope for autocannon from an open target. Throws UsageError
 * for a target autocannon cannot load: stdio, or legacy HTTP+SSE (replies come on the GET stream,
 * not in the POST's answer).
 */
export function autocannonWire(target: Target, client: ClientIdentity): TargetWire {
  const template = target.session.transport.httpRequestTemplate?.();
  if (template === undefined) {
    throw new UsageError('autocannon loads Streamable HTTP servers only; this target is not one. Use mcp-opt\'s own engine for it.');
  }
  if (template === null) {
    throw new UsageError('autocannon cannot load a legacy HTTP+SSE (2024-11-05) server: its replies arrive on the GET stream. Use mcp-opt\'s own engine for it.');
  }
  return {
    url: template.url,
    headersFor: (op: Operation) => template.headers(op.name === undefined ? { method: op.method } : { method: op.method, name: op.name }),
    envelope: target.info.era === 'modern' ? modernEnvelope(client) : undefined,
  };
}

/** Run the autocannon closed loop on the session of `target` (which the caller opened and closes). */
export function runAutocannonOnTarget(
  target: Target, client: ClientIdentity, o: Omit<AutocannonLoadOptions, keyof TargetWire>,
): Promise<AutocannonOutcome> {
  return runAutocannonClosedLoop({ ...o, ...autocannonWire(target, client), reinitialize: () => reinitialize(target) });
}

/**
 * Re-initialize the target's session after autocannon met a 404 for it: a ping on the target's own
 * transport meets the 404 too, which makes the transport replay its initialize (once per run, as the
 * own engine does; a second expiry ends it); a second ping waits at its gate until the new session
 * is ready. Null when it is, else why not.
 */
async function reinitialize(target: Target): Promise<string | null> {
  const s = target.session;
  await s.request(METHODS.ping);
  const after = await s.request(METHODS.ping);
  if (after.outcome === 'result') return null;
  return `The server expired the MCP session (HTTP 404 for its Mcp-Session-Id) during the autocannon run and it could not be re-initialized: ${
    s.closeInfo?.reason ?? after.error?.message ?? after.outcome}.`;
}
