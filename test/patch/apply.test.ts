import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkNamedFileIsReal, planApply, resolveNamedFile, writePlan } from '../../src/patch/apply.js';
import { UsageError } from '../../src/errors.js';
import { asUnprivileged } from '../helpers/unprivileged.js';

// A switch to make the final rename fail, standing in for a full disk or a refused write.
const failRename = vi.hoisted(() => ({ on: false }));
// Errors the file system gives the writer: writeSync (a full disk) or openSync for writing (a read-only mount).
const fsFault = vi.hoisted(() => ({ write: null as string | null, openForWrite: null as string | null }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const errno = (code: string, syscall: string): Error => Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, syscall });
  return {
    ...real,
    renameSync: (from: string, to: string) => {
      if (failRename.on) throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
      real.renameSync(from, to);
    },
    writeSync: (...args: Parameters<typeof real.writeSync>) => {
      if (fsFault.write) throw errno(fsFault.write, 'write');
      return (real.writeSync as (...a: unknown[]) => number)(...args);
    },
    openSync: (path: string, flags: string, mode?: number) => {
      if (fsFault.openForWrite && flags !== 'r') throw errno(fsFault.openForWrite, 'open');
      return real.openSync(path, flags, mode);
    },
  };
});

let dir: string;
const original = '{\n  "size": 4 // pool\n}\n';
const bump = (t: string) => t.replace('"size": 4', '"size": 8');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-opt-apply-'));
  failRename.on = false;
  fsFault.write = null;
  fsFault.openForWrite = null;
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

