/**
 * The `profile` section (--profile) in every reporter, from a hand-built section: the HTML report
 * shows every part of it, the Markdown report and the terminal table its top lines (golden files),
 * each kind places it, and a hostile server's frame names, paths and packages stay inert text.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProfileSection } from '../../src/result/profileResult.js';
import { renderAnalyzeTable } from '../../src/reporters/analyzeTable.js';
import { renderBenchTable } from '../../src/reporters/benchTable.js';
import { escapeHtml, renderHtml } from '../../src/reporters/html/index.js';
import { profileSection } from '../../src/reporters/html/profile.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { profileMarkdown } from '../../src/reporters/profileMarkdown.js';
import { renderProfileTable } from '../../src/reporters/profileTable.js';
import { painter } from '../../src/reporters/format.js';
import { renderTuneTable } from '../../src/reporters/tuneTable.js';
import { expectGolden } from '../helpers/golden.js';
import { HOSTILE, hostileProfile, profileFixture } from './fixtures/profile.js';
import { analyzeWithFindings, benchWithBudgets, single } from './reportResults.js';
import { oneKnobTune } from './tuneResults.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

/** A bench result carrying `p`. */
const bench = (p: ProfileSection = profileFixture()) => ({ ...benchWithBudgets(), profile: p });

/** The page without its embedded JSON (which holds the strings exactly, for tools). */
const outsideJson = (page: string): string => page.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '');

