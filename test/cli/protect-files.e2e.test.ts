/**
 * What tune may not write (issue 10): a file its owner made read-only (mode 444, refused even when
 * mcp-opt runs as root, unless --force), a file reached through a symlink that leaves the config's
 * folder (for file knobs and --apply alike), and the temporaries a killed writer left behind (removed
 * by the next write in that folder). One real short tune of tunable.mjs gives the result applied
 * (pool.max 2 or 4, so it always differs from the file's 1).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANY_SLO, noLeftovers, runCli, TUNE_SHORT } from '../helpers/cli.js';
import { fixturePath, readPids } from '../helpers/fixtures.js';

const TUNABLE = fixturePath('tunable.mjs');
const SRV = '{\n  "pool": { "max": 1 },\n  "log": "info"\n}\n';
const OTHER = '{ "level": 1 }\n';

/** The folder of a real tune of pool.max (2 or 4) in its `srv.json`, and its saved result. */
let tuneDir = '';
let tuneResult = '';

beforeAll(async () => {
  tuneDir = mkdtempSync(join(tmpdir(), 'mcpopt-protect-tune-'));
  writeFileSync(join(tuneDir, 'srv.json'), SRV);
  writeFileSync(join(tuneDir, 'other.json'), OTHER);
  tuneResult = join(tuneDir, 'tune.json');
  // other.json's knob has one value: the fixture ignores it, and the recommendation writes it (1 → 2).
  const run = await runCli(['tune', TUNABLE, '--call', 'work', '--knob', 'file:srv.json#/pool/max=2,4', '--knob', 'file:other.json#/level=2', ...ANY_SLO, ...TUNE_SHORT, '--out', tuneResult], {
    cwd: tuneDir, env: { CONFIG_FILE: join(tuneDir, 'srv.json') }, timeoutMs: 90_000,
  });
  expect(run.code, run.stderr).toBe(0);
  expect(readFileSync(join(tuneDir, 'srv.json'), 'utf8')).toBe(SRV);
}, 120_000);

/** The tune's folder with srv.json as before the tune (mode 644) and nothing else but the tune's own files; returns its listing. */
function resetTuneDir(): string[] {
  const file = join(tuneDir, 'srv.json');
  chmodSync(file, 0o644);
  writeFileSync(file, SRV);
  chmodSync(join(tuneDir, 'other.json'), 0o644);
  writeFileSync(join(tuneDir, 'other.json'), OTHER);
  for (const name of readdirSync(tuneDir)) {
    if (name !== 'srv.json' && name !== 'other.json' && !name.startsWith('tune.')) rmSync(join(tuneDir, name), { force: true });
  }
  return readdirSync(tuneDir).sort();
}

/** A fresh folder holding srv.json (for runs that never reach the tune's recommendation). */
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpopt-protect-'));
  writeFileSync(join(dir, 'srv.json'), SRV);
  return dir;
}

/** The value the tune recommends, written into srv.json. */
function recommended(): string {
  const result = JSON.parse(readFileSync(tuneResult, 'utf8')) as { recommendation: { settings: Record<string, number> } };
  return SRV.replace('"max": 1', `"max": ${result.recommendation.settings['file:srv.json#/pool/max']}`);
}

