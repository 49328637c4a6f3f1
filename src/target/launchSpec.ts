/**
 * What a target resolved to: a process to spawn over stdio, or a URL to reach over HTTP.
 * Produced once by resolveTarget() before any I/O on the server; printed to the user verbatim
 * (the spec's security guidance: show the exact command before running it).
 */
import { maskArgv } from './argvSecrets.js';
import type { StdioLaunch } from './serverProcess.js';

/** A package runner that wraps the real server (its cost is measured separately). */
export type PackageRunner = 'npx' | 'npm exec' | 'pnpm dlx' | 'pnpm exec' | 'yarn dlx' | 'bunx' | 'uvx' | 'uv run' | 'pipx run';

/** A stdio server to spawn. */
export interface StdioSpec {
  /** Discriminant: a server launched over stdio. */
  kind: 'stdio';
  /** Exact argv to run: command resolved to an absolute path, args as given. */
  launch: StdioLaunch;
  /** How the target was named, for messages ("directory ./srv: package.json bin"). */
  origin: string;
  /** Names of environment variables set from config (values are never reported). */
  configuredEnvNames: string[];
  /** Set when the command is a package runner (npx, uvx…). */
  runner?: PackageRunner;
}

/** An HTTP server to reach. */
export interface HttpSpec {
  /** Discriminant: a server reached over HTTP. */
  kind: 'http';
  /** Endpoint URL (may hold credentials: report only redactUrl(url)). */
  url: string;
  /** Extra request headers from config (values are never reported). */
  headers: Record<string, string>;
  /** Transport preference: 'auto' tries Streamable HTTP, then legacy HTTP+SSE. */
  transport: 'auto' | 'streamable-http' | 'sse';
  /** How the target was named. */
  origin: string;
}

/** What to launch (stdio) or reach (HTTP). */
export type LaunchSpec = StdioSpec | HttpSpec;

/**
 * The argv or URL shown to the user and written to reports: URL credentials removed, and the
 * argv's secrets (`env NAME=VALUE` values, tokens, auth headers; see argvSecrets.ts) as `***`.
 */
export function describeSpec(spec: LaunchSpec): string {
  if (spec.kind === 'http') return redactUrl(spec.url);
  return maskArgv([spec.launch.command, ...spec.launch.args]).display.map(quoteArg).join(' ');
}

/** Names (never values) of the variables a stdio spec sets: configured, --env, and `env NAME=VALUE` wrappers. */
export function specEnvNames(spec: StdioSpec): string[] {
  return [...new Set([...spec.configuredEnvNames, ...maskArgv([spec.launch.command, ...spec.launch.args]).envNames])];
}

/** Quote an argument for display only (mcp-opt never runs a shell). */
export function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Remove userinfo and query values from a URL for display and reports. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? '***' : '';
      u.password = u.password ? '***' : '';
    }
    for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '<invalid URL>';
  }
}