describe('HTML profile section', () => {
  const html = profileSection(profileFixture());

  it('is empty when the result has no profile', () => {
    expect(profileSection(undefined)).toBe('');
    expect(profileSection(null)).toBe('');
    expect(renderHtml(single('b.json', benchWithBudgets()))).not.toContain('data-section="profile"');
  });

  it('shows the key figures, categories and packages with a bar each', () => {
    for (const text of ['V8 sampling profiler', '1.00 ms', '10.00 s', '10,000', '4.00 s (40 % of sampled)', '<td>your code</td><td>1.70 s</td><td>17 %</td>',
      '<td>zod</td><td>720.0 ms</td><td>18 %</td>', '<td>lodash</td>']) expect(html).toContain(text);
    expect(html).not.toContain('<td>program</td>');
    expect(html.match(/<svg class="share-bar"/g)).toHaveLength(5 + 6 + 4 + 2);
    expect(html).toContain('<rect class="bar s1" x="0" y="0" width="21.6" height="10"/>');
  });

  it('lists the top functions with file:line, the five hottest stacks, and the flame graph', () => {
    expect(html).toContain('<td>searchIndex</td><td>/srv/app/src/search.js:42</td><td>(your code)</td><td>1.30 s</td><td>32.5 %</td>');
    expect(html).toContain('<td>writeSync</td><td>node:fs:900</td>');
    const stacks = /<table class="profile-stacks">[\s\S]*?<\/table>/.exec(html)![0];
    expect(stacks.match(/<tr>/g)).toHaveLength(1 + 5);
    expect(stacks).toContain('main (/srv/app/src/server.js:10) → handleCall (/srv/app/src/server.js:55) → searchIndex (/srv/app/src/search.js:42)');
    expect(html).toContain('<figure class="chart" data-chart="flame-graph"><svg');
    expect(html.match(/<g class="fg-frame/g)).toHaveLength(11);
  });

  it('summarises each tool by its top three functions, the start-up imports, files and notes', () => {
    const tools = /<table class="profile-tools">[\s\S]*?<\/table>/.exec(html)![0];
    expect(tools).toContain('<td>tools/call:search</td><td class="num">800</td><td>2.50 s</td>');
    expect(tools.match(/<li>/g)).toHaveLength(3 + 1);
    for (const text of ['spawn → ready', '420.0 ms', '260.0 ms (65 % of covered)', '<td>@modelcontextprotocol/sdk</td><td>120.0 ms</td><td>30 %</td>',
      '<td>node_modules/zod/lib/index.js</td>', '<td>bench.4242.cpuprofile</td><td class="num">4242</td><td>node server.js</td>', 'is not a Node process']) {
      expect(html).toContain(text);
    }
    // A saved path is text, never a link.
    expect(html).not.toMatch(/<a\b/);
  });

  it('appears in every kind, with the profile\'s findings once', () => {
    const withFinding = (page: string): number => page.split('searchIndex takes 32.5 % of busy CPU').length - 1;
    const b = renderHtml(single('b.json', bench()));
    expect(b).toContain('data-section="profile"');
    expect(withFinding(outsideJson(b))).toBe(1);
    const t = renderHtml(single('t.json', { ...oneKnobTune(), profile: profileFixture() }));
    expect(t).toContain('The recommended point, measured again with the profiler on.');
    expect(withFinding(outsideJson(t))).toBe(1);
    // analyze merges the profile's findings into its own: listed once, with the others.
    const a = analyzeWithFindings();
    const p = profileFixture();
    const page = renderHtml(single('a.json', { ...a, profile: p, findings: [...a.findings, ...p.findings] }));
    expect(page).toContain('data-section="profile"');
    expect(withFinding(outsideJson(page))).toBe(1);
  });

  it('never writes a hostile frame name, path or package unescaped', () => {
    const page = outsideJson(renderHtml(single('x.json', bench(hostileProfile()))));
    expect(page).not.toContain(HOSTILE.script);
    expect(page).not.toMatch(/<(script|img)\b/i);
    expect(page).not.toMatch(/<[^>]*\s(on\w+|href|src)=/i);
    expect(page).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/);
    expect(page).toContain(escapeHtml(`${HOSTILE.script}${HOSTILE.attr}${HOSTILE.amp}`));
    // Every tag is well formed: quoted attribute values hold no quote or angle bracket.
    for (const tag of page.match(/<[^>]*>/g)!) expect(tag).toMatch(/^<(!DOCTYPE html|\/?[a-z][a-z0-9]*(\s+[a-zA-Z][a-zA-Z0-9-]*(="[^"<>]*")?)*\s*\/?)>$/);
  });
});

describe('Markdown profile lines', () => {
  it('prints busy time, the top five functions, packages and start-up imports', () => {
    const md = profileMarkdown(profileFixture());
    expectGolden(join(GOLDEN_DIR, 'profile.md'), `${md}\n`);
    expect(md).toContain('Busy 4.00 s of 10.00 s sampled (10,000 samples every 1.00 ms over 10.00 s).');
    expect(md).toContain('| searchIndex | /srv/app/src/search.js:42 | (your code) | 1.30 s | 32.5% |');
    expect(md).toContain('| ZodObject.\\_parse |');
    expect(md).not.toContain('tokenize');
    expect(md).toContain('Packages (self time, of busy): (your code) 42.5% · (runtime) 24.5% · zod 18% · &#64;modelcontextprotocol/sdk 10% · ajv 0%');
    expect(md).toContain('heaviest: &#64;modelcontextprotocol/sdk 120.0 ms (30%) · zod 80.0 ms (20%)');
  });

  it('sits in the report of each kind, with bench\'s profile findings', () => {
    const out = renderMarkdown(single('b.json', bench()));
    expect(out).toContain('**CPU profile**');
    expect(out).toContain('**Findings**\n\n- 🟠 warning **searchIndex takes 32.5 % of busy CPU**');
    expect(renderMarkdown(single('t.json', { ...oneKnobTune(), profile: profileFixture() }))).toContain('**CPU profile** (the recommended point, measured again with the profiler on)');
    expect(renderMarkdown(single('b.json', benchWithBudgets()))).not.toContain('CPU profile');
  });

  it('keeps hostile names inert and the tables whole', () => {
    const md = profileMarkdown(hostileProfile());
    expect(md).not.toMatch(/<(?!sub>|\/sub>)/);
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/);
    for (const row of md.split('\n').filter((l) => l.startsWith('|'))) expect(row.replace(/\\\|/g, '').split('|').length - 1).toBe(6);
  });
});

describe('terminal profile block', () => {
  const c = painter(false);

  it('prints categories on one line, the top five functions, packages, start-up imports and files', () => {
    const out = renderProfileTable(profileFixture(), c);
    expectGolden(join(GOLDEN_DIR, 'profile-block.txt'), `${out}\n`);
    expect(out).toContain('CPU profile (V8 sampling profiler, 1.00 ms interval, 10.00 s window, 10,000 samples, busy 4.00 s of 10.00 s sampled)');
    expect(out).toContain('  time: your code 17% · packages 11.2% · runtime 9.8% · gc 2% · idle 60% (of sampled)');
    expect(out).toContain('/srv/app/src/search.js:42');
    expect(out).not.toContain('tokenize');
    expect(out).toContain('  packages (self, of busy): (your code) 42.5% · (runtime) 24.5% · zod 18% · @modelcontextprotocol/sdk 10% · ajv 0%');
    expect(out).toContain('heaviest imports: @modelcontextprotocol/sdk 120.0 ms (30%), zod 80.0 ms (20%), (your code) 40.0 ms (10%)');
    expect(out).toContain('  saved: bench.4242.cpuprofile (pid 4242) — open in Chrome DevTools or speedscope');
    expect(out).not.toContain('WARNING');
  });

  it('is part of the analyze, bench and tune tables, with findings where the result has none of its own', () => {
    const b = renderBenchTable(bench(), { color: false });
    expect(b).toContain('CPU profile (');
    expect(b).toContain('WARNING searchIndex takes 32.5 % of busy CPU [profile-hot-function]');
    const t = renderTuneTable({ ...oneKnobTune(), profile: profileFixture() }, { color: false });
    expect(t).toContain('  the recommended point, measured again with the profiler on');
    expect(renderAnalyzeTable({ ...analyzeWithFindings(), profile: profileFixture() }, { color: false })).toContain('CPU profile (');
    expect(renderBenchTable(benchWithBudgets(), { color: false })).not.toContain('CPU profile');
  });

  it('prints no escape sequence or control character from a hostile profile, with or without colour', () => {
    const plain = renderProfileTable(hostileProfile(), c, { findings: true });
    expect(plain).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/);
    expect(plain).toContain('<script>alert(1)</script>"onload="alert(2)a&bbellescredevil');
    // With colour, only chalk's own SGR sequences.
    const coloured = renderProfileTable(hostileProfile(), painter(true), { findings: true });
    expect(coloured.replace(/\u001b\[\d+(;\d+)*m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/);
  });
});
