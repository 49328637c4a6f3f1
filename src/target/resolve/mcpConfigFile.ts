/**
 * Read an MCP client config file: Claude Desktop / Cursor / Claude Code (`mcpServers`), VS Code
 * (`servers` in .vscode/mcp.json, or `mcp.servers` in settings.json). JSONC is accepted because
 * VS Code's files allow comments and trailing commas.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { parseJsonc } from '../../util/jsonc.js';
import { isFile } from './fsProbe.js';

/** A parsed config: where it is and its server entries. */
export interface McpConfigFile {
  /** Absolute path. */
  path: string;
  /** As the user typed it. */
  shown: string;
  /**
   * Folder that relative paths resolve against: the file's folder, or the project folder for a
   * file inside `.vscode/` or `.cursor/` (those editors start project servers from the workspace).
   */
  baseDir: string;
  /** Which key held the servers, for messages. */
  key: 'mcpServers' | 'servers' | 'mcp.servers';
  /** Server entries by name, in file order (values not yet validated). */
  servers: Record<string, unknown>;
}

/** Editor folders whose config describes the enclosing project. */
const EDITOR_DIRS = new Set(['.vscode', '.cursor']);

/** Read and parse `file` (relative to `cwd`); UsageError with line:column on bad syntax. */
export function readMcpConfig(file: string, cwd: string): McpConfigFile {
  const path = resolve(cwd, file);
  if (!isFile(path)) {
    throw new UsageError(`No such file or directory: ${file} (--mcp-config). Give the path of an MCP client config, e.g. .vscode/mcp.json or claude_desktop_config.json.`);
  }
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  // Duplicate keys are refused, as in mcp-opt's own config: clients that read these files with
  // JSON.parse keep the last silently, so two servers of one name would measure one unnoticed.
  const parsed = parseJsonc(text, 'error');
  if ('issue' in parsed) {
    const { kind, key, line, column, detail } = parsed.issue;
    throw new UsageError(kind === 'syntax'
      ? `${file}:${line}:${column}: invalid JSON: ${detail}. Fix the file and retry.`
      : kind === 'duplicate-key'
        ? `${file}:${line}:${column}: "${key}" appears twice (MCP clients keep the last one silently, so which one is meant is unclear). Keep one, or rename the other, and retry.`
        : `${file}:${line}:${column}: key "${key}" is not allowed in an MCP config. Remove it and retry.`);
  }
  const root = parsed.value;
  const found = serversOf(root);
  if (!found) {
    throw new UsageError(`${file} has no "mcpServers" or "servers" object, so it names no MCP server. Check that it is an MCP client config.`);
  }
  const folder = dirname(path);
  const baseDir = EDITOR_DIRS.has(basename(folder)) ? dirname(folder) : folder;
  return { path, shown: file, baseDir, ...found };
}

/** Locate the servers object under its known keys. */
function serversOf(root: unknown): Pick<McpConfigFile, 'key' | 'servers'> | null {
  if (!isObject(root)) return null;
  if (isObject(root.mcpServers)) return { key: 'mcpServers', servers: root.mcpServers };
  if (isObject(root.servers)) return { key: 'servers', servers: root.servers };
  if (isObject(root.mcp) && isObject(root.mcp.servers)) return { key: 'mcp.servers', servers: root.mcp.servers };
  return null;
}

/** A plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
