/**
 * Tune knobs: what `mcp-opt tune` varies, parsed from `--knob` flags and the config's
 * `tune.knobs`. A knob is a builtin client setting (pool, concurrency, …) or a server setting
 * reached through an environment variable, a command-line flag or a JSON config file.
 * Parsing is strict and every error names the flag or config entry and shows a correct example,
 * because a typo here would otherwise cost a whole tune run.
 */
import { UsageError } from '../errors.js';
import { BALANCES } from './benchOptions.js';
import { AFFINITIES } from './proxyOptions.js';

/** One value a knob can take. */
export type KnobValue = number | string | boolean;

/**
 * Knobs the client itself implements (no server change needed); affinity and
 * maxInflightPerInstance are `mcp-opt proxy`'s, for tune --via-proxy.
 */
export type BuiltinKnobName = 'pool' | 'concurrency' | 'balance' | 'batch' | 'batchDelay' | 'affinity' | 'maxInflightPerInstance';

/** The knobs that only a tune through the proxy (--via-proxy) has. */
export const PROXY_ONLY_KNOBS: readonly BuiltinKnobName[] = ['affinity', 'maxInflightPerInstance'];

/** A knob and the values to try. */
export interface Knob {
  /** Stable identity: 'concurrency' | 'env:WORKERS' | 'arg:--threads' | 'file:server.json#/pool/max'. */
  id: string;
  /** Where the value goes. */
  kind: 'builtin' | 'env' | 'arg' | 'file';
  /** Builtin name, env var name, the flag ('--threads') or the JSON Pointer ('/pool/max'). */
  name: string;
  /** File knobs: the file as written (resolved later against the config's folder); else null. */
  file: string | null;
  /** Values in the order given, deduplicated. */
  values: KnobValue[];
}

/** Load-balancing policies the pool implements. */

/** More values than this is almost surely a mistake (and a grid nobody can afford). */
const MAX_VALUES = 64;

/** Allowed values of each builtin, with an example that passes. */
const BUILTINS: Record<BuiltinKnobName, { example: string; check: (v: KnobValue) => string | null }> = {
  pool: { example: 'pool=1,2,4', check: (v) => integerIn(v, 1, 256) },
  concurrency: { example: 'concurrency=1,2,4,8', check: (v) => integerIn(v, 1, 100_000) },
  balance: {
    example: `balance=${BALANCES.join(',')}`,
    check: (v) => ((BALANCES as readonly KnobValue[]).includes(v) ? null : `must be one of ${BALANCES.join(', ')}`),
  },
  batch: { example: 'batch=1,8,32', check: (v) => integerIn(v, 1, 10_000) },
  batchDelay: {
    example: 'batchDelay=0,1,2',
    check: (v) => (typeof v === 'number' && v >= 0 && v <= 1000 ? null : 'must be a number of ms from 0 to 1000'),
  },
  affinity: {
    example: `affinity=${AFFINITIES.join(',')}`,
    check: (v) => ((AFFINITIES as readonly KnobValue[]).includes(v) ? null : `must be one of ${AFFINITIES.join(', ')}`),
  },
  maxInflightPerInstance: { example: 'maxInflightPerInstance=1,2,4', check: (v) => integerIn(v, 0, 1_000_000) },
};

function integerIn(v: KnobValue, min: number, max: number): string | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : `must be an integer from ${min} to ${max}`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORMS = 'env:NAME=1,2 (environment variable), arg:--flag=1,2 (server argument) or file:PATH#/json/pointer=1,2 (server config file)';

/** What a knob is, before its values: everything left of the values' '='. */
type KnobHead = Omit<Knob, 'values'> & { example: string };

/** Parse one `--knob` (or config) string; `where` names it in errors, e.g. '--knob' or 'config tune.knobs[2]'. */
export function parseKnob(text: string, where: string): Knob {
  const fail = (why: string): never => {
    throw new UsageError(`${where} "${text}": ${why}`);
  };
  // file: values never contain '=', a path or pointer may: split at the last '='. Other forms: the first.
  const eq = text.startsWith('file:') ? text.lastIndexOf('=') : text.indexOf('=');
  const head = parseHead(eq < 0 ? text : text.slice(0, eq), fail);
  if (eq < 0) fail(`no values; write ${head.example}`);
  return { ...stripExample(head), values: checkValues(head, parseValues(text.slice(eq + 1), head, fail), fail) };
}

function stripExample({ example: _example, ...knob }: KnobHead): Omit<Knob, 'values'> {
  return knob;
}

function parseHead(left: string, fail: (why: string) => never): KnobHead {
  const name = left.trim();
  if (name.startsWith('env:')) {
    const v = name.slice(4);
    if (!ENV_NAME.test(v)) fail(`"${v}" is not an environment variable name (letters, digits, _; not starting with a digit); write env:WORKERS=1,2,4`);
    return { id: `env:${v}`, kind: 'env', name: v, file: null, example: `env:${v}=1,2,4` };
  }
  if (name.startsWith('arg:')) {
    const flag = name.slice(4);
    if (!/^-[^\s=]*[^-\s=]/.test(flag)) fail(`"${flag}" is not a flag (it must start with '-'); write arg:--threads=2,4`);
    return { id: `arg:${flag}`, kind: 'arg', name: flag, file: null, example: `arg:${flag}=2,4` };
  }
  if (name.startsWith('file:')) {
    // The pointer starts at the first '#/': a path holding '#/' is too odd to support.
    const rest = name.slice(5);
    const hash = rest.indexOf('#/');
    const file = hash < 0 ? rest : rest.slice(0, hash);
    if (!file) fail('no file; write file:server.json#/pool/max=4,8');
    if (hash < 0) fail(`no JSON Pointer after the file (RFC 6901, starting with '/'); write file:${file}#/pool/max=4,8`);
    const pointer = rest.slice(hash + 1);
    if (/~(?![01])/.test(pointer)) fail(`"${pointer}" is not a JSON Pointer: '~' must be written ~0 and '/' inside a key ~1 (RFC 6901)`);
    return { id: `file:${file}#${pointer}`, kind: 'file', name: pointer, file, example: `file:${file}#${pointer}=4,8` };
  }
  if (!Object.hasOwn(BUILTINS, name)) {
    fail(`unknown knob "${name}"; the builtins are ${Object.keys(BUILTINS).join(', ')} (e.g. concurrency=1,2,4,8), and server settings are written ${FORMS}`);
  }
  const builtin = name as BuiltinKnobName;
  return { id: builtin, kind: 'builtin', name: builtin, file: null, example: BUILTINS[builtin].example };
}

