/**
 * A set of value changes as a standard patch document, for `tune` to print and `--apply-from` to
 * read: RFC 6902 JSON Patch (exact, addresses array items) and RFC 7396 JSON Merge Patch (simpler,
 * but replaces whole arrays and cannot set null).
 */
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '../errors.js';
import { FORBIDDEN_KEYS } from '../util/jsonc.js';
import { arrayIndex, formatPointer, getAtPointer, parsePointer } from './jsonPointer.js';
import type { ValueChange } from './valueChange.js';

/** One RFC 6902 operation of the kinds mcp-opt writes. */
export type JsonPatchOp = {
  /** 'replace' a value that exists, or 'add' one (or a missing parent object) where none does. */
  op: 'replace' | 'add';
  /** JSON Pointer of the value. */
  path: string;
  /** The value written. */
  value: unknown;
} | {
  /** 'test': the patch applies only when the value at `path` equals `value`. */
  op: 'test';
  /** JSON Pointer of the value checked. */
  path: string;
  /** The value expected. */
  value: unknown;
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Set `value` at `tokens` in `doc` (mutating), creating missing objects; reports each object created. */
function setIn(doc: unknown, tokens: readonly string[], value: unknown, where: string, created: (p: string) => void): unknown {
  if (tokens.length === 0) return value;
  let cur = doc;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const last = i === tokens.length - 1;
    if (FORBIDDEN_KEYS.has(t)) throw new UsageError(`${where}: key "${t}" is not allowed in a pointer`);
    if (Array.isArray(cur)) {
      const idx = t === '-' && last ? cur.length : arrayIndex(t, cur.length);
      if (idx < 0) throw new UsageError(`${where}: no item ${formatPointer(tokens.slice(0, i + 1))}; arrays are not extended`);
      if (last) cur[idx] = value;
      cur = cur[idx];
    } else if (isObject(cur)) {
      if (last) cur[t] = value;
      else if (!Object.prototype.hasOwnProperty.call(cur, t)) {
        cur[t] = {};
        created(formatPointer(tokens.slice(0, i + 1)));
      }
      cur = cur[t];
    } else {
      throw new UsageError(`${where}: ${formatPointer(tokens.slice(0, i))} is not an object or array, so ${formatPointer(tokens)} cannot be set`);
    }
  }
  return doc;
}

/** JSON Patch setting each change: 'replace' where the value exists, 'add' (with parents added as {}) where not. */
export function jsonPatchOf(doc: unknown, changes: readonly ValueChange[]): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  let work = structuredClone(doc);
  for (const { pointer, value } of changes) {
    const tokens = parsePointer(pointer, 'patch');
    const exists = getAtPointer(work, tokens).found;
    const parents: string[] = [];
    work = setIn(work, tokens, structuredClone(value), 'patch', (p) => parents.push(p));
    for (const p of parents) ops.push({ op: 'add', path: p, value: {} });
    ops.push({ op: exists ? 'replace' : 'add', path: pointer, value: structuredClone(value) });
  }
  return ops;
}

/** The merge patch turning `a` into `b`: objects recurse (removed keys → null), anything else is replaced whole. */
function mergeDiff(a: unknown, b: unknown, at: string): unknown {
  if (!isObject(b) || !isObject(a)) return checkNoNull(b, at);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) {
    if (!Object.prototype.hasOwnProperty.call(a, k) || !isDeepStrictEqual(a[k], v)) out[k] = mergeDiff(a[k], v, `${at}/${k}`);
  }
  for (const k of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(b, k)) out[k] = null;
  return out;
}

/** In a merge patch null means "delete", so a null inside a new object value cannot be written (RFC 7396 §1). */
function checkNoNull(v: unknown, at: string): unknown {
  if (v === null) throw new UsageError(`a JSON merge patch cannot set ${at || 'the document'} to null (null means delete); use the JSON Patch output instead`);
  if (isObject(v)) for (const [k, x] of Object.entries(v)) checkNoNull(x, `${at}/${k}`);
  return v;
}

/** Merge patch of the changes (whole arrays where a pointer goes through one); null values are a UsageError. */
export function mergePatchOf(doc: unknown, changes: readonly ValueChange[]): Record<string, unknown> {
  let work = structuredClone(doc);
  for (const { pointer, value } of changes) {
    if (value === null) throw new UsageError(`a JSON merge patch cannot set ${pointer} to null (null means delete); use the JSON Patch output instead`);
    work = setIn(work, parsePointer(pointer, 'patch'), structuredClone(value), 'patch', () => {});
  }
  if (!isObject(work) || !isObject(doc)) throw new UsageError('a JSON merge patch needs the config to be an object at the top');
  return mergeDiff(doc, work, '') as Record<string, unknown>;
}

/** Apply an RFC 7396 merge patch to a copy of `target`; keys that reach a prototype are refused. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (FORBIDDEN_KEYS.has(k)) throw new UsageError(`merge patch key "${k}" is not allowed`);
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
