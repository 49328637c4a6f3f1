/**
 * `--mcp-config <file> [--server <name>]`: pick one entry of an MCP client config.
 */
import { UsageError } from '../../errors.js';
import type { LaunchSpec } from '../launchSpec.js';
import { configEntrySpec } from './configEntry.js';
import { readMcpConfig } from './mcpConfigFile.js';
import { q } from './usage.js';

/** Resolve the entry `server` (or the only entry) of config `file`. */
export function resolveConfigTarget(file: string, server: string | undefined, cwd: string, env: NodeJS.ProcessEnv): LaunchSpec {
  const config = readMcpConfig(file, cwd);
  const names = Object.keys(config.servers);
  if (names.length === 0) throw new UsageError(`${file} defines no servers under "${config.key}".`);
  if (server === undefined) {
    if (names.length === 1) return configEntrySpec(config, names[0]!, env);
    throw new UsageError(`${file} defines ${names.length} servers: ${names.join(', ')}. Pick one with --server <name>, e.g. --server ${names[0]}.`);
  }
  if (!Object.hasOwn(config.servers, server)) {
    throw new UsageError(`${file} has no server named ${q(server)}. Available: ${names.join(', ')}.`);
  }
  return configEntrySpec(config, server, env);
}

/** Config files clients keep in a project, checked to make `--server` without `--mcp-config` helpful. */
const PROJECT_CONFIGS = ['.mcp.json', '.vscode/mcp.json', '.cursor/mcp.json', 'mcp.json'];

/** The UsageError for `--server` given without `--mcp-config`, listing servers of configs found in cwd. */
export function serverWithoutConfig(server: string, cwd: string): UsageError {
  const found: string[] = [];
  for (const rel of PROJECT_CONFIGS) {
    try {
      found.push(`${rel} (servers: ${Object.keys(readMcpConfig(rel, cwd).servers).join(', ') || 'none'})`);
    } catch {
      /* Missing or unreadable: a config here is only a hint source; the error below still stands. */
    }
  }
  const hint = found.length
    ? ` Found ${found.join('; ')}: e.g. --mcp-config ${found[0]!.split(' ')[0]} --server ${server}.`
    : ' Give the MCP client config that defines it, e.g. --mcp-config .vscode/mcp.json.';
  return new UsageError(`--server ${q(server)} needs --mcp-config <file> to say which config defines it.${hint}`);
}
