import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MAX_RAND_STRING_CHARS } from '../../src/workload/templateFunctions.js';
import { compileArgsTemplate } from '../../src/workload/templates.js';

const at = (path: string): string => `Workload file w.yaml, operations[0].${path}`;

/** Compile `args` and return a function from seq to the parsed arguments. */
function render(args: Record<string, unknown>, seed = 1): (seq: number) => Record<string, unknown> {
  const text = compileArgsTemplate(args, at).bind(seed);
  return (seq) => JSON.parse(text(seq)) as Record<string, unknown>;
}

/** Values of `args.v` over requests 0..n-1. */
function draws(template: string, n: number, seed = 1): unknown[] {
  const r = render({ v: template }, seed);
  return Array.from({ length: n }, (_, seq) => r(seq).v);
}

function errorOf(args: Record<string, unknown>): UsageError {
  try {
    compileArgsTemplate(args, at);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  }
  throw new Error(`expected ${JSON.stringify(args)} to be rejected`);
}

describe('compileArgsTemplate: static arguments', () => {
  it('serialises arguments without templates once, as JSON.stringify does', () => {
    const args = { q: 'a "quoted" \n line ✓', n: 1.5, ok: true, none: null, list: [1, 'two', { three: [] }], 'odd key': {} };
    const t = compileArgsTemplate(args, at);
    expect(t.templated).toBe(false);
    const params = t.bind(7, '{"name":"x","arguments":', '}');
    expect(params(0)).toBe(`{"name":"x","arguments":${JSON.stringify(args)}}`);
    expect(params(12345)).toBe(params(0));
  });

  it('keeps "__proto__" as a plain argument key', () => {
    const args = JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(compileArgsTemplate(args, at).bind(0)(0)).toBe('{"__proto__":{"x":1}}');
  });

  it('reads \\{{ as a literal "{{" and leaves a lone "}}" alone', () => {
    const r = render({ v: '\\{{seq}} and }} and {{seq}}' });
    expect(r(4).v).toBe('{{seq}} and }} and 4');
    expect(compileArgsTemplate({ v: '\\{{seq}}' }, at).templated).toBe(false);
  });
});

