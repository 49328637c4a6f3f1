import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadWorkloadFile } from '../../src/workload/workloadFile.js';
import type { WorkloadEntry } from '../../src/workload/workloadSpec.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-opt-workload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Write `text` to a fresh file with extension `ext` and return its path. */
function file(ext: string, text: string): string {
  const path = join(dir, `w${counter++}${ext}`);
  writeFileSync(path, text);
  return path;
}

async function errorOf(path: string): Promise<UsageError> {
  try {
    await loadWorkloadFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toContain(`Workload file ${path}`);
    return err as UsageError;
  }
  throw new Error(`expected ${path} to be rejected`);
}

/** Entries as plain data: the compiled template reduced to what it renders for seq 4. */
function plain(entries: WorkloadEntry[]): unknown[] {
  return entries.map((e) => (e.kind === 'call' ? { kind: e.kind, name: e.name, weight: e.weight, params: e.template.bind(1)(4), origin: e.origin } : e));
}

const YAML_EXAMPLE = `# a weighted mix
seed: 42
operations:
  - call: search
    weight: 3
    args: { q: "item-{{seq}}", limit: "{{randInt 7 7}}", lang: "{{pick en}}", nested: [{ id: "{{seq}}" }] }
  - method: ping
    weight: 1
  - call: auto
  - method: discover
`;

describe('loadWorkloadFile: formats', () => {
  it('reads YAML (.yaml and .yml) with seed, weights, templates, methods and auto', async () => {
    for (const ext of ['.yaml', '.yml']) {
      const path = file(ext, YAML_EXAMPLE);
      const spec = await loadWorkloadFile(path);
      expect(spec.seed).toBe(42);
      expect(plain(spec.entries)).toEqual([
        { kind: 'call', name: 'search', weight: 3, params: '{"q":"item-4","limit":7,"lang":"en","nested":[{"id":4}]}', origin: `Workload file ${path}, operations[0]` },
        { kind: 'method', method: 'ping', weight: 1, origin: `Workload file ${path}, operations[1]` },
        { kind: 'auto', origin: `Workload file ${path}, operations[2]` },
        { kind: 'method', method: 'discover', weight: 1, origin: `Workload file ${path}, operations[3]` },
      ]);
    }
  });

  it('reads JSON and JSONC (comments, trailing commas, BOM); seed is undefined when absent', async () => {
    const json = file('.json', '{"operations":[{"call":"echo","args":{"message":"hi {{seq}}"}}]}');
    const jsonc = file('.jsonc', '\uFEFF{\n  // calls\n  "operations": [\n    { "call": "echo", "weight": 0.5, }, /* and */ { "method": "tools/list" },\n  ],\n}\n');
    const a = await loadWorkloadFile(json);
    expect(a.seed).toBeUndefined();
    expect(plain(a.entries)).toEqual([{ kind: 'call', name: 'echo', weight: 1, params: '{"message":"hi 4"}', origin: `Workload file ${json}, operations[0]` }]);
    const b = await loadWorkloadFile(jsonc);
    expect(plain(b.entries)).toEqual([
      { kind: 'call', name: 'echo', weight: 0.5, params: '{}', origin: `Workload file ${jsonc}, operations[0]` },
      { kind: 'method', method: 'tools/list', weight: 1, origin: `Workload file ${jsonc}, operations[1]` },
    ]);
  });

  it('refuses a missing file, a directory and an unknown extension', async () => {
    expect((await errorOf(join(dir, 'missing.yaml'))).message).toContain('no such file');
    const sub = join(dir, 'sub.json');
    mkdirSync(sub);
    expect((await errorOf(sub)).message).toContain('is a directory');
    expect((await errorOf(file('.toml', 'x = 1'))).message).toContain('unknown format ".toml"; name the file .json, .jsonc, .yaml or .yml');
  });

  it('refuses syntax errors, duplicate keys and prototype keys in JSON and YAML', async () => {
    expect((await errorOf(file('.json', '{"operations": [}'))).message).toMatch(/invalid JSON at line 1, column \d+/);
    expect((await errorOf(file('.json', '{"operations": [], "operations": []}'))).message).toContain('key "operations" appears twice');
    expect((await errorOf(file('.json', '{"operations": [{"call": "a", "args": {"__proto__": {}}}]}'))).message).toContain('key "__proto__"');
    expect((await errorOf(file('.yaml', 'operations: [\n'))).message).toMatch(/invalid YAML at line \d+, column \d+: /);
    expect((await errorOf(file('.yaml', 'operations:\n  - call: a\n    call: b\n'))).message).toContain('key "call" appears twice (second at line 3, column 5). Keep one.');
    expect((await errorOf(file('.yaml', 'operations:\n  - call: a\n    args: { constructor: 1 }\n'))).message).toContain('key "constructor" is not allowed');
    expect((await errorOf(file('.yaml', 'a: 1\n---\nb: 2\n'))).message).toContain('holds more than one YAML document ("---" at line 2); keep one.');
  });

  it('explains an unquoted YAML template (a flow map used as a key)', async () => {
    const err = await errorOf(file('.yaml', 'operations:\n  - call: a\n    args:\n      q: {{seq}}\n'));
    expect(err.message).toContain('line 4, column 11: a map or list used as a key, usually an unquoted template; quote templates in YAML');
  });
});

