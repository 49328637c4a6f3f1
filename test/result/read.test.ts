/**
 * Reading saved results is reading untrusted input: a newer schema, broken
 * JSON, a wrong kind, prototype keys and runaway nesting are refused with a usage error (exit 2)
 * naming the file; folders yield their results, not tune's patch files; a saved merge yields its merged result.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadBaseline, loadInputs, readResult } from '../../src/result/read.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'mcpopt-read-'));
}

/** A minimal bench-shaped result. */
function bench(createdAt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemaVersion: 1, kind: 'bench', createdAt, target: {}, requests: {}, throughput: {}, timeline: [], budgets: [], ...extra };
}

function write(d: string, name: string, value: unknown): string {
  const p = join(d, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('readResult refuses what is not a result it can read', () => {
  const d = dir();
  it.each([
    ['a newer schema', { ...bench('2026-01-01'), schemaVersion: 2 }, /newer mcp-opt \(result schema 2; this one reads 1\)\. Upgrade/],
    ['broken JSON', '{"schemaVersion": 1, "kind": ', /not valid JSON/],
    ['no schemaVersion', { kind: 'bench' }, /no schemaVersion and kind/],
    ['another kind', { schemaVersion: 1, kind: 'comparison' }, /"comparison" file; report reads analyze, bench and tune/],
    ['a missing section', { schemaVersion: 1, kind: 'bench', createdAt: 'x', target: {} }, /bench result without requests/],
    ['a __proto__ key', `{"schemaVersion":1,"kind":"bench","__proto__":{"polluted":true}}`, /"__proto__" key/],
    ['a constructor key deep inside', bench('x', { timeline: [{ constructor: { prototype: 1 } }] }), /"constructor" key/],
    ['nesting 200 levels deep', `${'['.repeat(200)}${']'.repeat(200)}`, /no schemaVersion|deeper than/],
  ])('%s', (_name, value, message) => {
    const file = write(d, `r-${Math.random().toString(36).slice(2)}.json`, value);
    expect(refusal(() => readResult(file))).toMatch(message);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a missing file names the path and what to give', () => {
    expect(refusal(() => readResult(join(d, 'nope.json')))).toMatch(/no such file .*nope\.json.*analyze, bench or tune/);
  });
});

describe('loadInputs and loadBaseline', () => {
  it('a folder gives every result in it, oldest first, skipping tune patch files; nothing named gives the newest in reports/', () => {
    const d = dir();
    write(d, 'bench-b.json', bench('2026-11-24T08:00:00Z'));
    write(d, 'bench-a.json', bench('2026-11-24T07:00:00Z'));
    write(d, 'tune-x.server-config-srv.yaml.json-patch.json', [{ op: 'replace', path: '/a', value: 1 }]);
    write(d, 'tune-x.client-entry.merge-patch.json', { env: { A: '1' } });
    const all = loadInputs([d], '/', join(d, 'none'));
    expect(all.map((r) => r.result.createdAt)).toEqual(['2026-11-24T07:00:00Z', '2026-11-24T08:00:00Z']);
    expect(loadInputs([], '/', d).map((r) => r.result.createdAt)).toEqual(['2026-11-24T08:00:00Z']);
    expect(refusal(() => loadInputs([], '/', join(d, 'none')))).toMatch(/Run mcp-opt analyze, bench or tune first/);
  });

  it('a merge saved by report --merge --format json reads as its merged bench result', () => {
    const d = dir();
    const merged = bench('2026-11-24T07:00:00Z', { config: { instances: 2 } });
    const file = write(d, 'merged.json', { mcpOpt: 'report', schemaVersion: 1, kind: 'merge', files: ['/w/1.json', '/w/2.json'], result: merged });
    expect(readResult(file).result).toEqual(merged);
    expect(loadBaseline(d, '/', 'bench').result).toEqual(merged);
    const newer = write(d, 'newer.json', { mcpOpt: 'report', schemaVersion: 1, kind: 'merge', files: [], result: { ...merged, schemaVersion: 2 } });
    expect(refusal(() => readResult(newer))).toMatch(/newer mcp-opt/);
    const results = write(d, 'results.json', { mcpOpt: 'report', schemaVersion: 1, kind: 'results', results: [{ file: 'a.json', result: merged }] });
    expect(refusal(() => readResult(results))).toMatch(/"results" file; report reads analyze, bench and tune/);
  });

  it('--compare with a folder takes its newest result of the same kind', () => {
    const d = dir();
    write(d, 'a.json', bench('2026-11-24T07:00:00Z'));
    write(d, 'b.json', bench('2026-11-24T09:00:00Z'));
    write(d, 'c.json', { schemaVersion: 1, kind: 'tune', createdAt: '2026-11-24T10:00:00Z', target: {}, space: {}, objective: {}, points: [] });
    expect(loadBaseline(d, '/', 'bench').result.createdAt).toBe('2026-11-24T09:00:00Z');
    expect(refusal(() => loadBaseline(d, '/', 'analyze'))).toMatch(/no analyze result in that folder/);
  });
});
