import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTemps, resetSweptFolders, STALE_TEMP_MS, tempPathFor } from '../../src/util/tempFiles.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-opt-temps-'));
  resetSweptFolders();
});

/** A pid that is surely dead: a process that has exited and been reaped. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('tempPathFor', () => {
  it('names a hidden file beside the target with the writer pid and the mcp-opt-tmp suffix', () => {
    const tmp = tempPathFor(join(dir, 'result.json'));
    expect(tmp.startsWith(`${dir}/`)).toBe(true);
    expect(basename(tmp)).toMatch(new RegExp(`^\\.result\\.json\\.${process.pid}\\.[0-9a-f]{8}\\.mcp-opt-tmp$`));
  });
});

describe('removeStaleTemps', () => {
  it("removes a dead writer's temporaries and old ones, keeps a live writer's fresh one and other files", () => {
    const dead = join(dir, `.a.json.${deadPid()}.0123abcd.mcp-opt-tmp`);
    const old = join(dir, `.a.json.${process.pid}.89abcdef.mcp-opt-tmp`);
    const fresh = join(dir, `.a.json.${process.pid}.00000001.mcp-opt-tmp`);
    const other = join(dir, `.a.json.${deadPid()}.0123abcd.tmp`);
    const backup = join(dir, 'a.json.mcp-opt-backup-20260101T000000-abcdef');
    for (const f of [dead, old, fresh, other, backup]) writeFileSync(f, 'x');
    const now = Date.now();
    const past = new Date(now - STALE_TEMP_MS - 60_000);
    utimesSync(old, past, past);
    expect(removeStaleTemps(dir, now).sort()).toEqual([dead, old].sort());
    expect(readdirSync(dir).sort()).toEqual([fresh, other, backup].map((f) => basename(f)).sort());
  });

  it('sweeps a folder once per process (checkpoints rewrite it often)', () => {
    const dead = join(dir, `.a.json.${deadPid()}.0123abcd.mcp-opt-tmp`);
    expect(removeStaleTemps(dir)).toEqual([]);
    writeFileSync(dead, 'x');
    expect(removeStaleTemps(dir)).toEqual([]);
    expect(existsSync(dead)).toBe(true);
  });

  it('never throws on a folder it cannot list', () => {
    expect(removeStaleTemps(join(dir, 'missing'))).toEqual([]);
  });
});
