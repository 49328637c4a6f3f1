import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffLines } from 'diff';
import { editConfigText } from '../../src/patch/editText.js';
import type { ValueChange } from '../../src/patch/valueChange.js';
import { formatOf, parseConfigText } from '../../src/patch/formats.js';
import { editMcpClientEntry, type EntryChanges } from '../../src/patch/mcpClientEntry.js';
import { UsageError } from '../../src/errors.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), 'golden');

/** A golden case: the edit, the value it should read back as, and words every touched line must contain. */
interface Case {
  file: string;
  edit: (text: string, path: string) => string;
  expect: (before: any) => unknown;
  touched: string[];
}

const cases: Case[] = [
  {
    file: 'server-config.in.jsonc',
    edit: (t, p) =>
      editConfigText(t, 'jsonc', [
        { pointer: '/pool/size', value: 8 },
        { pointer: '/cache/ttlSeconds', value: 120 },
        { pointer: '/workers/1/threads', value: 4 },
        { pointer: '/pool/idleMs', value: 30000 },
      ], { path: p, allowCreate: true }),
    expect: (b) => ({ ...b, pool: { ...b.pool, size: 8, idleMs: 30000 }, cache: { ...b.cache, ttlSeconds: 120 }, workers: [b.workers[0], { ...b.workers[1], threads: 4 }] }),
    touched: ['"size"', '"ttlSeconds"', '"name": "b"', '"idleMs"'],
  },
  {
    file: 'server-config.in.yaml',
    edit: (t, p) =>
      editConfigText(t, 'yaml', [
        { pointer: '/server/port', value: 9090 },
        { pointer: '/server/host', value: '0.0.0.0' },
        { pointer: '/server/tags/1', value: 'lookup' },
        { pointer: '/cache/size', value: 512 },
        { pointer: '/logging/level', value: 'debug' },
      ], { path: p }),
    expect: (b) => ({
      ...b,
      server: { ...b.server, port: 9090, host: '0.0.0.0', tags: ['fast', 'lookup', 3] },
      cache: { ...b.cache, size: 512 },
      logging: { ...b.logging, level: 'debug' },
    }),
    touched: ['port', 'host', 'tags', 'size', 'level'],
  },
  {
    file: 'claude-client.in.json',
    edit: (t, p) => {
      const changes: EntryChanges = {
        env: { LOG_LEVEL: 'debug', CACHE_MB: '64' },
        args: [{ flag: '--workers', value: '4' }, { flag: '--cache', value: 'off' }, { flag: '--batch', value: '16' }],
      };
      return editMcpClientEntry(t, 'jsonc', 'search', changes, p);
    },
    expect: (b) => {
      const s = b.mcpServers.search;
      return {
        ...b,
        mcpServers: {
          ...b.mcpServers,
          search: { ...s, args: ['dist/index.js', '--workers', '4', '--cache=off', '--batch=16'], env: { LOG_LEVEL: 'debug', CACHE_MB: '64' } },
        },
      };
    },
    touched: ['"4"', '"2"', '--cache', '--batch', 'LOG_LEVEL', 'CACHE_MB'],
  },
  {
    file: 'server.in.env',
    edit: (t, p) =>
      editConfigText(t, 'env', [
        { pointer: '/POOL_SIZE', value: 8 },
        { pointer: '/CACHE_TTL', value: 120 },
        { pointer: '/GREETING', value: "it's here" },
        { pointer: '/LOG_LEVEL', value: 'debug' },
        { pointer: '/NEW_KEY', value: 'a b' },
      ], { path: p, allowCreate: true }),
    expect: (b) => ({ ...b, POOL_SIZE: '8', CACHE_TTL: '120', GREETING: "it's here", LOG_LEVEL: 'debug', NEW_KEY: 'a b' }),
    touched: ['POOL_SIZE', 'CACHE_TTL', 'GREETING', 'LOG_LEVEL', 'NEW_KEY'],
  },
];

describe('editConfigText golden files', () => {
  for (const c of cases) {
    const inPath = join(golden, c.file);
    const outPath = inPath.replace('.in.', '.out.');
    const format = formatOf(inPath);
    const input = readFileSync(inPath, 'utf8');
    const output = c.edit(input, inPath);
    // UPDATE_GOLDEN=1 rewrites the .out files; review their diff before keeping them.
    if (process.env.UPDATE_GOLDEN || !existsSync(outPath)) writeFileSync(outPath, output);

    it(`${c.file}: output equals the golden file byte for byte`, () => {
      expect(Buffer.from(output, 'utf8').equals(readFileSync(outPath))).toBe(true);
    });

    it(`${c.file}: re-parses to the input with only the tuned keys changed`, () => {
      expect(parseConfigText(output, format, outPath)).toEqual(c.expect(parseConfigText(input, format, inPath)));
    });

    it(`${c.file}: the line diff touches only the changed lines`, () => {
      const changed = diffLines(input, output).filter((p) => p.added || p.removed);
      expect(changed.length).toBeGreaterThan(0);
      for (const part of changed) {
        for (const line of part.value.split(/\r?\n/).filter((l) => l !== '')) {
          expect(c.touched.some((w) => line.includes(w)), `unexpected changed line: ${line}`).toBe(true);
        }
      }
    });
  }

  it('keeps the BOM, CRLF endings and the missing final newline of the JSONC file', () => {
    const out = readFileSync(join(golden, 'server-config.out.jsonc'), 'utf8');
    expect(out.startsWith('\uFEFF')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out.endsWith('}')).toBe(true);
    expect(out).toContain('\r\n\t\t"idleMs": 30000,\r\n');
  });
});

