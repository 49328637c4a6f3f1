/**
 * The two ways a session begins.
 * - Legacy era (2024-11-05 … 2025-11-25): `initialize`, then `notifications/initialized`.
 * - Modern era (2026-07-28): no handshake state; `server/discover` tells versions and capabilities,
 *   and every request carries the version in `_meta` (basic/versioning).
 * And the probe that tells which one a server speaks (2026-07-28 transports/stdio: send
 * `server/discover` first; an error or silence means legacy; never rely on one error code).
 */
import { TargetError, UsageError } from '../errors.js';
import {
  LEGACY_LATEST_VERSION, LEGACY_VERSIONS, META_KEYS, METHODS, MODERN_VERSION, MODERN_VERSIONS,
  type Era, type Implementation, type ServerCapabilities,
} from './protocol.js';
import type { Hygiene } from './hygiene.js';
import type { Reply, Session } from './session.js';

/** Who mcp-opt says it is. */
export interface ClientIdentity {
  /** clientInfo.name sent to servers ('mcp-opt'). */
  name: string;
  /** clientInfo.version sent to servers (mcp-opt's version). */
  version: string;
}

/** What the handshake established. */
export interface HandshakeInfo {
  /** Era the session speaks. */
  era: Era;
  /** Negotiated protocol version. */
  protocolVersion: string;
  /** serverInfo (legacy initialize result, or modern discover `_meta`). */
  serverInfo: Implementation | null;
  /** Capabilities the server advertised. */
  capabilities: ServerCapabilities | null;
  /** Length of the `instructions` string, characters (0 when none): it is sent to the model. */
  instructionsChars: number;
  /** The handshake reply (its latency is the handshake's round trip). */
  reply: Reply;
}

/** Outcome of the era probe. */
export interface EraProbe {
  /** Era found. */
  era: Era;
  /** Why we concluded so, for the report ("server/discover answered", "-32601 on discover"…). */
  evidence: string;
  /** Wall time the probe took, ms (reported separately, never part of cold start). */
  durationMs: number;
}

/** The modern `_meta` envelope sent with every request. */
export function modernEnvelope(client: ClientIdentity): Record<string, unknown> {
  return {
    [META_KEYS.protocolVersion]: MODERN_VERSION,
    [META_KEYS.clientInfo]: client,
    [META_KEYS.clientCapabilities]: {},
  };
}

/** The legacy initialize params. */
export function initializeParams(client: ClientIdentity): object {
  return { protocolVersion: LEGACY_LATEST_VERSION, capabilities: {}, clientInfo: client };
}

/**
 * Legacy handshake: initialize, check the version, send notifications/initialized.
 * Throws TargetError when the server fails, goes silent, or picks a version we do not speak.
 */
export async function handshakeLegacy(session: Session, client: ClientIdentity, timeoutMs: number): Promise<HandshakeInfo> {
  session.setEnvelope(undefined);
  const reply = await session.request(METHODS.initialize, initializeParams(client), timeoutMs);
  const result = expectResult(reply, 'initialize', timeoutMs, session.hygiene) as {
    protocolVersion?: unknown; serverInfo?: Implementation; capabilities?: ServerCapabilities; instructions?: unknown;
  };
  const version = String(result.protocolVersion);
  if (!LEGACY_VERSIONS.includes(version)) {
    throw new TargetError(
      `The server answered initialize with protocol version "${version.slice(0, 40)}", which mcp-opt does not speak ` +
        `(it speaks ${[...MODERN_VERSIONS, ...LEGACY_VERSIONS].join(', ')}). Upgrade the server's MCP SDK or mcp-opt.`,
    );
  }
  session.notify(METHODS.initialized);
  return {
    era: 'legacy',
    protocolVersion: version,
    serverInfo: result.serverInfo ?? null,
    capabilities: result.capabilities ?? null,
    instructionsChars: typeof result.instructions === 'string' ? result.instructions.length : 0,
    reply,
  };
}

/** Modern handshake: set the envelope and call server/discover. */
export async function handshakeModern(session: Session, client: ClientIdentity, timeoutMs: number): Promise<HandshakeInfo> {
  session.setEnvelope(modernEnvelope(client));
  const reply = await session.request(METHODS.discover, {}, timeoutMs);
  const result = expectResult(reply, 'server/discover', timeoutMs, session.hygiene) as {
    supportedVersions?: unknown; capabilities?: ServerCapabilities; instructions?: unknown; _meta?: Record<string, unknown>;
  };
  const supported = Array.isArray(result.supportedVersions) ? result.supportedVersions.map(String) : [];
  if (!supported.includes(MODERN_VERSION)) {
    throw new TargetError(
      `The server's server/discover lists versions [${supported.join(', ').slice(0, 200)}], not ${MODERN_VERSION}, ` +
        `which is the modern version mcp-opt speaks. Upgrade the server's MCP SDK or mcp-opt.`,
    );
  }
  const serverInfo = (result._meta?.[META_KEYS.serverInfo] as Implementation | undefined) ?? null;
  return {
    era: 'modern',
    protocolVersion: MODERN_VERSION,
    serverInfo,
    capabilities: result.capabilities ?? null,
    instructionsChars: typeof result.instructions === 'string' ? result.instructions.length : 0,
    reply,
  };
}