describe('a read-only file', () => {
  it('--apply-from … --yes refuses a mode-444 file (even as root), leaves it intact and writes nothing beside it', async () => {
    const listing = resetTuneDir();
    const dir = tuneDir;
    const file = join(dir, 'srv.json');
    chmodSync(file, 0o444);
    const run = await runCli(['tune', '--apply-from', tuneResult, 'srv.json', '--yes'], { cwd: dir, timeoutMs: 20_000 });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(`${file} is read-only (mode 444)`);
    expect(run.stderr).toContain('--force');
    expect(run.stdout).not.toContain('wrote');
    expect(readFileSync(file, 'utf8')).toBe(SRV);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(readdirSync(dir).sort()).toEqual(listing);
  });

  it('among several files, a read-only one is refused before any is written', async () => {
    const listing = resetTuneDir();
    chmodSync(join(tuneDir, 'other.json'), 0o444);
    const run = await runCli(['tune', '--apply-from', tuneResult, 'srv.json', '--apply', 'other.json', '--yes'], { cwd: tuneDir, timeoutMs: 20_000 });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(`${join(tuneDir, 'other.json')} is read-only (mode 444)`);
    expect(run.stdout).not.toContain('wrote');
    expect(readFileSync(join(tuneDir, 'srv.json'), 'utf8')).toBe(SRV);
    expect(readFileSync(join(tuneDir, 'other.json'), 'utf8')).toBe(OTHER);
    expect(readdirSync(tuneDir).sort()).toEqual(listing);
    // Both writable: both written.
    chmodSync(join(tuneDir, 'other.json'), 0o644);
    const ok = await runCli(['tune', '--apply-from', tuneResult, 'srv.json', '--apply', 'other.json', '--yes'], { cwd: tuneDir, timeoutMs: 20_000 });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(tuneDir, 'other.json'), 'utf8')).toBe('{ "level": 2 }\n');
  });

  it('--force writes it and keeps its mode', async () => {
    resetTuneDir();
    const dir = tuneDir;
    const file = join(dir, 'srv.json');
    chmodSync(file, 0o444);
    const run = await runCli(['tune', '--apply-from', tuneResult, 'srv.json', '--yes', '--force'], { cwd: dir, timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`wrote ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(recommended());
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });

  it('a dry run says that the write would be refused', async () => {
    resetTuneDir();
    chmodSync(join(tuneDir, 'srv.json'), 0o444);
    const run = await runCli(['tune', '--apply-from', tuneResult, 'srv.json'], { cwd: tuneDir, timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/read-only \(mode 444\); writing it will be refused without --force/);
  });

  it('a file knob on a read-only file is refused before any server starts', async () => {
    const dir = freshDir();
    chmodSync(join(dir, 'srv.json'), 0o444);
    const pidFile = join(dir, 'pids');
    const run = await runCli(['tune', TUNABLE, '--call', 'work', '--knob', 'file:srv.json#/pool/max=1,2', '--no-save'], {
      cwd: dir, env: { CONFIG_FILE: join(dir, 'srv.json'), FIXTURE_PID_FILE: pidFile }, timeoutMs: 20_000,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/srv\.json is read-only/);
    expect(readPids(pidFile)).toEqual([]);
    await noLeftovers(run.testId);
  });
});

describe('a symlink out of the folder', () => {
  /** proj/ with a config whose file knob names inlink.json, a symlink to ../outside.json. */
  function linkedProject(): { proj: string; outside: string } {
    const root = mkdtempSync(join(tmpdir(), 'mcpopt-link-'));
    const proj = join(root, 'proj');
    mkdirSync(proj);
    const outside = join(root, 'outside.json');
    writeFileSync(outside, SRV);
    symlinkSync('../outside.json', join(proj, 'inlink.json'));
    writeFileSync(join(proj, 'mcp-opt.config.json'), JSON.stringify({ tune: { knobs: ['file:inlink.json#/pool/max=1,2'] } }));
    return { proj, outside };
  }

  it("a config's file knob through a symlink to ../outside.json: exit 2 before anything runs, outside.json untouched", async () => {
    const { proj, outside } = linkedProject();
    const pidFile = join(proj, 'pids');
    const run = await runCli(['tune', TUNABLE, '--call', 'work', '--no-save'], {
      cwd: proj, env: { CONFIG_FILE: outside, FIXTURE_PID_FILE: pidFile }, timeoutMs: 20_000,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`names inlink.json, a symlink to ${outside}, which is outside ${proj}`);
    expect(run.stderr).toContain('--force');
    expect(readPids(pidFile)).toEqual([]);
    expect(readFileSync(outside, 'utf8')).toBe(SRV);
    expect(existsSync(join(proj, '..', '.outside.json.mcp-opt-tune-backup'))).toBe(false);
    await noLeftovers(run.testId);
  });

  it('a --knob file: naming that symlink is refused the same way', async () => {
    const { proj, outside } = linkedProject();
    const pidFile = join(proj, 'pids');
    const run = await runCli(['tune', TUNABLE, '--call', 'work', '--knob', 'file:inlink.json#/pool/max=1,2', '--no-save'], {
      cwd: proj, env: { CONFIG_FILE: outside, FIXTURE_PID_FILE: pidFile }, timeoutMs: 20_000,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`inlink.json is a symlink to ${outside}, outside the folder it is named in (${proj})`);
    expect(readPids(pidFile)).toEqual([]);
    expect(readFileSync(outside, 'utf8')).toBe(SRV);
    await noLeftovers(run.testId);
  });

  it('--apply-from into the symlink: refused without --force, outside.json untouched', async () => {
    const { proj, outside } = linkedProject();
    const run = await runCli(['tune', '--apply-from', tuneResult, 'inlink.json', '--yes'], { cwd: proj, timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`is a symlink to ${outside}`);
    expect(readFileSync(outside, 'utf8')).toBe(SRV);
  });
});

describe('temporaries left by a killed writer', () => {
  it('the next write in the folder removes stale ones this user owns (dead pid, or older than 15 min) and keeps a live fresh one', async () => {
    resetTuneDir();
    const dir = tuneDir;
    // A pid that is surely dead: a process that has exited and been reaped.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dead = join(dir, `.srv.json.${deadPid}.0123abcd.mcp-opt-tmp`);
    const old = join(dir, `.srv.json.${process.pid}.89abcdef.mcp-opt-tmp`);
    const live = join(dir, `.srv.json.${process.pid}.00000001.mcp-opt-tmp`);
    for (const f of [dead, old, live]) writeFileSync(f, 'half a file');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    utimesSync(old, hourAgo, hourAgo);
    const run = await runCli(['tune', '--apply-from', tuneResult, 'srv.json', '--yes'], { cwd: dir, timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'srv.json'), 'utf8')).toBe(recommended());
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
