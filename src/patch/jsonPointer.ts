/**
 * JSON Pointers (RFC 6901) as token lists: the one way every patch editor names a value, so the
 * same pointer means the same key in JSON, JSONC, YAML and .env files.
 */
import { UsageError } from '../errors.js';

/** Split a pointer into unescaped tokens ('' is the whole document); errors name `where`. */
export function parsePointer(ptr: string, where: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) {
    throw new UsageError(`${where}: "${ptr}" is not a JSON Pointer; it must start with "/" (e.g. "/server/port")`);
  }
  return ptr
    .slice(1)
    .split('/')
    .map((raw) => {
      // RFC 6901 §4: "~" must be followed by 0 or 1; unescape ~1 before ~0 so "~01" stays "~1".
      if (/~(?![01])/.test(raw)) {
        throw new UsageError(`${where}: "${ptr}" has a "~" not followed by 0 or 1; write "~0" for "~" and "~1" for "/"`);
      }
      return raw.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** Join tokens into a pointer, escaping "~" and "/" (RFC 6901 §3). */
export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Index of `token` in an array per RFC 6901 §4 (no leading zeros, no "-"), or -1. */
export function arrayIndex(token: string, length: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return -1;
  const i = Number(token);
  return i < length ? i : -1;
}

/** The value at `tokens`, or the longest prefix that exists when it is missing. */
export function getAtPointer(
  doc: unknown,
  tokens: readonly string[],
): { found: true; value: unknown } | { found: false; missingAt: string } {
  let cur: unknown = doc;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const missing = { found: false as const, missingAt: formatPointer(tokens.slice(0, i + 1)) };
    if (Array.isArray(cur)) {
      const idx = arrayIndex(token, cur.length);
      if (idx < 0) return missing;
      cur = cur[idx];
    } else if (cur !== null && typeof cur === 'object') {
      // Own properties only: "/constructor" must not find Object.prototype.constructor.
      if (!Object.prototype.hasOwnProperty.call(cur, token)) return missing;
      cur = (cur as Record<string, unknown>)[token];
    } else {
      return missing;
    }
  }
  return { found: true, value: cur };
}

/** How a change reaches its target: replace an existing value, or create below the deepest existing one. */
export type PointerTarget = {
  /** 'replace': the pointer names an existing value. */
  kind: 'replace';
} | {
  /** 'create': the value is missing and may be created. */
  kind: 'create';
  /** Number of leading tokens that resolve: the deepest existing container is at tokens[0..existingDepth). */
  existingDepth: number;
};

/**
 * Check that `tokens` names a value in `doc`, or (with allowCreate) a place where one can be created
 * in an object or appended to an array with "-"; otherwise a UsageError that says how far the
 * pointer does resolve and what keys are there, since a typo in a key is the usual cause.
 */
export function targetOf(doc: unknown, tokens: readonly string[], path: string, allowCreate: boolean): PointerTarget {
  const pointer = formatPointer(tokens);
  const got = getAtPointer(doc, tokens);
  if (got.found) return { kind: 'replace' };
  const depth = parsePointer(got.missingAt, path).length - 1;
  const prefix = formatPointer(tokens.slice(0, depth));
  const parent = (getAtPointer(doc, tokens.slice(0, depth)) as { value: unknown }).value;
  const isAppend = Array.isArray(parent) && depth === tokens.length - 1 && tokens[depth] === '-';
  const inObject = parent !== null && typeof parent === 'object' && !Array.isArray(parent);
  if (allowCreate && (inObject || isAppend)) return { kind: 'create', existingDepth: depth };
  const there = Array.isArray(parent)
    ? `an array of ${parent.length} items there`
    : inObject
      ? `keys there: ${Object.keys(parent).join(', ') || '(none)'}`
      : `a ${parent === null ? 'null' : typeof parent} value there`;
  const upTo = prefix === '' ? 'the document root' : prefix;
  throw new UsageError(`${path}: no value at ${pointer} (the document exists up to ${upTo}; ${there}); check the JSON Pointer`);
}
