/**
 * Build a minimal valid `arguments` object for `tools/call` from a tool's `inputSchema`, so
 * mcp-opt can call a tool the user did not give arguments for. Minimal means only `required`
 * properties: every optional field left out is one less way to trigger slow or side-effecting
 * paths. Whatever had to be guessed is listed in `notes`; the result never throws.
 */
import { compilePattern } from './patternSample.js';
import { flattenSchema } from './flattenSchema.js';
import { DEFAULT_STRING, sampleNumber, sampleString } from './sampleScalars.js';
import {
  clip,
  guess,
  isObject,
  jsonKey,
  MAX_SYNTH_STEPS,
  own,
  spend,
  SynthBudgetExceeded,
  type SchemaObject,
  type SynthContext,
} from './synthContext.js';

/** Nesting depth of generated values; a required self-referencing property stops here. */
export const MAX_VALUE_DEPTH = 24;
/** Most items made for one array; a hostile `minItems: 1e9` must not exhaust memory. */
export const MAX_SYNTH_ITEMS = 100;

/** Arguments made from a schema, whether they should validate, and what was guessed. */
export interface SynthesizedArgs {
  /** The arguments object to send. */
  args: Record<string, unknown>;
  /** False when something was guessed and the server may reject the arguments. */
  complete: boolean;
  /** One line per guess: "<argument path>: <what and why>". */
  notes: string[];
  /**
   * Why no arguments could be made within the depth and size budget, e.g. "recursive schema (…)":
   * the tool must not be called with `args` (then {}). Null when arguments were made.
   */
  unsatisfiable: string | null;
}

/** The sentence a report gives for a tool skipped because its arguments could not be made. */
export function unsynthesisableReason(synth: SynthesizedArgs): string {
  return `arguments could not be synthesised: ${synth.unsatisfiable}`;
}

/** Synthesize minimal arguments from a tool's input JSON Schema (draft-07 or 2020-12). */
export function synthesizeArgs(schema: unknown): SynthesizedArgs {
  const ctx: SynthContext = { root: schema, notes: [], complete: true, sawRef: false, steps: 0, unsatisfiable: null };
  try {
    if (schema === undefined) {
      guess(ctx, '', 'the tool has no inputSchema; sent {}');
      return result({}, ctx);
    }
    const value = synthValue(schema, ctx, '', 0);
    if (isObject(value)) return result(value, ctx);
    guess(ctx, '', `inputSchema does not describe an object (made ${clip(jsonKey(value))}); sent {}`);
  } catch (err) {
    if (err instanceof SynthBudgetExceeded) {
      guess(ctx, '', `gave up after ${MAX_SYNTH_STEPS} schema nodes and values`);
      ctx.unsatisfiable ??= ctx.sawRef
        ? `recursive schema (more than ${MAX_SYNTH_STEPS} schema nodes and values needed)`
        : `schema too large (more than ${MAX_SYNTH_STEPS} schema nodes and values needed)`;
    } else {
      // Defensive: a schema shape nobody foresaw must cost a note, not the whole run.
      guess(ctx, '', `schema could not be read (${clip(String(err))}); sent {}`);
    }
  }
  return result({}, ctx);
}

function result(args: Record<string, unknown>, ctx: SynthContext): SynthesizedArgs {
  return ctx.unsatisfiable === null
    ? { args, complete: ctx.complete, notes: ctx.notes, unsatisfiable: null }
    : { args: {}, complete: false, notes: ctx.notes, unsatisfiable: ctx.unsatisfiable };
}

function synthValue(raw: unknown, ctx: SynthContext, path: string, depth: number): unknown {
  spend(ctx);
  if (ctx.unsatisfiable !== null) return null; // nothing made from here on is sent
  if (depth > MAX_VALUE_DEPTH) {
    guess(ctx, path, `values nested deeper than ${MAX_VALUE_DEPTH} (recursive schema?); sent null`);
    ctx.unsatisfiable = `recursive schema (a required value at ${clip(path, 40)} nests deeper than ${MAX_VALUE_DEPTH} levels)`;
    return null;
  }
  const schema = flattenSchema(raw, ctx, path);
  if (schema === null) return null;
  if (Object.hasOwn(schema, 'const')) return schema.const;

  const choices = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (choices !== undefined && choices.length === 0) {
    guess(ctx, path, 'enum is empty, so no value is valid; sent null');
    return null;
  }
  const allowed = (v: unknown): boolean => choices === undefined || choices.some((c) => jsonKey(c) === jsonKey(v));
  // The server's own default is the value it expects most; trust it unless the enum rules it out.
  if (Object.hasOwn(schema, 'default') && allowed(schema.default)) return schema.default;
  // zod puts null last in a nullable enum; a real value exercises the tool.
  if (choices !== undefined) return choices.find((c) => c !== null) ?? choices[0];
  const examples = schema.examples;
  if (Array.isArray(examples) && examples.length > 0) return examples[0];

  switch (pickType(schema)) {
    case 'object':
      return synthObject(schema, ctx, path, depth);
    case 'array':
      return synthArray(schema, ctx, path, depth);
    case 'string':
      return sampleString(schema, ctx, path);
    case 'integer':
      return sampleNumber(schema, true, ctx, path);
    case 'number':
      return sampleNumber(schema, false, ctx, path);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'any':
      return DEFAULT_STRING;
    default:
      guess(ctx, path, `unknown type ${clip(jsonKey(schema.type))}; sent "${DEFAULT_STRING}"`);
      return DEFAULT_STRING;
  }
}