describe('editConfigText errors and edge cases', () => {
  const json = '{\n  "pool": {\n    "size": 4\n  }\n}\n';

  it('names the file, the pointer and how far it resolves when a key is missing', () => {
    const run = () => editConfigText(json, 'jsonc', [{ pointer: '/pool/sise', value: 8 }], { path: 'cfg.json' });
    expect(run).toThrow(UsageError);
    expect(run).toThrow('cfg.json: no value at /pool/sise (the document exists up to /pool; keys there: size); check the JSON Pointer');
  });

  it('refuses a missing parent unless allowCreate, then creates the objects', () => {
    const changes: ValueChange[] = [{ pointer: '/limits/rate/perSecond', value: 10 }];
    expect(() => editConfigText(json, 'jsonc', changes, { path: 'cfg.json' })).toThrow('exists up to the document root');
    const out = editConfigText(json, 'jsonc', changes, { path: 'cfg.json', allowCreate: true });
    expect(JSON.parse(out)).toEqual({ pool: { size: 4 }, limits: { rate: { perSecond: 10 } } });
    expect(out).toBe('{\n  "pool": {\n    "size": 4\n  },\n  "limits": {\n    "rate": {\n      "perSecond": 10\n    }\n  }\n}\n');
  });

  it('refuses a pointer without a leading slash, naming it', () => {
    expect(() => editConfigText(json, 'jsonc', [{ pointer: 'pool/size', value: 1 }], { path: 'cfg.json' })).toThrow('"pool/size" is not a JSON Pointer');
  });

  it('creates a YAML key with the Document API, keeping comments and CRLF', () => {
    const yaml = '# top\r\nserver:\r\n  port: 8080 # the port\r\n';
    const out = editConfigText(yaml, 'yaml', [{ pointer: '/server/workers', value: 4 }], { path: 'c.yaml', allowCreate: true });
    expect(out).toBe('# top\r\nserver:\r\n  port: 8080 # the port\r\n  workers: 4\r\n');
  });

  it('keeps quoting style in YAML and quotes a plain string that would change meaning', () => {
    const yaml = "a: 'x'\nb: plain\n";
    const out = editConfigText(yaml, 'yaml', [{ pointer: '/a', value: 'y' }, { pointer: '/b', value: 'k: v' }], { path: 'c.yaml' });
    expect(out).toBe("a: 'y'\nb: \"k: v\"\n");
  });

  it('appends a .env variable keeping CRLF and the missing final newline', () => {
    const out = editConfigText('A=1\r\nB=2', 'env', [{ pointer: '/C', value: 'x' }], { path: '.env', allowCreate: true });
    expect(out).toBe('A=1\r\nB=2\r\nC=x');
  });

  it('refuses a .env pointer with more than one token and non-scalar values', () => {
    expect(() => editConfigText('A=1\n', 'env', [{ pointer: '/A/b', value: 'x' }], { path: '.env' })).toThrow('use a pointer like /NAME');
    expect(() => editConfigText('A=1\n', 'env', [{ pointer: '/A', value: { x: 1 } }], { path: '.env' })).toThrow('string, number or boolean');
  });

  it('reports a JSONC syntax error with line and column', () => {
    expect(() => editConfigText('{\n  "a": 1,,\n}', 'jsonc', [{ pointer: '/a', value: 2 }], { path: 'bad.json' })).toThrow(/bad\.json:2:\d+: syntax error/);
  });

  it('tells which formats are supported for an unknown extension', () => {
    expect(() => formatOf('/x/config.toml')).toThrow('supported: .json, .jsonc, .yaml, .yml, .env');
    expect(formatOf('/x/.env.local')).toBe('env');
    expect(formatOf('/x/a.yml')).toBe('yaml');
  });
});

describe('editConfigText adds to containers written on one line, on that line', () => {
  const add = (text: string, pointer: string, value: unknown): string => editConfigText(text, 'jsonc', [{ pointer, value }], { path: 'c.json', allowCreate: true });

  it('an inline object keeps its line: only the new entry is added', () => {
    const text = '{\n  "pool": { "command": "node", "env": { "LOG": "info" } }\n}\n';
    expect(add(text, '/pool/env/WORKERS', '4')).toBe('{\n  "pool": { "command": "node", "env": { "LOG": "info", "WORKERS": "4" } }\n}\n');
  });

  it('an inline object with a trailing comma keeps it', () => {
    expect(add('{ "a": 1, }', '/b', 2)).toBe('{ "a": 1, "b": 2, }');
  });

  it('an empty inline object is filled in place', () => {
    expect(add('{\n  "env": {}\n}\n', '/env/K', 'v')).toBe('{\n  "env": { "K": "v" }\n}\n');
  });

  it('an inline array gets the item appended on its line', () => {
    expect(add('{ "args": ["a.js"] }\n', '/args/-', '--threads=4')).toBe('{ "args": ["a.js", "--threads=4"] }\n');
  });
});
