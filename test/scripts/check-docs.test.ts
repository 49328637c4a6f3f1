import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../scripts/check-docs.mjs');
let dir: string;

/** Runs the checker on a folder holding `files` (path under the folder → text). */
function check(files: Record<string, string>, ...flags: string[]): { code: number; out: string } {
  dir = mkdtempSync(join(tmpdir(), 'check-docs-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    return { code: 0, out: execFileSync(process.execPath, [script, '--src', dir, ...flags], { cwd: dir, encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/check-docs.mjs', () => {
  it('lists exports and fields without a /** */ doc, with a count per folder, and exits 1', () => {
    const { code, out } = check({
      'a/x.ts': [
        '/** Documented. */',
        'export function good(): void {}',
        '// A line comment is not a doc.',
        'export function bad(): void {}',
        'export const c1 = 1, c2 = 2;',
        '/** Documented. */',
        'export interface Shape {',
        '  /** Documented. */',
        '  ok: number;',
        '  missing: string;',
        '  /** Documented. */',
        '  nested: {',
        '    /** Documented. */',
        '    deep: number;',
        '    alsoMissing: boolean;',
        '  } | null;',
        '}',
        '/** Documented. */',
        'export type Pair = Array<{ left: number }>;',
        'function internal(): void {}',
        "export { internal };",
      ].join('\n'),
      'b.ts': 'export class K {}\n',
    });
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines).toContain('a/x.ts:4 bad');
    expect(lines).toContain('a/x.ts:5 c1');
    expect(lines).toContain('a/x.ts:5 c2');
    expect(lines).toContain('a/x.ts:10 Shape.missing');
    expect(lines).toContain('a/x.ts:15 Shape.nested.alsoMissing');
    expect(lines).toContain('a/x.ts:19 Pair.left');
    expect(lines).toContain('b.ts:1 K');
    expect(out).not.toMatch(/ (good|internal|Shape|Shape\.ok|Shape\.nested|Shape\.nested\.deep|Pair)$/m);
    expect(out).toMatch(/^ +a +6 +\(3 exports, 3 fields\)$/m);
    expect(out).toMatch(/^ +\. +1 +\(1 exports, 0 fields\)$/m);
    expect(out).toMatch(/^total 7 \(4 exports, 3 fields\)$/m);
  });

  it('prints only the counts with --summary', () => {
    const { code, out } = check({ 'x.ts': 'export const a = 1;\n' }, '--summary');
    expect(code).toBe(1);
    expect(out).not.toContain('x.ts:1');
    expect(out).toContain('total 1 (1 exports, 0 fields)');
  });

  it('exits 0 when everything is documented, one doc covering overloads', () => {
    const overloads = `/** Documented. */
export function f(a: string): string;
export function f(a: number): number;
export function f(a: unknown): unknown { return a; }
/** Documented. */
export enum E { A }
`;
    const { code, out } = check({ 'x.ts': overloads });
    expect(code).toBe(0);
    expect(out).toContain('total 0 (0 exports, 0 fields)');
  });
});
