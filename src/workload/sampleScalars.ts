/**
 * Sample strings and numbers that satisfy a flattened schema's constraints (length, pattern,
 * format; bounds, multipleOf). Plain, recognisable values ("mcp-opt", 1) so a server log shows
 * where a call came from.
 */
import { compilePattern, sampleForPattern } from './patternSample.js';
import { clip, guess, type SchemaObject, type SynthContext } from './synthContext.js';

/** The default string argument: recognisable in server logs. */
export const DEFAULT_STRING = 'mcp-opt';
/** Longest string made to meet a minLength; a hostile `minLength: 1e9` must not allocate 1 GB. */
export const MAX_SYNTH_STRING_CHARS = 10_000;

/**
 * Valid samples for the `format`s tool schemas use (JSON Schema 2020-12 §7.3). Each also matches
 * the `pattern` zod emits next to the format (e.g. its uuid pattern wants version 1-8, variant 8-b).
 */
export const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  email: 'mcp-opt@example.com',
  'idn-email': 'mcp-opt@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  iri: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  'iri-reference': 'https://example.com/',
  'uri-template': 'https://example.com/{id}',
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  'json-pointer': '/mcp-opt',
  'relative-json-pointer': '0',
  regex: '.*',
  // Formats zod emits beyond the JSON Schema list.
  cuid: 'cjld2cjxh0000qzrmn831i7rn',
  cuid2: 'tz4a98xxat96iws9zmbrgj3a',
  ulid: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  nanoid: 'V1StGXR8_Z5jdHi6B-myT',
  base64: 'bWNwLW9wdA==',
  base64url: 'bWNwLW9wdA',
  emoji: '🙂',
  e164: '+15555550100',
  jwt: 'eyJhbGciOiJub25lIn0.e30.',
};

/** A string for a string schema; notes a guess when format, length or pattern cannot all hold. */
export function sampleString(schema: SchemaObject, ctx: SynthContext, path: string): string {
  const minLength = typeof schema.minLength === 'number' ? Math.max(0, Math.ceil(schema.minLength)) : 0;
  const maxLength = typeof schema.maxLength === 'number' ? Math.floor(schema.maxLength) : Infinity;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined;
  const formatSample = format === undefined ? undefined : FORMAT_SAMPLES[format];

  const candidates: string[] = [];
  if (formatSample !== undefined) candidates.push(formatSample);
  candidates.push(fitLength(DEFAULT_STRING, minLength, maxLength));
  if (pattern !== undefined) {
    const fromPattern = sampleForPattern(pattern);
    if (fromPattern !== undefined) candidates.push(fromPattern, fitLength(fromPattern, minLength, maxLength));
    candidates.push('mcpopt', 'a', '0', '1');
  }
  const regex = pattern === undefined ? undefined : compilePattern(pattern);
  const lengthOk = (s: string): boolean => [...s].length >= minLength && [...s].length <= maxLength;
  const fits = (s: string): boolean => lengthOk(s) && (regex === undefined || regex.test(s));
  const chosen = candidates.find(fits) ?? candidates[0]!;

  if (format !== undefined && formatSample === undefined) {
    guess(ctx, path, `unknown string format "${clip(format)}"; sent "${clip(chosen)}"`);
  } else if (formatSample !== undefined && chosen !== formatSample) {
    guess(ctx, path, `format "${format}" sample did not fit length/pattern; sent "${clip(chosen)}"`);
  }
  if (pattern !== undefined && regex === undefined) {
    guess(ctx, path, `pattern ${clip(JSON.stringify(pattern))} is not a valid ECMA-262 regex; not checked`);
  } else if (!fits(chosen)) {
    const why = lengthOk(chosen) ? `pattern ${clip(JSON.stringify(pattern))}` : `length ${minLength}..${maxLength}`;
    guess(ctx, path, `could not satisfy ${why}; sent "${clip(chosen)}"`);
  }
  return chosen;
}

/** Pad with "x" or cut so the string's length (in code points, as JSON Schema counts) fits. */
function fitLength(text: string, minLength: number, maxLength: number): string {
  const chars = [...text];
  const target = Math.min(Math.max(chars.length, minLength), maxLength, MAX_SYNTH_STRING_CHARS);
  if (chars.length > target) return chars.slice(0, Math.max(0, target)).join('');
  return text + 'x'.repeat(Math.max(0, target - chars.length));
}

/**
 * A number for a number/integer schema: 1 when allowed, else the value nearest the lower (then
 * upper) bound that satisfies minimum/maximum, their exclusive forms and multipleOf.
 */
export function sampleNumber(schema: SchemaObject, integer: boolean, ctx: SynthContext, path: string): number {
  const num = (k: string): number | undefined => {
    const v = schema[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const min = num('minimum');
  const max = num('maximum');
  const xmin = num('exclusiveMinimum');
  const xmax = num('exclusiveMaximum');
  const multipleOf = num('multipleOf');
  const step = multipleOf !== undefined && multipleOf > 0 ? multipleOf : undefined;

  const valid = (v: number): boolean =>
    Number.isFinite(v) &&
    (!integer || Number.isInteger(v)) &&
    (min === undefined || v >= min) &&
    (max === undefined || v <= max) &&
    (xmin === undefined || v > xmin) &&
    (xmax === undefined || v < xmax) &&
    (step === undefined || isMultiple(v, step));

  const lo = maxDefined(min, xmin);
  const hi = minDefined(max, xmax);
  const unit = step ?? 1;
  const candidates: number[] = [1, 0];
  for (const bound of [lo, hi, lo !== undefined && hi !== undefined ? (lo + hi) / 2 : undefined]) {
    if (bound === undefined) continue;
    const k = bound / unit;
    for (const m of [Math.ceil(k), Math.ceil(k) + 1, Math.floor(k), Math.floor(k) - 1]) candidates.push(tidy(m * unit, unit));
    candidates.push(bound, bound + 1, bound - 1);
  }
  const found = candidates.find(valid);
  if (found !== undefined) return found;
  const fallback = lo ?? hi ?? 1;
  guess(ctx, path, `no ${integer ? 'integer' : 'number'} satisfies the bounds/multipleOf; sent ${fallback}`);
  return fallback;
}

function isMultiple(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

/** Round k·step to step's decimals, so 3 × 0.1 is sent as 0.3, not 0.30000000000000004. */
function tidy(value: number, step: number): number {
  const decimals = (String(step).split('.')[1] ?? '').length;
  return decimals > 0 && decimals <= 15 ? Number(value.toFixed(decimals)) : value;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
