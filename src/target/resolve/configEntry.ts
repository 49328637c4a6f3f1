/**
 * Turn one server entry of an MCP client config into a LaunchSpec: `{ command, args, env, cwd }`
 * for stdio, `{ url | serverUrl, headers, type }` for HTTP. Never through a shell (4.G.47).
 */
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { HttpSpec, LaunchSpec } from '../launchSpec.js';
import { commandError } from './commandErrors.js';
import { isDirectory, isFile } from './fsProbe.js';
import { isObject, type McpConfigFile } from './mcpConfigFile.js';
import { expandPlaceholders } from './placeholders.js';
import { makeStdioSpec } from './stdioSpec.js';
import { resolveUrl } from './url.js';
import { lookupCommand } from './which.js';
import { q } from './usage.js';

/**
 * Transport per `type`. VS Code's "http" tries Streamable HTTP and falls back to SSE, which is
 * what 'auto' does; Cline spells Streamable HTTP "streamableHttp".
 */
const HTTP_TYPES: Record<string, HttpSpec['transport']> = {
  http: 'auto', 'streamable-http': 'streamable-http', streamableHttp: 'streamable-http', sse: 'sse',
};

/** Resolve entry `name` of `config` with mcp-opt's environment `env`. */
export function configEntrySpec(config: McpConfigFile, name: string, env: NodeJS.ProcessEnv): LaunchSpec {
  const entry = config.servers[name];
  const label = `server ${q(name)} in ${config.shown}`;
  if (!isObject(entry)) throw new UsageError(`${label} is not an object; expected { "command": …, "args": [...] } or { "url": … }.`);
  const type = entry.type;
  if (type !== undefined && type !== 'stdio' && !(typeof type === 'string' && Object.hasOwn(HTTP_TYPES, type))) {
    throw new UsageError(`${label} has "type": ${JSON.stringify(type)}; expected "stdio", "http", "streamable-http" or "sse".`);
  }
  const url = entry.url ?? entry.serverUrl;
  const expand = (value: string, field: string): string =>
    expandPlaceholders(value, { env, workspaceFolder: config.baseDir, where: `${field} of ${label}` });
  if (type !== 'stdio' && (url !== undefined || type !== undefined)) {
    if (entry.command !== undefined && type === undefined) {
      throw new UsageError(`${label} has both "command" and "url"; add "type": "stdio" or "http" to say which to use.`);
    }
    if (typeof url !== 'string') throw new UsageError(`${label} has "type": ${q(String(type))} but no "url" string.`);
    return resolveUrl(expand(url, 'url'), `--mcp-config ${config.shown} server ${q(name)}`, {
      headers: stringMap(entry.headers, 'headers', label, expand),
      transport: HTTP_TYPES[String(type ?? 'http')]!,
    });
  }
  return stdioEntry(config, name, entry, label, env, expand);
}

function stdioEntry(
  config: McpConfigFile, name: string, entry: Record<string, unknown>, label: string,
  env: NodeJS.ProcessEnv, expand: (value: string, field: string) => string,
): LaunchSpec {
  if (entry.shell !== undefined && entry.shell !== false) {
    throw new UsageError(`${label} sets "shell": mcp-opt never runs commands through a shell. Remove it and give "command" and "args" as separate words.`);
  }
  if (entry.envFile !== undefined) {
    throw new UsageError(`${label} uses "envFile", which mcp-opt does not read. Export those variables in the environment, or list them under "env".`);
  }
  if (typeof entry.command !== 'string' || entry.command === '') {
    throw new UsageError(`${label} has no "command" (and no "url"); expected { "command": "npx", "args": ["-y", "@scope/server"] }.`);
  }
  const args = argList(entry.args, label).map((a, i) => expand(a, `args[${i}]`));
  const command = expand(entry.command, 'command');
  // A path with spaces ("/opt/My Server/run") is fine; a command line with no args is not.
  if (args.length === 0 && /\s/.test(command.trim()) && !isFile(resolve(config.baseDir, command))) {
    // Quote the entry as written, not expanded: expansion may have inserted secret values.
    const words = entry.command.trim().split(/\s+/);
    throw new UsageError(
      `${label} has a whole command line in "command" and no "args": ${q(entry.command)}. mcp-opt never runs a shell; ` +
        `split it, e.g. "command": ${q(words[0]!)}, "args": ${JSON.stringify(words.slice(1))}.`,
    );
  }
  const configuredEnv = envMap(entry.env, label, expand);
  if (entry.cwd !== undefined && typeof entry.cwd !== 'string') throw new UsageError(`${label} has "cwd" that is not a string.`);
  const cwd = entry.cwd === undefined ? config.baseDir : resolve(config.baseDir, expand(entry.cwd, 'cwd'));
  // Messages quote fields as written: expanded placeholders may hold secrets (4.I.51).
  if (!isDirectory(cwd)) {
    const shown = entry.cwd === undefined || entry.cwd.includes('${') ? q(String(entry.cwd)) : q(cwd);
    throw new UsageError(`${label} has "cwd" ${shown}, which is not a directory.`);
  }
  // The child's PATH decides where the command is found (Node's spawn searches env.PATH too).
  const pathVar = 'PATH' in configuredEnv ? configuredEnv.PATH : env.PATH;
  const found = lookupCommand(command, { baseDir: config.baseDir, pathVar });
  if (found.kind !== 'found') {
    if (command === entry.command) throw commandError(command, found, label);
    const what = found.kind === 'missing' ? 'Command not found' : 'Permission denied (not executable)';
    throw new UsageError(`${what}: ${entry.command} (${label}, after expanding its placeholders). Check the path and the variables it uses.`);
  }
  const resolved = found.path;
  return makeStdioSpec({
    command: resolved, args, cwd, baseEnv: env, configuredEnv,
    origin: `--mcp-config ${config.shown} server ${q(name)}`,
  });
}

function argList(value: unknown, label: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UsageError(`${label} has "args" that is not an array of strings.`);
  return value.map((a, i) => {
    if (typeof a === 'string') return a;
    if (typeof a === 'number' || typeof a === 'boolean') return String(a);
    throw new UsageError(`${label} has args[${i}] that is not a string.`);
  });
}

/** `env` entries: strings (numbers/booleans stringified); null unsets the variable. Values never appear in errors. */
function envMap(value: unknown, label: string, expand: (v: string, f: string) => string): Record<string, string | undefined> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new UsageError(`${label} has "env" that is not an object of NAME: "value" pairs.`);
  const out: Record<string, string | undefined> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) out[key] = undefined;
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = expand(String(v), `env.${key}`);
    else throw new UsageError(`${label} has env.${key} that is not a string.`);
  }
  return out;
}

function stringMap(value: unknown, field: string, label: string, expand: (v: string, f: string) => string): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new UsageError(`${label} has "${field}" that is not an object of name: "value" pairs.`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new UsageError(`${label} has ${field}.${key} that is not a string.`);
    out[key] = expand(v, `${field}.${key}`);
  }
  return out;
}
