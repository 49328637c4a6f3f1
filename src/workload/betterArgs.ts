/**
 * Other arguments to try when a server rejected the ones synthesised for a tool: a path inside the
 * directory the server's own error names (server-filesystem: "Access denied - path outside allowed
 * directories: /x not in /home/u/allowed"), the directory a server resolved a relative path in when
 * it answers that the path does not exist (server-filesystem 2025: "ENOENT: no such file or
 * directory, scandir '/home/u/allowed/mcp-opt'" for "mcp-opt"), the optional properties the schema gives a value for
 * (const, default, enum, examples), and the next enum or example value of a property. Pure: the
 * caller sends them, a bounded number of times.
 */
import { isObject, jsonKey, own } from './synthContext.js';

/** Arguments to try, and why they may pass where the first ones did not. */
export interface ArgCandidate {
  /** The arguments to send. */
  args: Record<string, unknown>;
  /** Why they may pass, in words (e.g. 'a path inside the directory the server named'). */
  why: string;
}

/** Properties whose name says they hold a path. */
const PATH_KEY = /path|dir|file|folder|root|location|cwd/i;
/** Directories named in one error text, at most. */
const MAX_DIRS = 2;

/** Candidates after `sent` was rejected with `errorText`, most promising first, without repeats. */
export function betterArgs(schema: unknown, sent: Record<string, unknown>, errorText: string): ArgCandidate[] {
  const out: ArgCandidate[] = [];
  const seen = new Set([jsonKey(sent)]);
  const add = (args: Record<string, unknown>, why: string): void => {
    const key = jsonKey(args);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ args, why });
  };
  const named = allowedDirs(errorText);
  const dirs = named.length ? named : resolvedParents(errorText, sent);
  const dirWhy = named.length ? 'a path inside the directory the server named' : 'the directory the server resolved the path in';
  if (dirs.length) {
    // Path-named arguments first ("path", "paths", "directory"…), else those the error quotes, else every string.
    const isStrings = (v: unknown): boolean => typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
    const strings = Object.keys(sent).filter((k) => isStrings(sent[k]));
    const byName = strings.filter((k) => PATH_KEY.test(k));
    const quoted = strings.filter((k) => typeof sent[k] === 'string' && (sent[k] as string).length >= 2 && errorText.includes(sent[k] as string));
    const keys = byName.length ? byName : quoted.length ? quoted : strings;
    for (const dir of dirs) {
      if (!keys.length) break;
      add({ ...sent, ...Object.fromEntries(keys.map((k) => [k, Array.isArray(sent[k]) ? [dir] : dir])) }, dirWhy);
    }
  }
  const props = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  const optional: Array<[string, unknown]> = [];
  for (const name of Object.keys(props)) {
    if (Object.hasOwn(sent, name)) continue;
    const v = firstValue(own(props, name));
    if (v !== undefined) optional.push([name, v]);
  }
  if (optional.length) add({ ...sent, ...Object.fromEntries(optional) }, 'optional arguments filled from the schema (const, default, enum, examples)');
  for (const name of Object.keys(sent)) {
    const next = nextValue(own(props, name), sent[name]);
    if (next !== undefined) add({ ...sent, [name]: next }, `another value the schema lists for ${name}`);
  }
  return out;
}

/**
 * Absolute directories an error text says are allowed: "… not in /a, /b" (server-filesystem), else
 * "allowed directories: /a, /b".
 */
export function allowedDirs(text: string): string[] {
  const line = /\bnot in ((?:\/|[A-Za-z]:\\)[^\n]*)/.exec(text)?.[1]
    ?? /allowed director(?:y|ies)(?: are| is)?\s*:?\s*\[?((?:\/|[A-Za-z]:\\)[^\n\]]*)/i.exec(text)?.[1]?.split(/ not in /)[0];
  if (!line) return [];
  return line.split(/,\s*/)
    .map((d) => d.trim().replace(/^["'`]|["'`.]+$/g, ''))
    .filter((d) => /^(?:\/|[A-Za-z]:\\)/.test(d))
    .slice(0, MAX_DIRS);
}

/**
 * Directories a "does not exist" error shows a sent relative path was resolved in: the error quotes
 * an absolute path that ends with a value mcp-opt sent ('/home/u/allowed/mcp-opt' for "mcp-opt"),
 * so the part before it exists and the server accepts paths there.
 */
export function resolvedParents(text: string, sent: Record<string, unknown>): string[] {
  if (!/ENOENT|no such file|not found|does not exist/i.test(text)) return [];
  const values = Object.values(sent).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is string => typeof v === 'string' && v.length > 0 && !v.startsWith('/'));
  const dirs: string[] = [];
  for (const m of text.matchAll(/["'`](\/[^"'`\n]*)["'`]/g)) {
    const abs = m[1]!.replace(/\/+$/, '');
    for (const v of values) {
      const tail = `/${v.replace(/^\.\//, '').replace(/\/+$/, '')}`;
      if (tail.length > 1 && abs.endsWith(tail)) {
        const dir = abs.slice(0, abs.length - tail.length) || '/';
        if (!dirs.includes(dir)) dirs.push(dir);
      }
    }
  }
  return dirs.slice(0, MAX_DIRS);
}

/** A value the schema itself offers: const, default, first non-null enum member, first example. */
function firstValue(schema: unknown): unknown {
  if (!isObject(schema)) return undefined;
  if (Object.hasOwn(schema, 'const')) return schema.const;
  if (Object.hasOwn(schema, 'default')) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum.find((v) => v !== null) ?? schema.enum[0];
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  return undefined;
}

/** The enum member or example after `current`, or undefined. */
function nextValue(schema: unknown, current: unknown): unknown {
  if (!isObject(schema)) return undefined;
  for (const list of [schema.enum, schema.examples]) {
    if (!Array.isArray(list) || list.length < 2) continue;
    const i = list.findIndex((v) => jsonKey(v) === jsonKey(current));
    const next = list[(i + 1) % list.length];
    if (jsonKey(next) !== jsonKey(current) && next !== null) return next;
  }
  return undefined;
}
