/**
 * Reduce a JSON Schema node to one flat object schema before a value is made for it: follow local
 * `$ref`s, merge `allOf`, and pick one `anyOf`/`oneOf` branch. Covers draft-07 and 2020-12 as the
 * SDKs emit them through zod (`definitions` vs `$defs`, `["string","null"]` vs `anyOf` with null).
 */
import {
  clip,
  guess,
  isObject,
  jsonKey,
  own,
  setOwn,
  spend,
  type SchemaObject,
  type SynthContext,
} from './synthContext.js';

/** `$ref`/`allOf` hops followed for one node; a self-referencing definition stops here. */
export const MAX_REF_HOPS = 32;

/**
 * Flatten one schema node. Returns null when no value can satisfy it (`false`, contradictory
 * `allOf`), after noting why; an unreadable node becomes `{}` (any value) with a note.
 */
export function flattenSchema(
  schema: unknown,
  ctx: SynthContext,
  path: string,
  hops = 0,
): SchemaObject | null {
  spend(ctx);
  if (schema === true || schema === undefined) return {};
  if (schema === false) {
    guess(ctx, path, 'schema is `false`, so no value is valid');
    return null;
  }
  if (!isObject(schema)) {
    guess(ctx, path, `schema is not an object (${typeof schema}); any value assumed`);
    return {};
  }
  if (hops > MAX_REF_HOPS) {
    guess(ctx, path, `$ref/allOf nesting deeper than ${MAX_REF_HOPS}; gave up on this value`);
    ctx.unsatisfiable ??= `recursive schema ($ref/allOf at ${path === '' ? '(root)' : path} nest deeper than ${MAX_REF_HOPS})`;
    return null;
  }
  const { $ref, allOf, anyOf, oneOf, ...rest } = schema;
  let out: SchemaObject | null = draft4Bounds(rest);
  if ($ref !== undefined) {
    const target = resolveLocalRef($ref, ctx.root);
    if (target === undefined) {
      guess(ctx, path, `cannot resolve $ref ${clip(jsonKey($ref))} (only local "#/..." refs are followed)`);
    } else {
      ctx.sawRef = true;
      out = mergeSchemas(out, flattenSchema(target, ctx, path, hops + 1), ctx, path);
    }
  }
  if (Array.isArray(allOf)) {
    for (const part of allOf) out = mergeSchemas(out, flattenSchema(part, ctx, path, hops + 1), ctx, path);
  }
  // A null branch is what zod emits for `.nullable()`/`.optional()`; sending null exercises nothing.
  for (const branches of [anyOf, oneOf]) {
    if (Array.isArray(branches) && branches.length > 0) {
      const chosen = branches.find((b) => b !== false && !isNullOnly(b)) ?? branches[0];
      out = mergeSchemas(out, flattenSchema(chosen, ctx, path, hops + 1), ctx, path);
    }
  }
  return out;
}

/** Follow a local JSON Pointer ref ("#", "#/$defs/X", "#/definitions/X", any "#/a/b"). */
export function resolveLocalRef(ref: unknown, root: unknown): unknown {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined; // "#anchor" refs are not followed
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isObject(node)) node = own(node, key);
    else if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function isNullOnly(branch: unknown): boolean {
  if (!isObject(branch)) return false;
  const { type } = branch;
  if (type === 'null' || branch.const === null) return true;
  if (Array.isArray(type) && type.length > 0 && type.every((t) => t === 'null')) return true;
  const values = branch.enum;
  return Array.isArray(values) && values.length > 0 && values.every((v) => v === null);
}

/** Draft-04 wrote `exclusiveMinimum: true` next to `minimum`; later drafts use a number. */
function draft4Bounds(schema: SchemaObject): SchemaObject {
  const out = { ...schema };
  for (const [excl, incl] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[excl] !== 'boolean') continue;
    if (out[excl] === true && typeof out[incl] === 'number') {
      out[excl] = out[incl];
      delete out[incl];
    } else {
      delete out[excl];
    }
  }
  return out;
}

const TAKE_MAX = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const TAKE_MIN = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);

/** Merge two flattened schemas as `allOf` means: both must hold. Null if they contradict. */
export function mergeSchemas(
  a: SchemaObject | null,
  b: SchemaObject | null,
  ctx: SynthContext,
  path: string,
): SchemaObject | null {
  if (a === null || b === null) return null;
  const out: SchemaObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    if (!Object.hasOwn(out, key)) {
      setOwn(out, key, value);
      continue;
    }
    const prev = out[key];
    if (TAKE_MAX.has(key) && typeof prev === 'number' && typeof value === 'number') {
      out[key] = Math.max(prev, value);
    } else if (TAKE_MIN.has(key) && typeof prev === 'number' && typeof value === 'number') {
      out[key] = Math.min(prev, value);
    } else if (key === 'type') {
      const types = intersectTypes(prev, value);
      if (types.length === 0) {
        guess(ctx, path, `allOf demands incompatible types ${jsonKey(prev)} and ${jsonKey(value)}`);
        return null;
      }
      out.type = types;
    } else if (key === 'required' && Array.isArray(prev) && Array.isArray(value)) {
      out.required = [...new Set([...prev, ...value])];
    } else if (key === 'properties' && isObject(prev) && isObject(value)) {
      const props: SchemaObject = { ...prev };
      for (const [name, schema] of Object.entries(value)) {
        setOwn(props, name, Object.hasOwn(props, name) ? { allOf: [props[name], schema] } : schema);
      }
      out.properties = props;
    } else if (key === 'enum' && Array.isArray(prev) && Array.isArray(value)) {
      const allowed = new Set(value.map(jsonKey));
      out.enum = prev.filter((v) => allowed.has(jsonKey(v)));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(prev) && isObject(value)) {
      out[key] = { allOf: [prev, value] };
    } else if (key === 'const' && jsonKey(prev) !== jsonKey(value)) {
      guess(ctx, path, `allOf demands two different constants ${clip(jsonKey(prev))} and ${clip(jsonKey(value))}`);
      return null;
    } else if (key === 'pattern' && prev !== value) {
      guess(ctx, path, `several patterns apply; only ${clip(jsonKey(prev))} is honoured`);
    }
    // Anything else: the first schema's value stands (descriptions, defaults, formats).
  }
  return out;
}

function intersectTypes(a: unknown, b: unknown): string[] {
  const left = (Array.isArray(a) ? a : [a]).filter((t): t is string => typeof t === 'string');
  const right = (Array.isArray(b) ? b : [b]).filter((t): t is string => typeof t === 'string');
  const out: string[] = [];
  for (const t of left) {
    if (right.includes(t)) out.push(t);
    // Every integer is a number, so integer ∩ number = integer.
    else if ((t === 'integer' && right.includes('number')) || (t === 'number' && right.includes('integer'))) {
      out.push('integer');
    }
  }
  return [...new Set(out)];
}
