/**
 * tune's file knobs and --apply against real files (issue 4): tunable.mjs reads pool.max from the
 * config file CONFIG_FILE names (YAML or commented JSONC). Each point edits that file and restores
 * it byte for byte, after success, after Ctrl-C, and (from the backup beside it) after SIGKILL;
 * --apply writes only the tuned value and keeps comments and layout; the patch files apply with a
 * standard RFC 6902 library; an interrupted tune keeps its points and --resume finishes it.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonPatch from 'fast-json-patch';
import { parse as parseJsonc } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { killTestProcesses, noLeftovers, runCli, startCli, TUNE_SHORT, waitFor } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const TUNABLE = fixturePath('tunable.mjs');

const YAML_CONFIG = `# worker pool of the tunable fixture
pool:
  max: 1   # workers; mcp-opt tune sets this
  idleMs: 500
log: info
`;

const JSONC_CONFIG = `{
    // the tunable fixture's settings
    "log": "info",
    "pool": {
        "max": 1, /* workers */
        "idleMs": 500,
    },
}
`;

/** A folder holding `name` with `text`. */
function configDir(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpopt-tune-files-'));
  writeFileSync(join(dir, name), text);
  return { dir, file: join(dir, name) };
}

/** `tune tunable.mjs --call work --knob file:NAME#/pool/max=… …extra` in `dir`, CONFIG_FILE set. */
function tuneArgs(name: string, values: string, extra: string[]): string[] {
  return ['tune', TUNABLE, '--call', 'work', '--knob', `file:${name}#/pool/max=${values}`, ...TUNE_SHORT, ...extra];
}