describe('template functions', () => {
  it('{{seq}} is the request number given to params, typed as a number when alone', () => {
    const r = render({ id: '{{seq}}', q: 'item-{{seq}}', spaced: '{{ seq }}' });
    for (const seq of [0, 1, 99, 2 ** 40 + 3]) {
      expect(r(seq)).toEqual({ id: seq, q: `item-${seq}`, spaced: seq });
    }
  });

  it('{{randInt A B}} stays within inclusive bounds and reaches both ends', () => {
    const values = draws('{{randInt 1 3}}', 3000);
    expect(new Set(values)).toEqual(new Set([1, 2, 3]));
    const negative = draws('{{randInt -5 -2}}', 2000) as number[];
    expect(Math.min(...negative)).toBe(-5);
    expect(Math.max(...negative)).toBe(-2);
    expect(draws('{{randInt 7 7}}', 10)).toEqual(Array(10).fill(7));
  });

  it('{{zipf N s}} draws ranks 1..N, the first most often, in the proportions 1/k^s', () => {
    const values = draws('{{zipf 10}}', 20000) as number[];
    expect(values.every((v) => Number.isInteger(v) && v >= 1 && v <= 10)).toBe(true);
    const share = (k: number): number => values.filter((v) => v === k).length / values.length;
    // H(10) = 2.929: rank 1 has 1/2.929 = 34.1 % of draws, rank 2 half that, rank 10 a tenth.
    expect(share(1)).toBeGreaterThan(0.31);
    expect(share(1)).toBeLessThan(0.37);
    expect(share(2) / share(1)).toBeGreaterThan(0.42);
    expect(share(2) / share(1)).toBeLessThan(0.58);
    expect(share(10)).toBeGreaterThan(0.02);
    const steep = draws('{{zipf 100 2}}', 5000) as number[];
    expect(steep.filter((v) => v === 1).length / steep.length).toBeGreaterThan(0.55);
    expect(draws('{{zipf 1}}', 5)).toEqual([1, 1, 1, 1, 1]);
    for (const bad of ['{{zipf}}', '{{zipf 0}}', '{{zipf 10 0}}', '{{zipf 2000000}}', '{{zipf x}}']) expect(() => draws(bad, 1), bad).toThrow(/zipf needs a count N/);
  });

  it('{{randInt}} over more than 2^32 values yields integers in range', () => {
    const hi = Number.MAX_SAFE_INTEGER;
    const values = draws(`{{randInt 0 ${hi}}}`, 2000) as number[];
    for (const v of values) {
      expect(Number.isSafeInteger(v) && v >= 0 && v <= hi).toBe(true);
    }
    // Values above 2^32 must occur: nearly all of the range lies there.
    expect(values.filter((v) => v > 2 ** 32).length).toBeGreaterThan(1900);
  });

  it('{{randInt}} inside text renders the number as text', () => {
    expect(draws('p{{randInt 10 10}}', 1)).toEqual(['p10']);
  });

  it('{{randString N}} makes N characters of [a-z0-9], varying by request', () => {
    const values = draws('{{randString 12}}', 500) as string[];
    for (const v of values) expect(v).toMatch(/^[a-z0-9]{12}$/);
    expect(new Set(values).size).toBe(500);
    const all = new Set(values.join(''));
    expect(all.size).toBe(36);
  });

  it('{{pick}} returns one of the words, roughly uniformly', () => {
    const values = draws('{{pick en de fr}}', 30_000) as string[];
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['de', 'en', 'fr']);
    for (const c of counts.values()) expect(Math.abs(c / 30_000 - 1 / 3)).toBeLessThan(0.02);
  });

  it('{{pick}} takes double-quoted words with spaces, quotes and backslashes', () => {
    const values = new Set(draws('{{pick "pt br" "say \\"hi\\"" "a\\\\b" }}', 300));
    expect(values).toEqual(new Set(['pt br', 'say "hi"', 'a\\b']));
    expect(new Set(draws('x={{pick "}}" a}}', 200))).toEqual(new Set(['x=}}', 'x=a']));
    expect(draws('{{pick "a b c}} "}}', 1)).toEqual(['a b c}} ']);
  });

  it('{{pick}} alone yields unquoted numeric words as numbers and quoted ones as strings', () => {
    expect(new Set(draws('{{pick 10 -2.5 1e3}}', 300))).toEqual(new Set([10, -2.5, 1000]));
    expect(new Set(draws('{{pick "10" 010 x}}', 300))).toEqual(new Set(['10', '010', 'x']));
    expect(draws('n={{pick 10}}', 1)).toEqual(['n=10']);
  });

  it('{{uuid}} is shaped like a version-4 UUID and differs per request', () => {
    const values = draws('{{uuid}}', 1000) as string[];
    for (const v of values) expect(v).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(values).size).toBe(1000);
    expect(new Set(values.map((v) => v[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });
});

describe('rendering', () => {
  it('fills templates anywhere in nested objects and arrays, keeping static values', () => {
    const r = render({
      filter: { ids: ['{{seq}}', 'k-{{seq}}', 3], deep: [{ tag: '{{pick a}}', on: false }] },
      'a key': 'x "{{seq}}" \n',
      limit: 5,
    });
    expect(r(9)).toEqual({ filter: { ids: [9, 'k-9', 3], deep: [{ tag: 'a', on: false }] }, 'a key': 'x "9" \n', limit: 5 });
  });

  it('escapes literal text around templates so the JSON stays valid', () => {
    const literal = 'quote " backslash \\ tab \t nl \n emoji 🚀 ctrl \u0001';
    const r = render({ v: `${literal}{{seq}}${literal}` });
    expect(r(1).v).toBe(`${literal}1${literal}`);
  });

  it('depends only on the seed and seq: same seed, same params in any order; another seed differs', () => {
    const args = { q: 'item-{{seq}}-{{randString 8}}', n: '{{randInt 1 1000000}}', id: '{{uuid}}', l: '{{pick a b c d}}' };
    const a = compileArgsTemplate(args, at).bind(42);
    const b = compileArgsTemplate(args, at).bind(42);
    const c = compileArgsTemplate(args, at).bind(43);
    const forward = Array.from({ length: 200 }, (_, seq) => a(seq));
    const backward = Array.from({ length: 200 }, (_, i) => b(199 - i)).reverse();
    expect(backward).toEqual(forward);
    const other = Array.from({ length: 200 }, (_, seq) => c(seq));
    expect(other.filter((p, i) => p === forward[i]).length).toBe(0);
    expect(new Set(forward).size).toBe(200);
  });

  it('prints the cost of params(seq) for a static and a templated call', () => {
    const prefix = '{"name":"search","arguments":';
    const staticParams = compileArgsTemplate({ q: 'mcp', limit: 10, lang: 'en' }, at).bind(1, prefix, '}');
    const templated = compileArgsTemplate(
      { q: 'item-{{seq}}', limit: '{{randInt 1 50}}', lang: '{{pick en de fr}}', id: '{{randString 12}}' },
      at,
    ).bind(1, prefix, '}');
    const seqOnly = compileArgsTemplate({ q: 'item-{{seq}}', limit: 10 }, at).bind(1, prefix, '}');
    const withUuid = compileArgsTemplate({ id: '{{uuid}}' }, at).bind(1, prefix, '}');
    const costNs = (f: (seq: number) => string): number => {
      const n = 300_000;
      let chars = 0;
      for (let i = 0; i < n; i++) chars += f(i).length; // warm-up
      const t0 = performance.now();
      for (let i = 0; i < n; i++) chars += f(i).length;
      expect(chars).toBeGreaterThan(0);
      return ((performance.now() - t0) * 1e6) / n;
    };
    const line = (label: string, f: (seq: number) => string): string => `${label}: ${costNs(f).toFixed(0)} ns/params`;
    console.log(
      [line('static', staticParams), line('{{seq}} only', seqOnly), line('seq+randInt+pick+randString 12', templated), line('uuid', withUuid)].join('; '),
    );
    expect(JSON.parse(templated(3))).toMatchObject({ name: 'search', arguments: { q: 'item-3' } });
  });
});

describe('template errors name the field and say what to write', () => {
  it.each([
    [{ q: '{{foo}}' }, 'args.q', 'unknown template function "foo"'],
    [{ q: 'x{{}}' }, 'args.q', 'empty template in "{{}}"'],
    [{ q: 'x{{seq' }, 'args.q', '"{{" is not closed by "}}"'],
    [{ q: '{{seq 1}}' }, 'args.q', 'seq takes no arguments'],
    [{ q: '{{uuid v4}}' }, 'args.q', 'uuid takes no arguments'],
    [{ q: '{{randInt 1}}' }, 'args.q', 'randInt needs two integers A ≤ B'],
    [{ q: '{{randInt 5 1}}' }, 'args.q', 'randInt needs two integers A ≤ B'],
    [{ q: '{{randInt 1.5 3}}' }, 'args.q', 'randInt needs two integers'],
    [{ q: '{{randInt "1" 3}}' }, 'args.q', 'randInt needs two integers'],
    [{ q: `{{randInt 0 ${2 ** 60}}}` }, 'args.q', 'randInt needs two integers'],
    [{ q: '{{randString 0}}' }, 'args.q', `randString needs one length from 1 to ${MAX_RAND_STRING_CHARS}`],
    [{ q: `{{randString ${MAX_RAND_STRING_CHARS + 1}}}` }, 'args.q', 'randString needs one length'],
    [{ q: '{{randString}}' }, 'args.q', 'randString needs one length'],
    [{ q: '{{pick}}' }, 'args.q', 'pick needs at least one word'],
    [{ q: '{{pick "a b}}' }, 'args.q', '"{{" is not closed'],
    [{ q: '{{pick a"b}}' }, 'args.q', 'a double quote inside a word'],
    [{ q: '{{"seq"}}' }, 'args.q', 'the function name must not be quoted'],
    [{ deep: [{ q: 'ok' }, { 'a-b': ['{{nope}}'] }] }, 'args.deep[1]["a-b"][0]', 'unknown template function "nope"'],
  ])('%j → %s: %s', (args, path, problem) => {
    const err = errorOf(args);
    expect(err.message).toContain(`Workload file w.yaml, operations[0].${path}: `);
    expect(err.message).toContain(problem);
    expect(err.message).toContain('{{randInt A B}}');
  });

  it('refuses values that are not JSON', () => {
    expect(errorOf({ n: Infinity }).message).toContain('operations[0].args.n: Infinity is not a JSON number');
    expect(errorOf({ f: () => 1 }).message).toContain('args.f: a function is not a JSON value');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorOf(cyclic).message).toContain('nest deeper than');
  });
});
