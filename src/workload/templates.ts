/**
 * Argument templates for `bench`: `{{seq}}`, `{{randInt A B}}`, `{{randString N}}`, `{{pick a b}}`
 * and `{{uuid}}` inside any string value of a tool's arguments (nested objects and arrays too; not in
 * keys). `\{{` is a literal `{{`. A string that is exactly one `{{seq}}` or `{{randInt}}` becomes a
 * JSON number, and an exactly-one `{{pick}}` yields its unquoted numeric words as numbers.
 *
 * Arguments are compiled once into JSON text fragments and slots, so a request costs a few string
 * concatenations and no parsing or JSON.stringify (bench sends up to ~100k requests a second; the
 * cost is printed by test/workload/templates.test.ts). Random values come from mulberry32 seeded by
 * (seed, seq), so a request's arguments depend only on the seed and its sequence number, not on the
 * order in which concurrent workers render them.
 */
import { UsageError } from '../errors.js';
import { seededRandom } from '../measure/stats.js';
import { compileCall, TWO_POW_32, type Slot, type TemplateCall } from './templateFunctions.js';

/** Deepest nesting of argument values; a self-referencing YAML alias stops here. */
export const MAX_ARGS_DEPTH = 64;

/** Arguments compiled once, rendered per request. */
export interface ArgsTemplate {
  /** True when some string value holds a template; false means the JSON text never changes. */
  readonly templated: boolean;
  /**
   * A function from a request's 0-based sequence number to the JSON text `prefix + args + suffix`.
   * Without templates it returns one string built here; otherwise static text is joined ahead.
   */
  bind(seed: number, prefix?: string, suffix?: string): (seq: number) => string;
}

const TEMPLATES_HELP =
  'Templates: {{seq}}, {{randInt A B}}, {{randString N}}, {{pick a b "c d"}}, {{uuid}}; write \\{{ for a literal "{{"';

/**
 * Compile `args` (a JSON object) once. `locate(path)` names where a value sits for error messages,
 * e.g. path "args.filter[0]" → "Workload file w.yaml, operations[2].args.filter[0]".
 */
export function compileArgsTemplate(args: Record<string, unknown>, locate: (path: string) => string): ArgsTemplate {
  const parts: string[] = [''];
  const slots: Slot[] = [];
  let random = false;
  const out = {
    text(s: string): void {
      parts[parts.length - 1] += s;
    },
    slot(s: Slot, draws: boolean): void {
      slots.push(s);
      parts.push('');
      random ||= draws;
    },
  };
  emitValue(args, 'args', 0, out, locate);
  return { templated: slots.length > 0, bind: (seed, prefix = '', suffix = '') => bind(parts, slots, random, seed, prefix, suffix) };
}

interface Emitter {
  text(s: string): void;
  slot(s: Slot, random: boolean): void;
}

function emitValue(value: unknown, path: string, depth: number, out: Emitter, locate: (path: string) => string): void {
  if (depth > MAX_ARGS_DEPTH) throw new UsageError(`${locate(path)}: arguments nest deeper than ${MAX_ARGS_DEPTH} levels (a YAML alias that contains itself?).`);
  if (typeof value === 'string') return emitString(value, out, () => locate(path));
  if (value === null || typeof value === 'boolean') return out.text(String(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UsageError(`${locate(path)}: ${value} is not a JSON number; give a finite number.`);
    return out.text(JSON.stringify(value));
  }
  if (Array.isArray(value)) {
    out.text('[');
    value.forEach((item, i) => {
      if (i > 0) out.text(',');
      emitValue(item, `${path}[${i}]`, depth + 1, out, locate);
    });
    return out.text(']');
  }
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    out.text('{');
    Object.entries(value).forEach(([key, item], i) => {
      out.text(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
      emitValue(item, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, depth + 1, out, locate);
    });
    return out.text('}');
  }
  throw new UsageError(`${locate(path)}: a ${typeof value} is not a JSON value; use strings, numbers, booleans, null, arrays and objects.`);
}

/** Emit one string value: static JSON, a typed value, or a JSON string with slots. */
function emitString(value: string, out: Emitter, where: () => string): void {
  const pieces = parseTemplateString(value, where);
  if (pieces.every((p) => typeof p === 'string')) return out.text(JSON.stringify(pieces.join('')));
  const only = pieces.length === 1 ? (pieces[0] as TemplateCall) : undefined;
  if (only?.typed) return out.slot(only.typed, only.random);
  out.text('"');
  for (const piece of pieces) {
    if (typeof piece === 'string') out.text(JSON.stringify(piece).slice(1, -1));
    else out.slot(piece.inline, piece.random);
  }
  out.text('"');
}

/** Split a string into literal text and compiled `{{...}}` calls. */
function parseTemplateString(value: string, where: () => string): Array<string | TemplateCall> {
  const pieces: Array<string | TemplateCall> = [];
  let literal = '';
  let i = 0;
  for (;;) {
    const open = value.indexOf('{{', i);
    if (open === -1) break;
    if (open > 0 && value[open - 1] === '\\') {
      literal += `${value.slice(i, open - 1)}{{`;
      i = open + 2;
      continue;
    }
    literal += value.slice(i, open);
    const close = findClose(value, open + 2);
    const source = value.slice(open + 2, close === -1 ? undefined : close);
    if (close === -1) throw templateError(where(), `"{{" is not closed by "}}" in ${JSON.stringify(value.slice(open, open + 40))}`);
    if (literal !== '') pieces.push(literal);
    literal = '';
    pieces.push(compileCall(source, (problem) => templateError(where(), `${problem} in "{{${source}}}"`)));
    i = close + 2;
  }
  literal += value.slice(i);
  if (literal !== '') pieces.push(literal);
  return pieces;
}

/**
 * Index of the `}}` ending a template that starts at `from`, -1 if none. A quoted word (a `"` at the
 * start of a word, as words() reads it) may hold `}}`.
 */
function findClose(value: string, from: number): number {
  let quoted = false;
  for (let j = from; j < value.length; j++) {
    const c = value[j];
    if (quoted) {
      if (c === '\\') j++;
      else if (c === '"') quoted = false;
    } else if (c === '"' && (j === from || /\s/.test(value[j - 1]!))) quoted = true;
    else if (c === '}' && value[j + 1] === '}') return j;
  }
  return -1;
}

function templateError(where: string, problem: string): UsageError {
  return new UsageError(`${where}: ${problem}. ${TEMPLATES_HELP}.`);
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The mulberry32 seed of request `seq`; seq may exceed 2^32 (12 h at 100k req/s). */
function requestSeed(base: number, seq: number): number {
  return fmix32((base ^ (seq >>> 0)) + Math.imul(Math.floor(seq / TWO_POW_32), 0x9e3779b1));
}

function noDraws(): number {
  throw new Error('a template without random functions drew a random number');
}

function bind(parts: readonly string[], slots: readonly Slot[], random: boolean, seed: number, prefix: string, suffix: string): (seq: number) => string {
  const text = [...parts];
  text[0] = prefix + text[0]!;
  text[text.length - 1] += suffix;
  if (slots.length === 0) {
    const fixed = text[0];
    return () => fixed;
  }
  const base = fmix32(seed >>> 0);
  const n = slots.length;
  return (seq) => {
    const rand = random ? seededRandom(requestSeed(base, seq)) : noDraws;
    let out = text[0]!;
    for (let i = 0; i < n; i++) out += slots[i]!(seq, rand) + text[i + 1]!;
    return out;
  };
}
