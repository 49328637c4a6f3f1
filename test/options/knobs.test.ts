import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { checkKnobs, knobsFromConfig, parseKnob } from '../../src/options/knobs.js';

/** The UsageError message `fn` throws (fails the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseKnob: forms', () => {
  it('parses builtins', () => {
    expect(parseKnob('concurrency=1,2,4,8', '--knob')).toEqual({ id: 'concurrency', kind: 'builtin', name: 'concurrency', file: null, values: [1, 2, 4, 8] });
    expect(parseKnob('pool=1,2,4', '--knob').values).toEqual([1, 2, 4]);
    expect(parseKnob('balance=round-robin,least-inflight,latency-ewma', '--knob').values).toEqual(['round-robin', 'least-inflight', 'latency-ewma']);
    expect(parseKnob('batch=1,8,32', '--knob').values).toEqual([1, 8, 32]);
    expect(parseKnob('batchDelay=0,0.5,2', '--knob').values).toEqual([0, 0.5, 2]);
  });

  it('parses env knobs', () => {
    expect(parseKnob('env:WORKERS=1,2', '--knob')).toEqual({ id: 'env:WORKERS', kind: 'env', name: 'WORKERS', file: null, values: [1, 2] });
  });

  it('parses arg knobs, splitting at the first = after the flag', () => {
    expect(parseKnob('arg:--threads=2,4', '--knob')).toEqual({ id: 'arg:--threads', kind: 'arg', name: '--threads', file: null, values: [2, 4] });
    expect(parseKnob('arg:-m=a=b', '--knob').values).toEqual(['a=b']);
  });

  it('parses file knobs, splitting at the last = (paths may hold : and =)', () => {
    expect(parseKnob('file:server.json#/pool/max=4,8', '--knob')).toEqual({ id: 'file:server.json#/pool/max', kind: 'file', name: '/pool/max', file: 'server.json', values: [4, 8] });
    const k = parseKnob('file:C:\\cfg\\a=b.json#/x~1y=1', '--knob');
    expect(k.file).toBe('C:\\cfg\\a=b.json');
    expect(k.name).toBe('/x~1y');
  });

  it('types values: numbers, booleans, quoted strings, bare strings; dedupes in order', () => {
    expect(parseKnob('env:X=1,-2,2.5,true,false,"a,b","7",fast,1', '--knob').values).toEqual([1, -2, 2.5, true, false, 'a,b', '7', 'fast']);
  });

  it('expands doubling ranges, ending at B', () => {
    expect(parseKnob('env:W=1..12', '--knob').values).toEqual([1, 2, 4, 8, 12]);
    expect(parseKnob('concurrency=1..8', '--knob').values).toEqual([1, 2, 4, 8]);
    expect(parseKnob('pool=3..3', '--knob').values).toEqual([3]);
    expect(parseKnob('env:W=1..4,6', '--knob').values).toEqual([1, 2, 4, 6]);
  });
});

describe('parseKnob: errors name the knob and show an example', () => {
  it('no values', () => {
    expect(errorOf(() => parseKnob('env:WORKERS', '--knob'))).toBe('--knob "env:WORKERS": no values; write env:WORKERS=1,2,4');
    expect(errorOf(() => parseKnob('concurrency=', '--knob'))).toMatch(/no values; write concurrency=1,2,4,8/);
  });

  it('empty value between commas', () => {
    expect(errorOf(() => parseKnob('pool=1,,2', 'config tune.knobs[2]'))).toMatch(/^config tune.knobs\[2\] "pool=1,,2": an empty value between commas; write pool=1,2,4/);
  });

  it('more than 64 values', () => {
    const many = Array.from({ length: 65 }, (_, i) => i + 1).join(',');
    expect(errorOf(() => parseKnob(`env:W=${many}`, '--knob'))).toMatch(/more than 64 values/);
    // Duplicates do not count: 64 distinct values after 10 repeats are fine.
    const dup = `${Array(10).fill(1).join(',')},${Array.from({ length: 64 }, (_, i) => i + 1).join(',')}`;
    expect(parseKnob(`env:W=${dup}`, '--knob').values).toHaveLength(64);
  });

  it('unknown builtin lists the builtins and the env:/arg:/file: forms', () => {
    const m = errorOf(() => parseKnob('workers=1,2', '--knob'));
    expect(m).toMatch(/unknown knob "workers"/);
    for (const s of ['pool', 'concurrency', 'balance', 'batch', 'batchDelay', 'env:', 'arg:', 'file:']) expect(m).toContain(s);
  });

  it('bad env name, bad flag, file without pointer, bad pointer escape', () => {
    expect(errorOf(() => parseKnob('env:1X=1', '--knob'))).toMatch(/not an environment variable name.*env:WORKERS=1,2,4/);
    expect(errorOf(() => parseKnob('arg:threads=1', '--knob'))).toMatch(/must start with '-'.*arg:--threads=2,4/);
    expect(errorOf(() => parseKnob('file:server.json=1', '--knob'))).toMatch(/no JSON Pointer.*file:server.json#\/pool\/max=4,8/);
    expect(errorOf(() => parseKnob('file:#/a=1', '--knob'))).toMatch(/no file/);
    expect(errorOf(() => parseKnob('file:s.json#/a~2=1', '--knob'))).toMatch(/RFC 6901/);
  });

  it('builtin ranges', () => {
    expect(errorOf(() => parseKnob('pool=0,1', '--knob'))).toMatch(/pool 0 must be an integer from 1 to 256; write pool=1,2,4/);
    expect(errorOf(() => parseKnob('pool=257', '--knob'))).toMatch(/from 1 to 256/);
    expect(errorOf(() => parseKnob('concurrency=1.5', '--knob'))).toMatch(/integer from 1 to 100000/);
    expect(errorOf(() => parseKnob('concurrency=200000', '--knob'))).toMatch(/integer from 1 to 100000/);
    expect(errorOf(() => parseKnob('batch=0', '--knob'))).toMatch(/integer from 1 to 10000/);
    expect(errorOf(() => parseKnob('batchDelay=-1', '--knob'))).toMatch(/0 to 1000/);
    expect(errorOf(() => parseKnob('batchDelay=1001', '--knob'))).toMatch(/0 to 1000/);
    expect(errorOf(() => parseKnob('balance=random', '--knob'))).toMatch(/must be one of round-robin, least-inflight, latency-ewma/);
  });

  it('bad ranges and quotes', () => {
    expect(errorOf(() => parseKnob('env:W=8..2', '--knob'))).toMatch(/1 ≤ A ≤ B/);
    expect(errorOf(() => parseKnob('env:W=0..4', '--knob'))).toMatch(/1 ≤ A ≤ B/);
    expect(errorOf(() => parseKnob('env:W="abc', '--knob'))).toMatch(/not a valid quoted string/);
  });
});

describe('knobsFromConfig', () => {
  it('accepts an array of knob strings, naming the entry in errors', () => {
    expect(knobsFromConfig(['concurrency=1,2', 'env:W=1..4'], 'mcp-opt.json').map((k) => [k.id, k.values])).toEqual([
      ['concurrency', [1, 2]],
      ['env:W', [1, 2, 4]],
    ]);
    expect(errorOf(() => knobsFromConfig(['pool=1', 'pool='], 'mcp-opt.json'))).toMatch(/^config mcp-opt.json: tune.knobs\[1\] "pool=": no values/);
    expect(errorOf(() => knobsFromConfig([3], 'mcp-opt.json'))).toMatch(/tune.knobs\[0\] must be a knob string/);
  });

  it('accepts an object of arrays or value strings', () => {
    const knobs = knobsFromConfig({ concurrency: [1, 2, 4], 'env:WORKERS': '1,2', 'file:srv.json#/pool/max': [4, 8], 'env:MODE': ['1..4', true] }, 'c.json');
    expect(knobs.map((k) => [k.id, k.values])).toEqual([
      ['concurrency', [1, 2, 4]],
      ['env:WORKERS', [1, 2]],
      ['file:srv.json#/pool/max', [4, 8]],
      // Array entries are typed JSON already: a string stays a string.
      ['env:MODE', ['1..4', true]],
    ]);
    expect(knobs[2]!.file).toBe('srv.json');
  });

  it('checks object values like flags', () => {
    expect(errorOf(() => knobsFromConfig({ pool: [0] }, 'c.json'))).toMatch(/tune.knobs.pool: pool 0 must be an integer/);
    expect(errorOf(() => knobsFromConfig({ pool: [] }, 'c.json'))).toMatch(/no values; write pool=1,2,4/);
    expect(errorOf(() => knobsFromConfig({ pool: [{}] }, 'c.json'))).toMatch(/not a number, string or boolean/);
    expect(errorOf(() => knobsFromConfig({ pool: 4 }, 'c.json'))).toMatch(/must be an array of values or a string/);
    expect(errorOf(() => knobsFromConfig({ nope: [1] }, 'c.json'))).toMatch(/unknown knob "nope"/);
    expect(errorOf(() => knobsFromConfig('pool=1', 'c.json'))).toMatch(/must be an array of knob strings/);
  });

  it('treats an absent section as no knobs', () => {
    expect(knobsFromConfig(undefined, 'c.json')).toEqual([]);
  });
});

describe('checkKnobs', () => {
  it('rejects the same id twice and accepts an empty list', () => {
    expect(() => checkKnobs([])).not.toThrow();
    expect(() => checkKnobs([parseKnob('pool=1', 'a'), parseKnob('concurrency=1', 'b')])).not.toThrow();
    expect(errorOf(() => checkKnobs([parseKnob('env:W=1', 'a'), parseKnob('env:W=2', 'b')]))).toMatch(/knob "env:W" is given twice/);
  });
});
