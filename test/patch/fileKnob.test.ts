import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileKnobSession, recoverTuneBackups, restoreAllSync, tuneBackupPath } from '../../src/patch/fileKnob.js';

// CRLF, a BOM and no final newline: the bytes that a careless restore would change.
const original = Buffer.from('\uFEFF{\r\n\t"pool": { "size": 4 }, // tuned\r\n\t"log": "info"\r\n}', 'utf8');
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-opt-knob-'));
  file = join(dir, 'server.jsonc');
  writeFileSync(file, original);
});
afterEach(() => {
  restoreAllSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('FileKnobSession', () => {
  it('backs up before editing, edits from the original each time, and restores byte for byte', () => {
    chmodSync(file, 0o640);
    const s = FileKnobSession.open(file);
    expect(readFileSync(tuneBackupPath(file)).equals(original)).toBe(true);
    s.set([{ pointer: '/pool/size', value: 8 }]);
    s.set([{ pointer: '/log', value: 'debug' }]);
    const edited = readFileSync(file, 'utf8');
    expect(edited).toContain('"size": 4 }');
    expect(edited).toContain('"log": "debug"');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    s.restore();
    s.restore();
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(existsSync(tuneBackupPath(file))).toBe(false);
  });

  it('restoreAllSync restores every open session', () => {
    const other = join(dir, '.env');
    writeFileSync(other, 'A=1\n');
    FileKnobSession.open(file).set([{ pointer: '/pool/size', value: 16 }]);
    FileKnobSession.open(other).set([{ pointer: '/A', value: 2 }]);
    expect(readFileSync(other, 'utf8')).toBe('A=2\n');
    restoreAllSync();
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(readFileSync(other, 'utf8')).toBe('A=1\n');
  });

  it('refuses to open the same file twice', () => {
    FileKnobSession.open(file);
    expect(() => FileKnobSession.open(file)).toThrow('already being edited');
  });
});

describe('recoverTuneBackups', () => {
  it('puts back a file left edited with its backup, and reports it', () => {
    // A crash: the backup exists and the file holds an edit, with no session in this process.
    writeFileSync(tuneBackupPath(file), original);
    writeFileSync(file, 'edited');
    expect(recoverTuneBackups([file])).toEqual([`restored ${file} from ${tuneBackupPath(file)} (left by an interrupted tune)`]);
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(existsSync(tuneBackupPath(file))).toBe(false);
    expect(recoverTuneBackups([file])).toEqual([]);
  });

  it('is run by open before it backs up, so a leftover backup is never overwritten', () => {
    writeFileSync(tuneBackupPath(file), original);
    writeFileSync(file, 'edited');
    const s = FileKnobSession.open(file);
    expect(readFileSync(tuneBackupPath(file)).equals(original)).toBe(true);
    s.restore();
    expect(readFileSync(file).equals(original)).toBe(true);
  });
});

describe('a tune process killed with SIGKILL', () => {
  // Node 20 cannot run TypeScript: the child imports the built module (`npm test` builds first).
  const built = resolve('dist/patch/fileKnob.js');
  beforeAll(() => {
    if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` before these tests.');
  });

  it('leaves a backup that recoverTuneBackups restores byte for byte', async () => {
    const mod = pathToFileURL(built).href;
    const script = `
      const { FileKnobSession } = await import(${JSON.stringify(mod)});
      FileKnobSession.open(${JSON.stringify(file)}).set([{ pointer: '/pool/size', value: 32 }]);
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ok());
      child.on('exit', (code) => fail(new Error(`child exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((ok) => child.on('exit', ok));
    expect(readFileSync(file, 'utf8')).toContain('"size": 32');
    expect(existsSync(tuneBackupPath(file))).toBe(true);
    expect(recoverTuneBackups([file])).toHaveLength(1);
    expect(readFileSync(file).equals(original)).toBe(true);
  });
});
