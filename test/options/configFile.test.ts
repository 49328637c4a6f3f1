import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/errors.js';
import { CONFIG_NAMES, field, loadConfig } from '../../src/options/configFile.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-opt-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Await `p`, expect a UsageError (exit 2), and return its message. */
async function usageMessage(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => {
      throw new Error('expected a UsageError');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(EXIT_CODES.USAGE);
  return (err as UsageError).message;
}

describe('loadConfig: finding the file', () => {
  it('returns null when no config is in the working directory', async () => {
    expect(await loadConfig(undefined, dir)).toBeNull();
  });

  it('looks for .json, then .yaml, then .yml', async () => {
    expect(CONFIG_NAMES).toEqual(['mcp-opt.config.json', 'mcp-opt.config.yaml', 'mcp-opt.config.yml']);
    const yml = write('mcp-opt.config.yml', 'from: yml\n');
    expect(await loadConfig(undefined, dir)).toEqual({ path: yml, data: { from: 'yml' } });
    const yaml = write('mcp-opt.config.yaml', 'from: yaml\n');
    expect(await loadConfig(undefined, dir)).toEqual({ path: yaml, data: { from: 'yaml' } });
    const json = write('mcp-opt.config.json', '{"from": "json"}');
    expect(await loadConfig(undefined, dir)).toEqual({ path: json, data: { from: 'json' } });
  });

  it('loads the file named with --config, relative to cwd, over the default names', async () => {
    write('mcp-opt.config.json', '{"from": "default"}');
    mkdirSync(join(dir, 'conf'));
    const path = write('conf/ci.yaml', 'budgets:\n  - coldStart.p50<400ms\n');
    expect(await loadConfig('conf/ci.yaml', dir)).toEqual({ path, data: { budgets: ['coldStart.p50<400ms'] } });
  });

  it('a missing --config file is a usage error naming it', async () => {
    const msg = await usageMessage(loadConfig('nope.json', dir));
    expect(msg).toContain('--config nope.json: no such file');
  });

  it('--config naming a directory is a usage error, not an internal error', async () => {
    mkdirSync(join(dir, 'confdir'));
    const msg = await usageMessage(loadConfig('confdir', dir));
    expect(msg).toContain('confdir');
  });
});

describe('loadConfig: JSON (JSONC)', () => {
  it('accepts comments and trailing commas', async () => {
    write('mcp-opt.config.json', '// budgets for CI\n{\n  /* block */ "budgets": ["errors<1%",],\n  "analyze": { "runs": 5, },\n}\n');
    expect((await loadConfig(undefined, dir))!.data).toEqual({ budgets: ['errors<1%'], analyze: { runs: 5 } });
  });

  it('tolerates a UTF-8 byte-order mark', async () => {
    write('mcp-opt.config.json', '\uFEFF{"a": 1}');
    expect((await loadConfig(undefined, dir))!.data).toEqual({ a: 1 });
  });

  it('rejects a duplicate key, naming the key and the line of the second one', async () => {
    write('mcp-opt.config.json', '{\n  "budgets": ["a<1"],\n  "budgets": ["b<2"]\n}');
    const msg = await usageMessage(loadConfig(undefined, dir));
    expect(msg).toContain('key "budgets" appears twice (second at line 3, column 3)');
  });

  it('rejects a duplicate key in a nested object', async () => {
    write('mcp-opt.config.json', '{"analyze": {"runs": 1,\n"runs": 2}}');
    expect(await usageMessage(loadConfig(undefined, dir))).toContain('key "runs" appears twice (second at line 2, column 1)');
  });

  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`rejects a "${key}" key and leaves Object.prototype alone`, async () => {
      write('mcp-opt.config.json', `{"analyze": {\n  "${key}": {"polluted": true}}}`);
      const msg = await usageMessage(loadConfig(undefined, dir));
      expect(msg).toContain(`key "${key}" at line 2, column 3 is not allowed`);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  }

  it('reports invalid JSON with its line and column and the file path', async () => {
    const path = write('mcp-opt.config.json', '{\n  "a": 1,\n  "b": }');
    const msg = await usageMessage(loadConfig(undefined, dir));
    expect(msg).toContain(path);
    expect(msg).toContain('invalid JSON at line 3, column 8');
  });

  it('rejects an empty file', async () => {
    write('mcp-opt.config.json', '');
    expect(await usageMessage(loadConfig(undefined, dir))).toContain('invalid JSON');
  });

  for (const [what, text] of [['an array', '[1, 2]'], ['null', 'null'], ['a string', '"x"']] as const) {
    it(`rejects ${what} at the top level`, async () => {
      write('mcp-opt.config.json', text);
      expect(await usageMessage(loadConfig(undefined, dir))).toContain('the top level must be an object');
    });
  }
});

describe('loadConfig: YAML', () => {
  it('parses mappings and lists', async () => {
    write('mcp-opt.config.yaml', 'budgets:\n  - coldStart.p50<400ms\n  - errors<1%\nanalyze:\n  runs: 3\n');
    expect((await loadConfig(undefined, dir))!.data).toEqual({ budgets: ['coldStart.p50<400ms', 'errors<1%'], analyze: { runs: 3 } });
  });

  it('tolerates a byte-order mark', async () => {
    write('mcp-opt.config.yml', '\uFEFFa: 1\n');
    expect((await loadConfig(undefined, dir))!.data).toEqual({ a: 1 });
  });

  it('rejects a duplicate key with its line', async () => {
    write('mcp-opt.config.yaml', 'budgets:\n  - a<1\nbudgets:\n  - b<2\n');
    expect(await usageMessage(loadConfig(undefined, dir))).toMatch(/appears twice.*line 3/);
  });

  it('names the duplicated YAML key', async () => {
    write('mcp-opt.config.yaml', 'budgets:\n  - a<1\nbudgets:\n  - b<2\n');
    expect(await usageMessage(loadConfig(undefined, dir))).toContain('"budgets"');
  });

  for (const key of ['__proto__', 'constructor']) {
    it(`rejects a "${key}" key, also nested, and leaves Object.prototype alone`, async () => {
      write('mcp-opt.config.yaml', `analyze:\n  ${key}:\n    polluted: true\n`);
      expect(await usageMessage(loadConfig(undefined, dir))).toContain(`key "${key}" is not allowed`);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  }

  it('reports invalid YAML with its line', async () => {
    write('mcp-opt.config.yaml', 'a: [1\n');
    expect(await usageMessage(loadConfig(undefined, dir))).toMatch(/invalid YAML: .*line \d+/);
  });

  it('rejects a top-level list', async () => {
    write('mcp-opt.config.yaml', '- a\n- b\n');
    expect(await usageMessage(loadConfig(undefined, dir))).toContain('the top level must be an object');
  });
});

describe('field', () => {
  const obj = { s: 'x', n: 3, b: false, a: [1], o: { k: 1 }, nul: null };

  it('returns the value when the type matches, undefined when absent', () => {
    expect(field<string>(obj, 's', 'string', 'config c.json')).toBe('x');
    expect(field<number>(obj, 'n', 'number', 'config c.json')).toBe(3);
    expect(field<boolean>(obj, 'b', 'boolean', 'config c.json')).toBe(false);
    expect(field<number[]>(obj, 'a', 'array', 'config c.json')).toEqual([1]);
    expect(field<object>(obj, 'o', 'object', 'config c.json')).toEqual({ k: 1 });
    expect(field(obj, 'missing', 'string', 'config c.json')).toBeUndefined();
  });

  const wrong: Array<[string, 'string' | 'number' | 'boolean' | 'array' | 'object', string]> = [
    ['n', 'string', 'config c.json: "n" must be a string.'],
    ['s', 'number', 'config c.json: "s" must be a number.'],
    ['n', 'boolean', 'config c.json: "n" must be a boolean.'],
    ['o', 'array', 'config c.json: "o" must be an array.'],
  ];
  for (const [key, type, message] of wrong) {
    it(`rejects "${key}" as ${type}, naming the file and key`, () => {
      expect(() => field(obj, key, type, 'config c.json')).toThrow(UsageError);
      expect(() => field(obj, key, type, 'config c.json')).toThrow(message);
    });
  }

  it('rejects an array or null where an object is expected', () => {
    expect(() => field(obj, 'a', 'object', 'config c.json')).toThrow(UsageError);
    expect(() => field(obj, 'nul', 'object', 'config c.json')).toThrow(UsageError);
  });

  it('says "must be an object" for the object type', () => {
    expect(() => field(obj, 'a', 'object', 'config c.json')).toThrow('config c.json: "a" must be an object.');
  });
});