/** The one type to produce: the first non-null listed type, else inferred from the keywords. */
function pickType(schema: SchemaObject): string {
  const { type } = schema;
  const listed = (Array.isArray(type) ? type : type === undefined ? [] : [type]).map(String);
  const nonNull = listed.filter((t) => t !== 'null');
  if (nonNull.length > 0) return nonNull[0]!;
  if (listed.length > 0) return 'null';
  const has = (...keys: string[]): boolean => keys.some((k) => Object.hasOwn(schema, k));
  if (has('properties', 'required', 'additionalProperties', 'patternProperties')) return 'object';
  if (has('items', 'prefixItems', 'minItems', 'maxItems')) return 'array';
  if (has('minLength', 'maxLength', 'pattern', 'format')) return 'string';
  if (has('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf')) return 'number';
  return 'any'; // `{}` accepts every value
}

function synthObject(schema: SchemaObject, ctx: SynthContext, path: string, depth: number): Record<string, unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required)
    ? [...new Set(schema.required.filter((n): n is string => typeof n === 'string'))]
    : [];
  const entries: Array<[string, unknown]> = [];
  for (const name of required) {
    const childPath = `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    let propSchema = own(properties, name);
    if (propSchema === undefined) propSchema = patternPropertySchema(schema, name);
    if (propSchema === undefined && isObject(schema.additionalProperties)) propSchema = schema.additionalProperties;
    if (propSchema === undefined) {
      guess(ctx, childPath, `required but has no schema; sent "${DEFAULT_STRING}"`);
      entries.push([name, DEFAULT_STRING]);
      continue;
    }
    entries.push([name, synthValue(propSchema, ctx, childPath, depth + 1)]);
  }
  const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  if (entries.length < minProperties) {
    guess(ctx, path, `minProperties ${minProperties} exceeds the ${entries.length} required properties`);
  }
  // fromEntries defines own properties, so a property named "__proto__" stays a plain key.
  return Object.fromEntries(entries);
}

function patternPropertySchema(schema: SchemaObject, name: string): unknown {
  if (!isObject(schema.patternProperties)) return undefined;
  for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
    // Same compilation as `pattern` (unicode mode, then plain): an invalid pattern matches nothing.
    if (compilePattern(pattern)?.test(name)) return sub;
  }
  return undefined;
}

function synthArray(schema: SchemaObject, ctx: SynthContext, path: string, depth: number): unknown[] {
  // 2020-12 tuples use prefixItems + items; draft-07 tuples use an items array + additionalItems.
  const prefix = Array.isArray(schema.prefixItems)
    ? schema.prefixItems
    : Array.isArray(schema.items)
      ? schema.items
      : [];
  const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
  const minItems = typeof schema.minItems === 'number' ? Math.max(0, Math.ceil(schema.minItems)) : 0;
  let count = minItems;
  if (count > MAX_SYNTH_ITEMS) {
    guess(ctx, path, `minItems ${minItems} capped at ${MAX_SYNTH_ITEMS}`);
    count = MAX_SYNTH_ITEMS;
  }
  if (Object.hasOwn(schema, 'contains')) {
    guess(ctx, path, '"contains" is not honoured');
  }
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) {
    items.push(synthValue(i < prefix.length ? prefix[i] : rest, ctx, `${path}/${i}`, depth + 1));
  }
  if (schema.uniqueItems === true && new Set(items.map(jsonKey)).size < items.length) {
    guess(ctx, path, `uniqueItems with minItems ${minItems}: the synthesized items are equal`);
  }
  return items;
}