describe('tune: file knobs and --apply', () => {
  it('YAML: tunes pool.max, restores the file after each point (a failed one too), and --apply prints a diff, then writes only max with --yes', async () => {
    const { dir, file } = configDir('srv.yaml', YAML_CONFIG);
    const env = { CONFIG_FILE: file };
    // pool.max 16 is more than the fixture's 8 workers: that point's server refuses to start.
    const dry = await runCli(tuneArgs('srv.yaml', '2,4,16', ['--out', join(dir, 'tune.json'), '--apply', 'srv.yaml']), { cwd: dir, env, timeoutMs: 90_000 });
    expect(dry.code, dry.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(YAML_CONFIG);
    expect(existsSync(join(dir, '.srv.yaml.mcp-opt-tune-backup'))).toBe(false);
    expect(dry.stdout).toMatch(/-\s+max: 1 {3}# workers; mcp-opt tune sets this/);
    expect(dry.stdout).toMatch(/\+\s+max: 4 {3}# workers; mcp-opt tune sets this/);
    expect(dry.stdout).toMatch(/nothing was written/);
    await noLeftovers(dry.testId);

    const result = JSON.parse(readFileSync(join(dir, 'tune.json'), 'utf8')) as TuneResult;
    expect(result.points.map((p) => p.status)).toEqual(['ok', 'ok', 'failed']);
    expect(result.points[2]!.error).toMatch(/cannot start 16 workers/);
    expect(result.recommendation?.settings).toEqual({ 'file:srv.yaml#/pool/max': 4 });
    // The RFC 6902 patch applies with a standard library and gives the recommended value.
    const server = result.patch!.files.find((f) => f.target.startsWith('server config'))!;
    const patched = jsonPatch.applyPatch({ pool: { max: 1, idleMs: 500 }, log: 'info' }, JSON.parse(readFileSync(server.jsonPatchFile!, 'utf8')), true).newDocument;
    expect(patched).toEqual({ pool: { max: 4, idleMs: 500 }, log: 'info' });
    expect(JSON.parse(readFileSync(server.mergePatchFile!, 'utf8'))).toEqual({ pool: { max: 4 } });

    // Apply the saved recommendation without measuring again.
    const write = await runCli(['tune', '--apply-from', join(dir, 'tune.json'), 'srv.yaml', '--yes'], { cwd: dir, timeoutMs: 20_000 });
    expect(write.code, write.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(YAML_CONFIG.replace('max: 1 ', 'max: 4 '));
    expect(write.stdout).toContain(`wrote ${file}`);
  });

  it('JSONC with comments: --apply --yes after the tune changes exactly the tuned value', async () => {
    const { dir, file } = configDir('srv.jsonc', JSONC_CONFIG);
    const run = await runCli(tuneArgs('srv.jsonc', '1,4', ['--no-save', '--apply', 'srv.jsonc', '--yes']), { cwd: dir, env: { CONFIG_FILE: file }, timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(JSONC_CONFIG.replace('"max": 1,', '"max": 4,'));
    expect(parseJsonc(readFileSync(file, 'utf8'))).toEqual({ log: 'info', pool: { max: 4, idleMs: 500 } });
    // A backup of the original sits beside it.
    const backup = /backup: (\S+)\)/.exec(run.stdout)?.[1];
    expect(backup && readFileSync(backup, 'utf8')).toBe(JSONC_CONFIG);
  });

  it('an unknown JSON Pointer is a usage error before anything starts', async () => {
    const { dir } = configDir('srv.yaml', YAML_CONFIG);
    const run = await runCli(['tune', TUNABLE, '--knob', 'file:srv.yaml#/pool/workers=2,4', '--no-save'], { cwd: dir, timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/no value at \/pool\/workers/);
  });
});

describe('tune interrupted', () => {
  it('Ctrl-C keeps the finished points, restores the file, and --resume finishes the tune', async () => {
    const { dir, file } = configDir('srv.yaml', YAML_CONFIG);
    const out = join(dir, 'tune.json');
    const env = { CONFIG_FILE: file };
    const cli = startCli(tuneArgs('srv.yaml', '1,4,8', ['--out', out]), { cwd: dir, env, timeoutMs: 90_000 });
    const points = (): number => (existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as TuneResult).points.length : 0);
    expect(await waitFor(() => points() >= 1, 60_000)).toBe(true);
    // Point 2 is being measured: its value is in the file now.
    expect(await waitFor(() => readFileSync(file, 'utf8') !== YAML_CONFIG, 10_000)).toBe(true);
    cli.child.kill('SIGINT');
    const stopped = await cli.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(readFileSync(file, 'utf8')).toBe(YAML_CONFIG);
    await noLeftovers(stopped.testId);
    const partial = JSON.parse(readFileSync(out, 'utf8')) as TuneResult;
    expect(partial.incomplete).toBe(true);
    expect(partial.points.length).toBeGreaterThanOrEqual(1);
    expect(partial.points.length).toBeLessThan(3);
    const kept = partial.points.map((p) => JSON.stringify(p.runs));

    const resumed = await runCli(tuneArgs('srv.yaml', '1,4,8', ['--resume', out]), { cwd: dir, env, timeoutMs: 90_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = JSON.parse(readFileSync(out, 'utf8')) as TuneResult;
    expect(done.incomplete).toBe(false);
    expect(done.points.map((p) => p.settings['file:srv.yaml#/pool/max']).sort((a, b) => Number(a) - Number(b))).toEqual([1, 4, 8]);
    // The points measured before Ctrl-C were kept, not measured again.
    expect(done.points.slice(0, kept.length).map((p) => JSON.stringify(p.runs))).toEqual(kept);
    expect(done.recommendation?.settings).toEqual({ 'file:srv.yaml#/pool/max': 4 });
    expect(readFileSync(file, 'utf8')).toBe(YAML_CONFIG);
  });

  it('SIGKILL mid-point leaves the edited file and its backup; the next tune restores it first', async () => {
    const { dir, file } = configDir('srv.yaml', YAML_CONFIG);
    const out = join(dir, 'tune.json');
    const env = { CONFIG_FILE: file };
    const cli = startCli(tuneArgs('srv.yaml', '2,4', ['--out', out]), { cwd: dir, env, timeoutMs: 60_000 });
    expect(await waitFor(() => readFileSync(file, 'utf8') !== YAML_CONFIG, 30_000)).toBe(true);
    cli.child.kill('SIGKILL');
    const killed = await cli.done;
    killTestProcesses(killed.testId);
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(file, 'utf8')).not.toBe(YAML_CONFIG);
    expect(existsSync(join(dir, '.srv.yaml.mcp-opt-tune-backup'))).toBe(true);

    // Any tune of the same file restores it first: one point is enough.
    const next = await runCli(tuneArgs('srv.yaml', '2', ['--no-save']), { cwd: dir, env, timeoutMs: 60_000 });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/restored .*srv\.yaml.*interrupted tune/);
    expect(readFileSync(file, 'utf8')).toBe(YAML_CONFIG);
    expect(existsSync(join(dir, '.srv.yaml.mcp-opt-tune-backup'))).toBe(false);
  });
});