/** Run the handshake of a known era. */
export function handshake(session: Session, era: Era, client: ClientIdentity, timeoutMs: number): Promise<HandshakeInfo> {
  return era === 'modern' ? handshakeModern(session, client, timeoutMs) : handshakeLegacy(session, client, timeoutMs);
}

/**
 * Tell the era on a disposable session (its process is thrown away, so the probe never touches a
 * measured start). Sends server/discover; on stdio also initialize right behind it, so a legacy
 * server that ignores unknown methods is recognised as soon as it answers initialize rather than
 * after a timeout. A successful discover naming 2026-07-28 is the only modern evidence.
 */
export async function probeEra(session: Session, client: ClientIdentity, timeoutMs: number, sendInitializeToo: boolean): Promise<EraProbe> {
  const started = performance.now();
  const done = (era: Era, evidence: string): EraProbe => ({ era, evidence, durationMs: performance.now() - started });
  session.setEnvelope(modernEnvelope(client));
  const discover = session.request(METHODS.discover, {}, timeoutMs);
  let initialize: Promise<Reply> | null = null;
  if (sendInitializeToo) {
    session.setEnvelope(undefined);
    initialize = session.request(METHODS.initialize, initializeParams(client), timeoutMs);
  }
  const first = await Promise.race(initialize ? [discover, initialize] : [discover]);
  if (first.method === METHODS.initialize && first.outcome === 'result') {
    // Legacy evidence, unless discover succeeds right behind it (a dual-era server).
    const grace = await Promise.race([discover, delay(250)]);
    if (grace && grace.outcome === 'result' && offersModern(grace.result)) return done('modern', 'server/discover answered');
    return done('legacy', 'initialize answered while server/discover was not');
  }
  const d = first.method === METHODS.discover ? first : await discover;
  if (d.outcome === 'result' && offersModern(d.result)) return done('modern', 'server/discover answered');
  if (d.outcome === 'result') return done('legacy', 'server/discover answered without 2026-07-28');
  if (d.outcome === 'error') return done('legacy', `server/discover returned error ${d.error?.code}`);
  if (d.outcome === 'timeout') {
    if (initialize) {
      const i = await initialize;
      if (i.outcome === 'result') return done('legacy', 'server/discover got no answer; initialize did');
    }
    return done('legacy', `server/discover got no answer in ${timeoutMs} ms`);
  }
  throw new TargetError(`The server closed the connection while mcp-opt was probing its protocol era (${session.closeInfo?.reason ?? d.outcome}).`);
}

function offersModern(result: unknown): boolean {
  const v = (result as { supportedVersions?: unknown } | null)?.supportedVersions;
  return Array.isArray(v) && v.includes(MODERN_VERSION);
}

function delay(ms: number): Promise<null> {
  return new Promise((r) => setTimeout(() => r(null), ms).unref());
}

/** The result of a reply, or a TargetError that says what happened. */
export function expectResult(reply: Reply, what: string, timeoutMs: number, hygiene?: Hygiene): Record<string, unknown> {
  if (reply.outcome === 'result' && reply.result && typeof reply.result === 'object') return reply.result as Record<string, unknown>;
  if (reply.outcome === 'result') throw new TargetError(`The server answered ${what} with a result that is not an object.`);
  if (reply.outcome === 'error') {
    // HTTP transports report wire failures as synthetic errors marked transportError.
    const data = reply.error?.data as { transportError?: unknown; noEndpoint?: unknown } | undefined;
    if (data?.transportError === true && data.noEndpoint === true) throw new TargetError(`${String(reply.error?.message).slice(0, 400)}.`);
    if (data?.transportError === true) {
      throw new TargetError(`${what} failed: ${String(reply.error?.message).slice(0, 300)}`);
    }
    throw new TargetError(`The server answered ${what} with JSON-RPC error ${reply.error?.code}: ${String(reply.error?.message).slice(0, 300)}`);
  }
  // A reply over the size limit was dropped by the decoder: that, not slowness, is why none came.
  const discarded = hygiene?.discardNote() ?? '';
  if (reply.outcome === 'timeout' && discarded) throw new TargetError(`The server did not answer ${what} within ${timeoutMs} ms.${discarded}`);
  if (reply.outcome === 'timeout') {
    throw new TargetError(
      `The server did not answer ${what} within ${timeoutMs} ms. If it is just slow to start, raise --timeout; ` +
        `if it waits for something (a network service, a prompt), fix that first.`,
    );
  }
  throw new TargetError(`The connection closed before the server answered ${what}.${discarded}`);
}

/** Guard for options that must be one of the two eras. */
export function parseEra(value: string, flag: string): Era | 'auto' {
  if (value === 'auto' || value === 'legacy' || value === 'modern') return value;
  throw new UsageError(`${flag} must be auto, legacy or modern, not "${value}".`);
}
