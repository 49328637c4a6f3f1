import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { toolNamesOf, workloadFromFlags, type WorkloadEntry } from '../../src/workload/workloadSpec.js';

/** Entries without the compiled template, for comparison. */
function plain(entries: WorkloadEntry[]): unknown[] {
  return entries.map((e) => (e.kind === 'call' ? { ...e, template: { templated: e.template.templated } } : e));
}

function errorOf(flags: { method?: string; calls: string[] }): UsageError {
  try {
    workloadFromFlags({ ...flags, seed: 1 });
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  }
  throw new Error(`expected ${JSON.stringify(flags)} to be rejected`);
}

describe('workloadFromFlags', () => {
  it('gives no entries (the era default) without --method or --call, and keeps the seed', () => {
    expect(workloadFromFlags({ calls: [], seed: 9 })).toEqual({ entries: [], seed: 9 });
  });

  it.each(['ping', 'tools/list', 'discover'])('takes --method %s with weight 1', (method) => {
    expect(workloadFromFlags({ method, calls: [], seed: 1 }).entries).toEqual([{ kind: 'method', method, weight: 1, origin: `--method ${method}` }]);
  });

  it('turns --call values into weighted calls, marking templated arguments', () => {
    const spec = workloadFromFlags({ calls: ['echo', 'search:3={"q":"item-{{seq}}"}', 'get:0.5={"id":7}'], seed: 1 });
    expect(plain(spec.entries)).toEqual([
      { kind: 'call', name: 'echo', weight: 1, args: {}, template: { templated: false }, origin: "--call 'echo'" },
      { kind: 'call', name: 'search', weight: 3, args: { q: 'item-{{seq}}' }, template: { templated: true }, origin: `--call 'search:3={"q":"item-{{seq}}"}'` },
      { kind: 'call', name: 'get', weight: 0.5, args: { id: 7 }, template: { templated: false }, origin: `--call 'get:0.5={"id":7}'` },
    ]);
    const search = spec.entries[1];
    expect(search?.kind === 'call' && search.template.bind(0)(5)).toBe('{"q":"item-5"}');
  });

  it('combines --method with calls, and --call auto with named calls (auto once)', () => {
    const spec = workloadFromFlags({ method: 'tools/list', calls: ['auto', 'search:2', 'auto'], seed: 1 });
    expect(spec.entries.map((e) => e.kind)).toEqual(['method', 'auto', 'call']);
    expect(spec.entries[1]).toEqual({ kind: 'auto', origin: "--call 'auto'" });
  });

  it.each([
    ['tools/call', 'use ping, tools/list or discover. To call a tool, use --call <name>.'],
    ['server/discover', 'Write it as discover.'],
    ['Ping', 'use ping, tools/list or discover.'],
    ['', 'use ping, tools/list or discover.'],
  ])('refuses --method %j', (method, advice) => {
    const err = errorOf({ method, calls: [] });
    expect(err.message).toContain(`--method '${method}' is not a method bench sends`);
    expect(err.message).toContain(advice);
  });

  it.each(['auto:2', 'auto={}', 'auto:1={"q":1}', 'auto='])('refuses %s: auto takes neither weight nor arguments', (raw) => {
    const err = errorOf({ calls: [raw] });
    expect(err.message).toContain(`--call '${raw}': "auto" takes neither a weight nor arguments`);
    expect(err.message).toContain('name the tools');
  });

  it('refuses invalid --call JSON through parseCallSpec, naming the flag', () => {
    const err = errorOf({ calls: ['search={q:1}'] });
    expect(err.message).toContain("--call 'search={q:1}' is not valid");
    expect(err.message).toContain('not valid JSON');
  });

  it('refuses a bad template in --call arguments, naming the flag and the argument', () => {
    const err = errorOf({ calls: ['search={"q":"{{rand}}"}'] });
    expect(err.message).toContain(`--call 'search={"q":"{{rand}}"}', args.q: unknown template function "rand"`);
  });
});

describe('toolNamesOf', () => {
  it('lists explicitly called tools once, in order, without methods or auto', () => {
    const spec = workloadFromFlags({ method: 'ping', calls: ['b', 'auto', 'a:2', 'b={"x":1}'], seed: 1 });
    expect(toolNamesOf(spec)).toEqual(['b', 'a']);
    expect(toolNamesOf(workloadFromFlags({ calls: ['auto'], seed: 1 }))).toEqual([]);
  });
});
