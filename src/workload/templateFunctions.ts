/**
 * The functions of bench's argument templates, each compiled once from the text inside `{{...}}`
 * into a slot: a function from (seq, seeded draw) to text that is already escaped for JSON.
 * Lookup tables replace per-request number formatting where it was measurably slow
 * (test/workload/templates.test.ts prints the cost).
 */
import type { UsageError } from '../errors.js';

/** Longest `{{randString N}}`: one argument must not take megabytes per request. */
export const MAX_RAND_STRING_CHARS = 65_536;

/** A uniform draw in [0, 1). */
export type Draw = () => number;
/** Makes one piece of JSON text for request `seq`. */
export type Slot = (seq: number, rand: Draw) => string;

/** One compiled `{{...}}`: its text inside a JSON string, and as a JSON value when it stands alone. */
export interface TemplateCall {
  /** Text already escaped for a JSON string. */
  inline: Slot;
  /** A whole JSON value (number or string) for a string that is only this template. */
  typed?: Slot;
  /** Whether it draws random numbers. */
  random: boolean;
}

/** A word inside `{{...}}`; `quoted` words came in double quotes (`\"` and `\\` escape). */
interface Word {
  text: string;
  quoted: boolean;
}

/** Compile the text inside `{{...}}`; `fail` makes the error for a problem (the caller adds where). */
export function compileCall(source: string, fail: (problem: string) => UsageError): TemplateCall {
  const [head, ...args] = words(source, fail);
  if (head === undefined) throw fail('empty template');
  if (head.quoted) throw fail('the function name must not be quoted');
  const noArgs = (): void => {
    if (args.length > 0) throw fail(`${head.text} takes no arguments`);
  };
  switch (head.text) {
    case 'seq': {
      noArgs();
      const slot: Slot = (seq) => String(seq);
      return { inline: slot, typed: slot, random: false };
    }
    case 'uuid':
      noArgs();
      return { inline: uuid, random: true };
    case 'randInt': {
      const [a, b] = args.map((w) => (!w.quoted && /^-?\d+$/.test(w.text) ? Number(w.text) : NaN));
      if (args.length !== 2 || !Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a! > b!) {
        throw fail('randInt needs two integers A ≤ B (inclusive bounds), as in {{randInt 1 50}}');
      }
      const slot = randInt(a!, b!);
      return { inline: slot, typed: slot, random: true };
    }
    case 'zipf': {
      const [n, s] = [args[0], args[1]].map((w) => (w === undefined ? undefined : !w.quoted && JSON_NUMBER.test(w.text) ? Number(w.text) : NaN));
      const exponent = s ?? 1;
      if (args.length < 1 || args.length > 2 || !Number.isInteger(n) || !(n! >= 1 && n! <= MAX_ZIPF_N) || !(exponent > 0 && exponent <= 10)) {
        throw fail(`zipf needs a count N from 1 to ${MAX_ZIPF_N} and an optional exponent s in (0, 10], as in {{zipf 1000}} or {{zipf 1000 1.2}}`);
      }
      const slot = zipf(n!, exponent);
      return { inline: slot, typed: slot, random: n! > 1 };
    }
    case 'randString': {
      const n = args.length === 1 && !args[0]!.quoted && /^\d+$/.test(args[0]!.text) ? Number(args[0]!.text) : NaN;
      if (!(n >= 1 && n <= MAX_RAND_STRING_CHARS)) {
        throw fail(`randString needs one length from 1 to ${MAX_RAND_STRING_CHARS}, as in {{randString 12}}`);
      }
      return { inline: randString(n), random: true };
    }
    case 'pick': {
      if (args.length === 0) throw fail('pick needs at least one word, as in {{pick en de "pt br"}}');
      const inline = args.map((w) => JSON.stringify(w.text).slice(1, -1));
      // Unquoted numeric words become numbers when the template is the whole value: a schema's
      // integer field can take {{pick 10 20 50}}, and "10" in quotes stays a string.
      const typed = args.map((w) => (!w.quoted && JSON_NUMBER.test(w.text) ? w.text : JSON.stringify(w.text)));
      return { inline: pickFrom(inline), typed: pickFrom(typed), random: args.length > 1 };
    }
    default:
      throw fail(`unknown template function ${JSON.stringify(head.text)}`);
  }
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Split the inside of `{{...}}` into words; double quotes group words with spaces. */
function words(source: string, fail: (problem: string) => UsageError): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < source.length) {
    if (/\s/.test(source[i]!)) {
      i++;
    } else if (source[i] === '"') {
      let text = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== '"'; j++) text += source[j] === '\\' ? (source[++j] ?? '') : source[j];
      if (j >= source.length) throw fail('a double-quoted word is not closed');
      out.push({ text, quoted: true });
      i = j + 1;
    } else {
      let j = i;
      while (j < source.length && !/\s/.test(source[j]!)) {
        if (source[j] === '"') throw fail('a double quote inside a word; quote whole words, as in "pt br"');
        j++;
      }
      out.push({ text: source.slice(i, j), quoted: false });
      i = j;
    }
  }
  return out;
}