describe('planApply and writePlan', () => {
  it('shows a unified diff, writes the new text and keeps a backup of the old', () => {
    const file = join(dir, 'c.jsonc');
    writeFileSync(file, original);
    const plan = planApply(file, bump, { force: false });
    expect(plan.changed).toBe(true);
    expect(plan.diff).toContain(`--- ${file}`);
    expect(plan.diff).toContain('-  "size": 4 // pool\n+  "size": 8 // pool');
    const { written, backup } = writePlan(plan);
    expect(written).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(bump(original));
    expect(readFileSync(backup, 'utf8')).toBe(original);
    expect(backup).toMatch(/c\.jsonc\.mcp-opt-backup-\d{8}T\d{6}-[0-9a-f]{6}$/);
    expect(readdirSync(dir).sort()).toEqual(['c.jsonc', backup.split('/').pop()].sort());
  });

  it('shows the diff of the masked texts but writes the real edit', () => {
    const file = join(dir, 'c.jsonc');
    const text = '{\n  "token": "s3cr3t",\n  "size": 4\n}\n';
    writeFileSync(file, text);
    const plan = planApply(file, (t) => t.replace('"size": 4', '"size": 8'), { force: false, mask: (t) => t.replace('s3cr3t', '***') });
    expect(plan.diff).toContain('   "token": "***",\n-  "size": 4\n+  "size": 8');
    expect(plan.diff).not.toContain('s3cr3t');
    expect(plan.after).toContain('"token": "s3cr3t"');
  });

  it('has an empty diff when nothing changes', () => {
    const file = join(dir, 'c.jsonc');
    writeFileSync(file, original);
    const plan = planApply(file, (t) => t, { force: false });
    expect(plan).toMatchObject({ changed: false, diff: '' });
  });

  it('keeps the file mode (0640)', () => {
    const file = join(dir, 'c.jsonc');
    writeFileSync(file, original);
    chmodSync(file, 0o640);
    writePlan(planApply(file, bump, { force: false }));
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('refuses a symlink without force and writes its real file with force', () => {
    const real = join(dir, 'real.jsonc');
    const link = join(dir, 'link.jsonc');
    writeFileSync(real, original);
    symlinkSync(real, link);
    expect(() => planApply(link, bump, { force: false })).toThrow(
      `${link} is a symlink to ${real}; mcp-opt does not write through symlinks: pass --force to write the real file ${real}`,
    );
    const plan = planApply(link, bump, { force: true });
    expect(plan.realPath).toBe(real);
    expect(plan.warnings[0]).toContain('is a symlink');
    writePlan(plan);
    expect(readFileSync(real, 'utf8')).toBe(bump(original));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a missing file or a folder', () => {
    expect(() => planApply(join(dir, 'nope.json'), bump, { force: false })).toThrow(UsageError);
    expect(() => planApply(dir, bump, { force: false })).toThrow('not a regular file');
  });

  it('refuses to write when the file changed since it was read, leaving the change alone', () => {
    const file = join(dir, 'c.jsonc');
    writeFileSync(file, original);
    const plan = planApply(file, bump, { force: false });
    const theirs = '{\n  "size": 5\n}\n';
    writeFileSync(file, theirs);
    expect(() => writePlan(plan)).toThrow(`${file} changed since mcp-opt read it`);
    expect(readFileSync(file, 'utf8')).toBe(theirs);
    expect(readdirSync(dir)).toEqual(['c.jsonc']);
  });

  it('leaves the original byte-identical and no temp file when the write fails', () => {
    const file = join(dir, 'c.jsonc');
    writeFileSync(file, original);
    const plan = planApply(file, bump, { force: false });
    failRename.on = true;
    expect(() => writePlan(plan)).toThrow('ENOSPC');
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(readdirSync(dir)).toEqual(['c.jsonc']);
  });

  it.each([
    ['ENOSPC', 'write', 'no space left on device (ENOSPC)'],
    ['EROFS', 'openForWrite', 'read-only file system (EROFS)'],
    ['EDQUOT', 'write', 'disk quota exceeded (EDQUOT)'],
  ] as const)('%s from the file system is a usage error (exit 2) naming the file and the reason; original intact, nothing left', (code, where, reason) => {
    const file = join(dir, 'c.jsonc');
    writeFileSync(file, original);
    const plan = planApply(file, bump, { force: false });
    fsFault[where] = code;
    let thrown: unknown;
    try {
      writePlan(plan);
    } catch (err) {
      thrown = err;
    }
    fsFault[where] = null;
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).exitCode).toBe(2);
    expect((thrown as UsageError).message).toBe(`could not write ${file}: ${reason}; the file is unchanged. Fix that (free space, a writable mount) and run again.`);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(readdirSync(dir)).toEqual(['c.jsonc']);
  });

  it('refuses a file without write permission for its owner (mode 444), whoever runs it, unless force', () => {
    const file = join(dir, 'c.jsonc');
    writeFileSync(file, original);
    chmodSync(file, 0o444);
    const plan = planApply(file, bump, { force: false });
    expect(plan.warnings).toEqual([`${file} is read-only (mode 444); writing it will be refused without --force`]);
    expect(() => writePlan(plan)).toThrow(new UsageError(
      `${file} is read-only (mode 444); mcp-opt does not replace a file its owner protected, and nothing was written. Make it writable (chmod u+w ${file}) or pass --force to replace it anyway.`,
    ));
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(readdirSync(dir)).toEqual(['c.jsonc']);
    writePlan(plan, { force: true });
    expect(readFileSync(file, 'utf8')).toBe(bump(original));
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });

  // Root ignores folder permissions, so the write runs as nobody when the suite runs as root.
  it('leaves the original byte-identical when the folder is read-only', () => {
    const file = join(dir, 'c.jsonc');
    writeFileSync(file, original);
    const plan = planApply(file, bump, { force: false });
    chmodSync(dir, 0o555);
    expect(() => asUnprivileged(() => writePlan(plan))).toThrow(/EACCES/);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
});

describe('resolveNamedFile', () => {
  it('resolves beside the config and refuses to leave its folder unless force', () => {
    const cfg = join(dir, 'mcp-opt.jsonc');
    expect(resolveNamedFile(cfg, 'server.yaml', false)).toBe(join(dir, 'server.yaml'));
    expect(resolveNamedFile(cfg, 'sub/../server.yaml', false)).toBe(join(dir, 'server.yaml'));
    expect(() => resolveNamedFile(cfg, '../x.yaml', false)).toThrow('pass --force');
    expect(() => resolveNamedFile(cfg, '/etc/x.yaml', false)).toThrow(UsageError);
    expect(resolveNamedFile(cfg, '/etc/x.yaml', true)).toBe('/etc/x.yaml');
    expect(resolveNamedFile(cfg, '..data.yaml', false)).toBe(join(dir, '..data.yaml'));
  });

  it('checks the real path: a symlink (or symlinked folder) inside that leads outside is refused unless force', () => {
    const proj = join(dir, 'proj');
    mkdirSync(join(proj, 'conf'), { recursive: true });
    writeFileSync(join(dir, 'outside.json'), '{}');
    writeFileSync(join(proj, 'conf', 'inside.json'), '{}');
    symlinkSync('../outside.json', join(proj, 'inlink.json'));
    symlinkSync('..', join(proj, 'up'));
    symlinkSync('conf/inside.json', join(proj, 'sibling.json'));
    const cfg = join(proj, 'mcp-opt.config.json');
    expect(() => resolveNamedFile(cfg, 'inlink.json', false)).toThrow(`names inlink.json, a symlink to ${join(dir, 'outside.json')}, which is outside ${proj}`);
    expect(() => resolveNamedFile(cfg, 'up/outside.json', false)).toThrow(UsageError);
    expect(resolveNamedFile(cfg, 'inlink.json', true)).toBe(join(proj, 'inlink.json'));
    // A link that stays inside the folder is fine.
    expect(resolveNamedFile(cfg, 'sibling.json', false)).toBe(join(proj, 'sibling.json'));
    // A file named on the command line: a link out of the folder it is named in is refused, a plain path outside is not.
    expect(() => checkNamedFileIsReal(join(proj, 'inlink.json'), '--knob x', false)).toThrow(`--knob x is a symlink to ${join(dir, 'outside.json')}, outside the folder it is named in (${proj})`);
    expect(checkNamedFileIsReal(join(proj, 'inlink.json'), '--knob x', true)).toBe(join(proj, 'inlink.json'));
    expect(checkNamedFileIsReal(join(proj, 'sibling.json'), '--knob x', false)).toBe(join(proj, 'sibling.json'));
    expect(checkNamedFileIsReal(join(dir, 'outside.json'), '--knob x', false)).toBe(join(dir, 'outside.json'));
  });
});
