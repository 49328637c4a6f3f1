/**
 * Fields every result kind shares (analyze, bench, …), and the sections that describe the target.
 * Bump SCHEMA_VERSION on any incompatible change to any result kind.
 */
import type { Era } from '../target/protocol.js';
import type { ServerProcessRef } from '../target/serverPid.js';
import type { TransportUsed } from '../target/transport.js';

export type { PidSource, ServerProcessRef } from '../target/serverPid.js';
export type { TransportUsed } from '../target/transport.js';

/** Version of the result format. */
export const SCHEMA_VERSION = 1;

/** Fields every result kind shares. */
export interface ResultHeader<K extends string> {
  /** Version of this format. */
  schemaVersion: typeof SCHEMA_VERSION;
  /** Which command wrote it. */
  kind: K;
  /** mcp-opt's name and version. */
  tool: {
    /** 'mcp-opt'. */
    name: string;
    /** mcp-opt's package version. */
    version: string;
  };
  /** ISO 8601 time the run started. */
  createdAt: string;
  /** Wall time of the whole run, ms. */
  durationMs: number;
  /** Wall time of each phase, ms, in order run. */
  phaseDurationsMs: Record<string, number>;
  /** Machine the run measured on. */
  host: {
    /** process.platform, e.g. 'linux'. */
    platform: string;
    /** process.arch, e.g. 'x64'. */
    arch: string;
    /** Node.js version, e.g. 'v20.19.0'. */
    node: string;
    /** Logical CPUs. */
    cpus: number;
    /** Model of the first CPU ('unknown' when the OS does not say). */
    cpuModel: string;
  };
  /** True when the run stopped early (failure or Ctrl-C): figures cover what was measured. */
  incomplete: boolean;
  /** Why it stopped early, or null. */
  incompleteReason: string | null;
  /** Statistical doubts and skipped measurements, with advice (hyperfine-style warnings). */
  warnings: string[];
}

/** The target, as resolved. */
export interface TargetSection {
  /** 'stdio' for a launched command, 'http' for a URL. */
  kind: 'stdio' | 'http';
  /** Exact argv (joined for display) or URL (credentials removed). */
  display: string;
  /** How mcp-opt resolved it. */
  origin: string;
  /** Package runner in front of the server, or null. */
  runner: string | null;
  /** Names (only) of environment variables set by config, --env or an `env NAME=VALUE` wrapper. */
  envNames: string[];
  /** Names (only) of HTTP request headers set by config or --header (absent in older results). */
  headerNames?: string[];
}

/** Server identity and protocol. */
export interface ServerSection {
  /** Protocol era spoken: 'legacy' (initialize) or 'modern' (2026-07-28 server/discover). */
  era: Era;
  /** Protocol version negotiated in the handshake. */
  protocolVersion: string;
  /** serverInfo.name, or null when the server sent none. */
  name: string | null;
  /** serverInfo.version, or null when the server sent none. */
  version: string | null;
  /** serverInfo.title, or null when the server sent none. */
  title: string | null;
  /** Capability names advertised (tools, resources, prompts, logging…). */
  capabilities: string[];
  /** Characters of `instructions` (sent to the model on connect). */
  instructionsChars: number;
  /** How the era was found; its time is not part of cold start. */
  eraProbe: {
    /** Why the probe concluded so ("server/discover answered", "-32601 on discover"…). */
    evidence: string;
    /** Wall time the probe took, ms. */
    durationMs: number;
  } | null;
  /** The transport used and how replies came (absent in results written before it was recorded). */
  transport?: TransportUsed;
}

/** Where the server's resource figures come from (shared by analyze and bench results). */
export interface ServerProcessField {
  /** The measured process tree, how it was found, or why none was (absent in results written before it was recorded). */
  serverProcess?: ServerProcessRef | null;
}

