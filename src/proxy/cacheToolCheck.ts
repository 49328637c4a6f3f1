/**
 * --cache-tool NAME=TTL is taken only for a tool its server says is safe to answer from memory:
 * annotated `readOnlyHint: true` (it changes nothing) and `openWorldHint: false` (it reads nothing
 * outside the server, which could change behind the proxy's back). Both are hints whose spec
 * defaults are the unsafe side (2025-11-25 server/tools, ToolAnnotations: readOnlyHint false,
 * openWorldHint true), so an absent hint refuses too; --force says the operator knows better.
 * Checked once, at start, against the server's own tools/list, before the front serves.
 */
import { UsageError } from '../errors.js';
import type { CacheSettings } from '../options/proxyOptions.js';

/** Why --cache-tool cannot take `name`, given the server's tool list; null when it can. */
export function cacheToolRefusal(name: string, tools: ReadonlyArray<Record<string, unknown>>): string | null {
  const tool = tools.find((t) => t['name'] === name);
  if (tool === undefined) {
    const listed = tools.map((t) => String(t['name'])).slice(0, 8).join(', ');
    return `the server lists no tool "${name}" (it has: ${listed}${tools.length > 8 ? ', …' : ''})`;
  }
  const a = (tool['annotations'] ?? {}) as { readOnlyHint?: unknown; openWorldHint?: unknown };
  const missing: string[] = [];
  if (a.readOnlyHint !== true) missing.push(`readOnlyHint: true (it has ${a.readOnlyHint === undefined ? 'none, which means false' : JSON.stringify(a.readOnlyHint)})`);
  if (a.openWorldHint !== false) missing.push(`openWorldHint: false (it has ${a.openWorldHint === undefined ? 'none, which means true' : JSON.stringify(a.openWorldHint)})`);
  return missing.length === 0 ? null : `"${name}" is not annotated ${missing.join(' and ')}, so its answers may change with each call`;
}

/**
 * Check every --cache-tool against the tool list `list` fetches (null: the server did not give it);
 * throws a UsageError (exit 2) naming the tool and what to do. Nothing to check with --force.
 */
export async function checkCacheTools(cache: CacheSettings, list: () => Promise<ReadonlyArray<Record<string, unknown>> | null>): Promise<void> {
  const names = Object.keys(cache.toolTtlMs);
  if (names.length === 0 || cache.force) return;
  const tools = await list();
  if (tools === null) {
    throw new UsageError(`--cache-tool ${names.join(', ')}: the server did not answer tools/list, so the tools' annotations cannot be checked. Start it so that it lists its tools, or add --force to cache them unchecked.`);
  }
  for (const name of names) {
    const why = cacheToolRefusal(name, tools);
    if (why !== null) throw new UsageError(`--cache-tool ${name}: ${why}. Cache only tools that read and change nothing outside the server; add --force if you know this one's answers stay valid for the TTL.`);
  }
}
