/**
 * Builders of the parts every result kind shares: the header, the target and the server sections.
 */
import { cpus } from 'node:os';
import type { EraProbe, HandshakeInfo } from '../target/handshake.js';
import { describeSpec, specEnvNames, type LaunchSpec } from '../target/launchSpec.js';
import type { TransportUsed } from '../target/transport.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { SCHEMA_VERSION, type ResultHeader, type ServerSection, type TargetSection } from './header.js';

/** A header for a run that has just started (marked incomplete until it finishes). */
export function newHeader<K extends string>(kind: K, createdAt: Date): ResultHeader<K> {
  const cpu = cpus();
  return {
    schemaVersion: SCHEMA_VERSION,
    kind,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    createdAt: createdAt.toISOString(),
    durationMs: 0,
    phaseDurationsMs: {},
    host: { platform: process.platform, arch: process.arch, node: process.version, cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown' },
    incomplete: true,
    incompleteReason: 'the run has not finished',
    warnings: [],
  };
}

/** The target as resolved (no environment values, URL credentials removed). */
export function targetSection(spec: LaunchSpec): TargetSection {
  return {
    kind: spec.kind,
    display: describeSpec(spec),
    origin: spec.origin,
    runner: spec.kind === 'stdio' ? spec.runner ?? null : null,
    envNames: spec.kind === 'stdio' ? specEnvNames(spec) : [],
    headerNames: spec.kind === 'http' ? Object.keys(spec.headers) : [],
  };
}

/** Server identity from a handshake (and the era probe, when one ran; the transport, when the connection is at hand). */
export function serverSection(info: HandshakeInfo, probe: EraProbe | null, transport?: TransportUsed): ServerSection {
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    era: info.era,
    protocolVersion: info.protocolVersion,
    name: str(info.serverInfo?.name),
    version: str(info.serverInfo?.version),
    title: str((info.serverInfo as { title?: unknown } | null)?.title),
    capabilities: info.capabilities ? Object.keys(info.capabilities) : [],
    instructionsChars: info.instructionsChars,
    eraProbe: probe ? { evidence: probe.evidence, durationMs: Math.round(probe.durationMs * 1000) / 1000 } : null,
    ...(transport ? { transport } : {}),
  };
}