/** 2^32: a draw times this is its 32 random bits. */
export const TWO_POW_32 = 4294967296;

/** Largest `{{zipf N}}`: its table holds N cumulative weights. */
export const MAX_ZIPF_N = 1_000_000;

/**
 * Ranks 1..n drawn with P(k) ∝ 1/k^s (Zipf's law: a few keys most of the time, as cache keys of
 * real traffic are): a cumulative table built once, then a binary search per draw.
 */
function zipf(n: number, s: number): Slot {
  if (n === 1) return () => '1';
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) cdf[k - 1] = sum += k ** -s;
  return (_seq, rand) => {
    const u = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return String(lo + 1);
  };
}

function randInt(low: number, high: number): Slot {
  const span = high - low + 1;
  if (span <= TWO_POW_32) return (_seq, rand) => String(low + Math.floor(rand() * span));
  // One draw has 32 bits; wider ranges combine two draws into a 53-bit fraction.
  return (_seq, rand) => String(low + Math.floor(((Math.floor(rand() * 2097152) * TWO_POW_32 + Math.floor(rand() * TWO_POW_32)) / 2 ** 53) * span));
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Every two-character string over ALPHABET, so one lookup makes two characters. */
const PAIRS: readonly string[] = Array.from({ length: 36 * 36 }, (_, i) => ALPHABET[i % 36]! + ALPHABET[Math.floor(i / 36)]!);
/**
 * Characters per draw: floor(u · 36^4) from a 32-bit draw favours some values by at most
 * 36^4 / 2^32 ≈ 0.04 %, where 5 characters (36^5) would skew them by 1.4 %.
 */
const FOUR_CHARS = 36 ** 4;

function randString(length: number): Slot {
  const draws = Math.floor(length / 4);
  const rest = length % 4;
  return (_seq, rand) => {
    let s = '';
    for (let i = 0; i < draws; i++) {
      const x = Math.floor(rand() * FOUR_CHARS);
      s += PAIRS[x % 1296]! + PAIRS[Math.floor(x / 1296)]!;
    }
    for (let i = 0; i < rest; i++) s += ALPHABET[Math.floor(rand() * 36)];
    return s;
  };
}

function pickFrom(tokens: string[]): Slot {
  if (tokens.length === 1) {
    const only = tokens[0]!;
    return () => only;
  }
  return (_seq, rand) => tokens[Math.floor(rand() * tokens.length)]!;
}

/** Two hex digits for every byte; Number#toString(16) is slow above 2^31 (heap numbers). */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_DIGITS = '0123456789abcdef';

function hex8(rand: Draw): string {
  const x = Math.floor(rand() * TWO_POW_32);
  return HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

/** RFC 9562 version-4 layout (version nibble 4, variant 10xx) filled from the seeded draws. */
const uuid: Slot = (_seq, rand) => {
  const a = hex8(rand);
  const b = Math.floor(rand() * TWO_POW_32);
  const c = Math.floor(rand() * TWO_POW_32);
  const d = hex8(rand);
  return (
    `${a}-${HEX[b >>> 24]}${HEX[(b >>> 16) & 255]}-4${HEX_DIGITS[(b >>> 8) & 15]}${HEX[b & 255]}-` +
    `${HEX[0x80 | ((c >>> 24) & 63)]}${HEX[(c >>> 16) & 255]}-${HEX[(c >>> 8) & 255]}${HEX[c & 255]}${d}`
  );
};
