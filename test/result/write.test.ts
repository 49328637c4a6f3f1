import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultResultPath, probeWritable, serializeResult, writeFileAtomic } from '../../src/result/write.js';
import { asUnprivileged } from '../helpers/unprivileged.js';

// A full disk: writeSync fails with ENOSPC while the switch is on.
const diskFull = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    writeSync: (...args: Parameters<typeof real.writeSync>) => {
      if (diskFull.on) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      return (real.writeSync as (...a: unknown[]) => number)(...args);
    },
  };
});

let dir: string;
let umask: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-opt-write-'));
  umask = process.umask(0o022);
});
afterEach(() => {
  diskFull.on = false;
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates missing folders and writes the text', () => {
    const path = join(dir, 'a', 'b', 'result.json');
    writeFileAtomic(path, '{"x":1}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"x":1}\n');
  });

  it('replaces the content of an existing file', () => {
    const path = join(dir, 'result.json');
    writeFileAtomic(path, 'first, and longer than the second\n');
    writeFileAtomic(path, 'second\n');
    expect(readFileSync(path, 'utf8')).toBe('second\n');
  });

  it('leaves no temporary files behind', () => {
    const path = join(dir, 'result.json');
    for (let i = 0; i < 5; i++) writeFileAtomic(path, `checkpoint ${i}\n`);
    expect(readdirSync(dir)).toEqual(['result.json']);
  });

  it('creates new files with mode 0644', () => {
    const path = join(dir, 'new.json');
    writeFileAtomic(path, '{}');
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('writes multi-byte UTF-8 text whole', () => {
    const path = join(dir, 'utf8.json');
    const text = `${'é😀'.repeat(10_000)}\n`;
    writeFileAtomic(path, text);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('removes its temp file when the rename fails (target is a non-empty folder)', () => {
    const path = join(dir, 'result.json');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    expect(() => writeFileAtomic(path, '{}')).toThrow();
    expect(readdirSync(dir)).toEqual(['result.json']);
    expect(readdirSync(path)).toEqual(['inside']);
  });

  // Root ignores permission bits, so the refused write runs as nobody when the suite runs as root.
  it('fails without touching the target or leaving a temp file when the folder is not writable', () => {
    const sub = join(dir, 'ro');
    const path = join(sub, 'result.json');
    writeFileAtomic(path, 'kept\n');
    chmodSync(dir, 0o755);
    chmodSync(sub, 0o555);
    try {
      expect(() => asUnprivileged(() => writeFileAtomic(path, 'lost\n'))).toThrow(/EACCES/);
      expect(asUnprivileged(() => probeWritable(path))).toBe(`no file can be created in ${sub}: permission denied (EACCES)`);
    } finally {
      chmodSync(sub, 0o755);
    }
    expect(readFileSync(path, 'utf8')).toBe('kept\n');
    expect(readdirSync(sub)).toEqual(['result.json']);
  });

  it('refuses to write into a path whose parent is a file', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    expect(() => writeFileAtomic(join(file, 'result.json'), '{}')).toThrow();
  });
});

describe('defaultResultPath', () => {
  it('is <dir>/<kind>-YYYY-MM-DDTHH-MM-SSZ.json in UTC, without colons or milliseconds', () => {
    const at = new Date('2025-03-04T05:06:07.890Z');
    expect(defaultResultPath('reports', 'analyze', at)).toBe(resolve('reports', 'analyze-2025-03-04T05-06-07Z.json'));
    expect(defaultResultPath('/tmp/r', 'analyze', new Date(0))).toBe('/tmp/r/analyze-1970-01-01T00-00-00Z.json');
  });

  it('matches the documented pattern for the current time', () => {
    expect(defaultResultPath(dir, 'analyze', new Date())).toMatch(
      new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/analyze-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z\\.json$`),
    );
  });
});

describe('serializeResult', () => {
  it('indents by two spaces and ends with a newline', () => {
    expect(serializeResult({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});

describe('writeFileAtomic on a full disk', () => {
  it('throws the ENOSPC error, keeps the previous result and leaves no temporary', () => {
    const path = join(dir, 'result.json');
    writeFileAtomic(path, 'checkpoint 1\n');
    diskFull.on = true;
    expect(() => writeFileAtomic(path, 'checkpoint 2\n')).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    expect(readFileSync(path, 'utf8')).toBe('checkpoint 1\n');
    expect(readdirSync(dir)).toEqual(['result.json']);
  });
});

describe('probeWritable', () => {
  it('is null for a writable folder, and for a missing folder under one; creates nothing', () => {
    expect(probeWritable(join(dir, 'r.json'))).toBeNull();
    expect(probeWritable(join(dir, 'a', 'b', 'r.json'))).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names a parent that is a regular file', () => {
    writeFileSync(join(dir, 'f'), 'x');
    expect(probeWritable(join(dir, 'f', 'sub', 'r.json'))).toBe(`${join(dir, 'f')} is a file, not a folder`);
  });

  it.runIf(process.platform === 'linux')('gives the OS reason under /proc', () => {
    expect(probeWritable('/proc/mcp-opt-probe/r.json')).toMatch(/^no file can be created in \/proc: .+ \(E[A-Z]+\)$/);
  });
});