describe('loadWorkloadFile: validation names the file, the operation and the field', () => {
  const cases: Array<[string, string, string]> = [
    ['top level not an object', '[1]', 'the top level must be an object with an "operations" list'],
    ['empty YAML', '', 'the top level must be an object'],
    ['unknown top-level key', 'operations: [{ method: ping }]\nrps: 5', 'unknown key "rps" at the top level; the keys are seed and operations'],
    ['seed not an integer', 'seed: 1.5\noperations: [{ method: ping }]', '"seed" must be an integer from 0 to 4294967295, not 1.5'],
    ['seed negative', 'seed: -1\noperations: [{ method: ping }]', '"seed" must be an integer'],
    ['seed a string', 'seed: "42"\noperations: [{ method: ping }]', 'not "42"'],
    ['operations missing', 'seed: 1', '"operations" must be a non-empty list'],
    ['operations empty', 'operations: []', '"operations" must be a non-empty list'],
    ['operations an object', 'operations: { call: a }', '"operations" must be a non-empty list'],
    ['operation not an object', 'operations: [ping]', 'operations[0]: must be an object such as { call: search, weight: 2 } or { method: ping }, not "ping"'],
    ['unknown operation key', 'operations: [{ method: ping }, { call: a, wieght: 2 }]', 'operations[1]: unknown key "wieght"; the keys are call, method, weight and args'],
    ['neither call nor method', 'operations: [{ weight: 2 }]', 'operations[0]: give "call" (a tool name, or auto) or "method" (ping, tools/list or discover)'],
    ['both call and method', 'operations: [{ call: a, method: ping }]', 'operations[0]: has both "call" and "method"'],
    ['weight zero', 'operations: [{ call: a, weight: 0 }]', 'operations[0].weight: must be a positive number such as 1, 3 or 0.5, not 0'],
    ['weight negative', 'operations: [{ method: ping, weight: -1 }]', 'operations[0].weight: must be a positive number'],
    ['weight a string', 'operations: [{ call: a, weight: "3" }]', 'operations[0].weight: must be a positive number such as 1, 3 or 0.5, not "3"'],
    ['weight infinite', 'operations: [{ call: a, weight: .inf }]', 'operations[0].weight: must be a positive number'],
    ['method unknown', 'operations: [{ method: tools/call }]', 'operations[0].method: "tools/call" is not a method bench sends; use ping, tools/list or discover'],
    ['method with args', 'operations: [{ method: ping, args: {} }]', 'operations[0].args: only a "call" takes arguments'],
    ['call empty', 'operations: [{ call: "" }]', 'operations[0].call: must be a tool name (a non-empty string without spaces) or auto, not ""'],
    ['call with a space', 'operations: [{ call: "my tool" }]', 'operations[0].call: must be a tool name'],
    ['call a number', 'operations: [{ call: 7 }]', 'operations[0].call: must be a tool name (a non-empty string without spaces) or auto, not 7'],
    ['auto with weight', 'operations: [{ call: auto, weight: 2 }]', 'operations[0]: "call: auto" takes neither weight nor args'],
    ['auto with args', 'operations: [{ call: auto, args: {} }]', 'operations[0]: "call: auto" takes neither weight nor args'],
    ['args a list', 'operations: [{ call: a, args: [1] }]', 'operations[0].args: must be an object of tool arguments such as { q: "x" }, not [1]'],
    ['args a string', 'operations: [{ call: a, args: "q=1" }]', 'operations[0].args: must be an object of tool arguments'],
    ['args with a non-finite number', 'operations: [{ call: a, args: { n: .nan } }]', 'operations[0].args.n: NaN is not a JSON number'],
    ['unknown template function', 'operations: [{ method: ping }, { call: a, args: { q: "{{random}}" } }]', 'operations[1].args.q: unknown template function "random"'],
    ['bad template arguments', 'operations: [{ call: a, args: { f: { n: ["{{randInt 9 1}}"] } } }]', 'operations[0].args.f.n[0]: randInt needs two integers A ≤ B'],
  ];
  it.each(cases)('%s', async (_label, yaml, message) => {
    const err = await errorOf(file('.yaml', yaml));
    expect(err.message).toContain(message);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('gives the same errors for JSON', async () => {
    const path = file('.json', '{"operations":[{"method":"ping"},{"call":"a","weight":"2"}]}');
    expect((await errorOf(path)).message).toContain(`Workload file ${path}, operations[1].weight: must be a positive number such as 1, 3 or 0.5, not "2".`);
  });
});
