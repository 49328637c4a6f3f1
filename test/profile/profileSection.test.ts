/**
 * The section built from collected profiles: files copied beside the result (relative paths),
 * left where they are without one; CPU findings only from enough busy samples; mcp-opt's own
 * proxy process left out of the summaries.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CollectedProfile } from '../../src/profile/collector.js';
import { profileSection } from '../../src/profile/profileSection.js';
import { selfArgv } from '../../src/selfCommand.js';
import { IDLE, fn, profileOf, times } from './fakeProfile.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-opt-section-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOT = fn('hot', 'file:///srv/server.js', 12);

/** A collected profile of `busy` samples in `hot` and `idle` idle ones, 1 ms apart, written to a file. */
function collected(pid: number, busy: number, idle: number, title = '/srv/server.js'): CollectedProfile {
  const profile = profileOf([...times(busy, [HOT]), ...times(idle, [IDLE])], { startTime: 1_000_000, intervalUs: 1000 });
  const file = join(dir, `${pid}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return { process: { pid, ppid: 1, title }, file, profile };
}

const base = { intervalUs: 1000, toolWindows: [], startup: null, notes: [] };
const all = (p: CollectedProfile): Array<[number, number]> => [[p.profile.startTime, p.profile.endTime + 1000]];

describe('profileSection', () => {
  it('copies each profile beside the result as <stem>.<pid>.cpuprofile, named relative to it', () => {
    const c = collected(101, 300, 10);
    const resultPath = join(dir, 'bench-1.json');
    const s = profileSection({ ...base, collected: [c], windows: all(c), resultPath });
    expect(s.files).toEqual([{ path: 'bench-1.101.cpuprofile', pid: 101, title: '/srv/server.js', samples: 310 }]);
    expect(JSON.parse(readFileSync(join(dir, 'bench-1.101.cpuprofile'), 'utf8'))).toEqual(c.profile);
    expect(existsSync(join(dir, 'bench-1.101.cpuprofile.tmp'))).toBe(false);
  });

  it('without a result file, names the profile where the preload wrote it', () => {
    const c = collected(102, 300, 10);
    const s = profileSection({ ...base, collected: [c], windows: all(c), resultPath: null });
    expect(s.files[0]!.path).toBe(c.file);
  });

  it('draws CPU findings from 200 busy samples or more, and says why when there are fewer', () => {
    const many = collected(103, 250, 50);
    const judged = profileSection({ ...base, collected: [many], windows: all(many), resultPath: null });
    expect(judged.findings.map((f) => f.id)).toContain('profile-hot-function');
    const few = collected(104, 33, 500);
    const unjudged = profileSection({ ...base, collected: [few], windows: all(few), resultPath: null });
    expect(unjudged.summary!.functions[0]!.name).toBe('hot');
    expect(unjudged.findings).toEqual([]);
    expect(unjudged.notes.join(' ')).toMatch(/Only 33 ms of busy CPU \(about 33 samples\).*too little to judge/);
  });

  it("leaves the package runner mcp-opt launched (npx's own node) out of the summaries and the start-up, and saves its file", () => {
    const npm = { ...collected(107, 300, 0, '/usr/bin/npx'), profile: profileOf(times(300, [fn('exec', 'file:///usr/lib/node_modules/npm/node_modules/libnpmexec/lib/index.js')]), { startTime: 1_000_000 }) };
    const server = collected(108, 300, 0);
    const s = profileSection({ ...base, collected: [npm, server], windows: all(server), resultPath: null, runnerPids: [107] });
    expect(s.files.map((f) => f.pid)).toEqual([107, 108]);
    expect(s.summary!.packages.map((p) => p.name)).not.toContain('libnpmexec');
    expect(s.notes.join(' ')).toMatch(/package runner mcp-opt launched \(pid 107\) is left out of the summaries/);
    // Alone (the server's process never registered), the runner's profile is all there is: kept.
    const alone = profileSection({ ...base, collected: [npm], windows: all(npm), resultPath: null, runnerPids: [107] });
    expect(alone.summary!.packages.map((p) => p.name)).toContain('libnpmexec');
  });

  it("leaves mcp-opt's own proxy process out of the summaries, and saves its file", () => {
    const server = collected(105, 300, 0);
    const proxy = collected(106, 300, 0, selfArgv()[1]);
    const proxyOnly = { ...proxy, profile: profileOf(times(300, [fn('route', 'file:///mcp-opt/dist/proxy/router.js')]), { startTime: 1_000_000 }) };
    const s = profileSection({ ...base, collected: [server, proxyOnly], windows: all(server), resultPath: null });
    expect(s.files.map((f) => f.pid)).toEqual([105, 106]);
    expect(s.summary!.functions.map((f) => f.name)).toEqual(['hot']);
    expect(s.notes.join(' ')).toMatch(/pid 106: mcp-opt proxy\) is left out of the summaries/);
  });
});