/** Split at commas outside double quotes, so "a,b" stays one string value. */
function splitValues(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function parseValues(text: string, head: KnobHead, fail: (why: string) => never): KnobValue[] {
  if (!text.trim()) fail(`no values; write ${head.example}`);
  const values: KnobValue[] = [];
  for (const token of splitValues(text)) {
    if (!token) fail(`an empty value between commas; write ${head.example}`);
    const range = /^(\d+)\.\.(\d+)$/.exec(token);
    if (range) values.push(...expandRange(Number(range[1]), Number(range[2]), token, fail));
    else values.push(parseValue(token, fail));
  }
  return values;
}

/** `A..B`: A, 2A, 4A… up to B, then B itself: doubling covers a wide range in few points. */
function expandRange(a: number, b: number, token: string, fail: (why: string) => never): number[] {
  if (a < 1 || b < a) fail(`range "${token}" must be A..B with 1 ≤ A ≤ B, e.g. 1..64`);
  const out: number[] = [];
  for (let v = a; v <= b && out.length <= MAX_VALUES; v *= 2) out.push(v);
  if (out[out.length - 1] !== b) out.push(b);
  return out;
}

function parseValue(token: string, fail: (why: string) => never): KnobValue {
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (token === 'true' || token === 'false') return token === 'true';
  if (token.startsWith('"')) {
    try {
      const s: unknown = JSON.parse(token);
      if (typeof s === 'string') return s;
    } catch {
      // fall through to the error below
    }
    fail(`${token} is not a valid quoted string; write it as JSON, e.g. "a,b"`);
  }
  return token;
}

/** Deduplicate, then enforce the count limit and the builtin's allowed values. */
function checkValues(head: KnobHead, raw: readonly KnobValue[], fail: (why: string) => never): KnobValue[] {
  const values = [...new Set(raw)];
  if (values.length === 0) fail(`no values; write ${head.example}`);
  if (values.length > MAX_VALUES) fail(`more than ${MAX_VALUES} values; try fewer, e.g. a doubling range: ${head.id}=1..64`);
  if (head.kind === 'builtin') {
    const rule = BUILTINS[head.name as BuiltinKnobName];
    for (const v of values) {
      const why = rule.check(v);
      if (why) fail(`${head.name} ${JSON.stringify(v)} ${why}; write ${rule.example}`);
    }
  }
  return values;
}

/**
 * Knobs from the config's `tune.knobs`: an array of knob strings, or an object from knob to values
 * (an array, or a string "1,2,4"). Absent (undefined/null) means none.
 */
export function knobsFromConfig(section: unknown, configPath: string): Knob[] {
  const where = `config ${configPath}: tune.knobs`;
  if (section === undefined || section === null) return [];
  if (Array.isArray(section)) {
    return section.map((entry, i) => {
      if (typeof entry !== 'string') throw new UsageError(`${where}[${i}] must be a knob string such as "concurrency=1,2,4"; got ${JSON.stringify(entry)}.`);
      return parseKnob(entry, `${where}[${i}]`);
    });
  }
  if (typeof section !== 'object') {
    throw new UsageError(`${where} must be an array of knob strings (["concurrency=1,2,4"]) or an object ({"concurrency": [1, 2, 4]}).`);
  }
  return Object.entries(section as Record<string, unknown>).map(([key, value]) => {
    const at = `${where}.${key}`;
    if (typeof value === 'string') return parseKnob(`${key}=${value}`, at);
    if (!Array.isArray(value)) throw new UsageError(`${at} must be an array of values or a string such as "1,2,4"; got ${JSON.stringify(value)}.`);
    const fail = (why: string): never => {
      throw new UsageError(`${at}: ${why}`);
    };
    const head = parseHead(key, fail);
    for (const v of value) {
      const fine = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
      if (!fine) fail(`${JSON.stringify(v)} is not a number, string or boolean; write ${JSON.stringify(key)}: [1, 2, 4]`);
    }
    return { ...stripExample(head), values: checkValues(head, value as KnobValue[], fail) };
  });
}

/** Points in the full grid of `knobs` (1 with no knobs: the single baseline point). */
export function gridSize(knobs: readonly Knob[]): number {
  return knobs.reduce((n, k) => n * k.values.length, 1);
}

/** Reject a knob given twice (flags and config together), since the grid would repeat it. */
export function checkKnobs(knobs: readonly Knob[]): void {
  const seen = new Set<string>();
  for (const k of knobs) {
    if (seen.has(k.id)) {
      throw new UsageError(`knob "${k.id}" is given twice; give it once with all its values, e.g. ${k.id}=${k.values.map(String).join(',')}.`);
    }
    seen.add(k.id);
  }
}
