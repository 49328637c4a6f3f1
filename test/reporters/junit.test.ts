import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJunit, xmlText } from '../../src/reporters/junit.js';
import type { ReportInput } from '../../src/reporters/reportInput.js';
import { analyzeWithFindings, benchComparison, benchWithBudgets, compareInput, fixedHeader, single } from './reportResults.js';
import { incompleteTune, oneKnobTune } from './tuneResults.js';
import { expectGolden as expectGoldenFile } from '../helpers/golden.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const GOLDEN_DIR = join(HERE, 'golden');
/** Apache Ant's JUnit schema (windyroad JUnit.xsd): see the header of the file. */
const XSD = join(HERE, 'junit.xsd');
const TMP = mkdtempSync(join(tmpdir(), 'mcp-opt-junit-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Compare with golden/<name>.xml. */
function expectGolden(name: string, actual: string): void {
  expectGoldenFile(join(GOLDEN_DIR, `${name}.xml`), actual);
}

/** Validate `xml` against the vendored XSD with xmllint; fails (never skips) when xmllint is missing. */
function expectValid(xml: string, name: string): void {
  const file = join(TMP, `${name}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    expect.fail('xmllint was not found: install libxml2-utils (apt-get install -y libxml2-utils) to validate the JUnit output against test/reporters/junit.xsd.');
  }
  expect(run.stderr, `xmllint rejected ${name}`).toContain('validates');
  expect(run.status, run.stderr).toBe(0);
}

const EVIL_TOOL = '<img src=x onerror=alert(1)>|x';

const CASES: Array<[string, () => ReportInput]> = [
  ['report-bench', () => single('reports/bench.json', benchWithBudgets())],
  ['report-analyze', () => single('reports/analyze.json', analyzeWithFindings())],
  ['report-tune', () => single('reports/tune.json', fixedHeader(oneKnobTune()))],
  ['report-compare', compareInput],
];

describe('renderJunit golden output', () => {
  for (const [name, input] of CASES) it(`renders ${name}`, () => expectGolden(name, renderJunit(input())));
});

describe('renderJunit is valid against the JUnit XSD', () => {
  for (const [name, input] of CASES) it(`validates ${name}`, () => expectValid(renderJunit(input()), name));
  it('validates an incomplete run', () => expectValid(renderJunit(single('t.json', incompleteTune())), 'incomplete'));
});

describe('renderJunit', () => {
  it('gives a failed budget a <failure type="budget"> with measured vs threshold', () => {
    const xml = renderJunit(single('b.json', benchWithBudgets()));
    expect(xml).toContain('<testsuite name="mcp-opt bench node dist/server.js" tests="4" failures="1" errors="0" time="66.400" timestamp="2024-05-02T09:14:07"');
    expect(xml).toContain('<testcase classname="mcp-opt.budgets" name="p95&lt;50ms" time="0">\n      <failure message="p95&lt;50ms: measured 61.2 ms, budget &lt; 50.0 ms" type="budget">');
    expect(xml).toContain('<testcase classname="mcp-opt.budgets" name="errors&lt;1%" time="0"/>');
  });

  it('reports an incomplete run as an errored "run completed" case', () => {
    const xml = renderJunit(single('t.json', incompleteTune()));
    expect(xml).toContain('errors="1"');
    expect(xml).toContain('<testcase classname="mcp-opt.run" name="run completed" time="0">\n      <error message="the run stopped early: interrupted (Ctrl-C) after point 3 of 10" type="incomplete">');
  });

  it('adds a compare suite: a failing regression fails, a regression within the gate passes with a note', () => {
    const input = compareInput();
    let xml = renderJunit(input);
    expect(xml).toContain('<testsuite name="mcp-opt compare" tests="3" failures="1" errors="0"');
    expect(xml).toMatch(/<testcase classname="mcp-opt.compare" name="latency.p95" time="0">\n {6}<failure message="latency.p95 regressed beyond 10 %: 48.3 ms → 61.2 ms \(\+26.7 %, ratio 1.27, 95 % CI 1.18–1.36\)" type="regression">/);
    input.comparison!.metrics[1]!.failing = false;
    xml = renderJunit(input);
    expect(xml).toContain('<testcase classname="mcp-opt.compare" name="latency.p95" time="0"/>');
    expect(xml).toContain('latency.p95 regressed: 48.3 ms → 61.2 ms (+26.7 %, ratio 1.27, 95 % CI 1.18–1.36) (within the 10 % gate: passes)');
    expectValid(xml, 'compare-within-gate');
  });

  it('escapes server-provided strings and stays valid', () => {
    const r = analyzeWithFindings();
    r.server!.name = `"'&`;
    r.target.display = `node ${EVIL_TOOL}`;
    r.findings[0]!.title = `tool ${EVIL_TOOL} is slow "'&`;
    const c = benchComparison();
    c.metrics[0]!.metric = `tools/call:${EVIL_TOOL}.p95`;
    const input: ReportInput = { results: [{ file: 'a.json', result: r }], comparison: c, gateBudgets: [[]] };
    const xml = renderJunit(input);
    expect(xml).not.toContain('<img');
    expect(xml).toContain('name="tools/call:&lt;img src=x onerror=alert(1)&gt;|x.p95"');
    expect(xml).toContain('value="&quot;&apos;&amp; 2.0.1"');
    expect(xml).toContain('tool &lt;img src=x onerror=alert(1)&gt;|x is slow &quot;&apos;&amp;');
    expectValid(xml, 'escaped');
  });

  it('drops characters illegal in XML 1.0 and keeps the rest', () => {
    expect(xmlText('a\u0000b\u0001c\u001b[31md\u001b[0m\uFFFEe\uFFFFf\uD800g\uDC00h😀\ti\nj')).toBe('abcdefgh😀\ti\nj');
    const r = benchWithBudgets();
    r.incomplete = true;
    r.incompleteReason = 'server crashed: \u0000\u0008\uD83D boom\r\n  at x';
    r.warnings = ['late \u0007 responses \uFFFF'];
    expectValid(renderJunit(single('b.json', r)), 'illegal-chars');
  });
});
