import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mdText, renderMarkdown } from '../../src/reporters/markdown.js';
import { analyzeWithFindings, benchComparison, benchWithBudgets, compareInput, fixedHeader, single } from './reportResults.js';
import { incompleteTune, oneKnobTune } from './tuneResults.js';
import { expectGolden as expectGoldenFile } from '../helpers/golden.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

/** Compare with golden/<name>.md. */
function expectGolden(name: string, actual: string): void {
  expectGoldenFile(join(GOLDEN_DIR, `${name}.md`), actual);
}

/** Unescaped pipes in a table row: the cell separators. */
const separators = (row: string): number => row.replace(/\\\|/g, '').split('|').length - 1;

const EVIL_TOOL = '<img src=x onerror=alert(1)>|x';

describe('renderMarkdown golden output', () => {
  it('renders a bench result with one failing budget', () => expectGolden('report-bench', renderMarkdown(single('reports/bench.json', benchWithBudgets()))));
  it('renders an analyze result with findings', () => expectGolden('report-analyze', renderMarkdown(single('reports/analyze.json', analyzeWithFindings()))));
  it('renders a tune result', () => expectGolden('report-tune', renderMarkdown(single('reports/tune.json', fixedHeader(oneKnobTune())))));
  it('renders a bench comparison', () => expectGolden('report-compare', renderMarkdown(compareInput())));
});

describe('renderMarkdown', () => {
  it('puts the verdict first in the title', () => {
    expect(renderMarkdown(compareInput()).split('\n')[0]).toBe('## ❌ 1 regression beyond 10 %, 1 failed budget — mcp-opt bench compare');
    expect(renderMarkdown(single('b.json', benchWithBudgets())).split('\n')[0]).toBe('## ❌ mcp-opt bench: 1 failed budget');
    const input = compareInput();
    input.results[0]!.result.budgets = [];
    input.comparison!.metrics = input.comparison!.metrics.filter((m) => m.verdict !== 'regressed');
    input.comparison!.counts = { improved: 1, regressed: 0, unchanged: 1 };
    expect(renderMarkdown(input).split('\n')[0]).toBe('## ✅ No regression — mcp-opt bench compare');
  });

  it('warns, without failing, on a regression within the gate', () => {
    const input = compareInput();
    input.results[0]!.result.budgets = [];
    input.comparison!.metrics[1]!.failing = false;
    expect(renderMarkdown(input).split('\n')[0]).toBe('## ⚠️ 1 regression, within the 10 % gate — mcp-opt bench compare');
  });

  it('bolds failing comparison rows and marks verdicts', () => {
    const out = renderMarkdown(compareInput());
    expect(out).toContain('| **latency.p95** | **48.3 ms** | **61.2 ms** | **+12.9 ms (+26.7 %)** | **1.27 (1.18–1.36)** | **🔴 regressed (fails)** |');
    expect(out).toContain('🟢 improved');
    expect(out).toContain('⚪ unchanged');
    expect(out).toContain('a percentile counts as changed when the 95 % bootstrap interval of its own ratio excludes 1');
    expect(out).toContain('at least 5 %');
    expect(out).not.toContain('⚠️');
  });

  it('says, above the verdicts, how two runs compared under --force were measured differently', () => {
    const input = compareInput();
    input.comparison!.differences = [{ what: 'load model', baseline: 'open loop at 100 req/s (uniform arrivals)', current: 'closed loop at concurrency 8' }];
    const out = renderMarkdown(input);
    const warning = out.indexOf('> ⚠️ Compared under --force although measured differently (load model: baseline open loop at 100 req/s (uniform arrivals), current closed loop at concurrency 8)');
    expect(warning).toBeGreaterThan(0);
    expect(warning).toBeLessThan(out.indexOf('| metric |'));
  });

  it('shows only the current result of a comparison, with the gate budgets under it', () => {
    const out = renderMarkdown(compareInput());
    expect(out.match(/^### /gm)).toHaveLength(1);
    expect(out).toContain('| throughput&gt;150 | 199.8 | ✅ pass | flag, report gate |');
  });

  it('keeps a typical bench comparison under 60 lines', () => {
    expect(renderMarkdown(compareInput()).split('\n').length).toBeLessThan(60);
  });

  it('reads a missed default target as advice, not a failure', () => {
    const out = renderMarkdown(single('a.json', analyzeWithFindings()));
    expect(out.split('\n')[0]).toBe('## ✅ mcp-opt analyze: budgets met, 1 default target missed, 2 findings');
    expect(out).toContain('| coldStart.p50&lt;400ms | 612.0 ms | ⚠️ missed (default target, not gated) | default |');
    expect(out).toContain('➖ not measured (no safe tool to call)');
  });

  it('says when a run is incomplete', () => {
    const out = renderMarkdown(single('t.json', incompleteTune()));
    expect(out.split('\n')[0]).toBe('## ⚠️ mcp-opt tune: no budgets set, incomplete run');
    expect(out).toContain('> ⚠️ **Incomplete:** interrupted (Ctrl-C) after point 3 of 10.');
  });

  it('escapes HTML and Markdown in server-provided strings', () => {
    const r = analyzeWithFindings();
    r.latency!.operations[2]!.op = `tools/call:${EVIL_TOOL}`;
    r.server!.name = `"'&`;
    r.findings[0]!.title = `*bold* _it_ [link](http://x) \`code\` ~strike~ $x$ back\\slash`;
    const c = benchComparison();
    c.metrics[0]!.metric = `tools/call:${EVIL_TOOL}.p95`;
    const input = { ...single('a.json', r), comparison: c };
    const out = renderMarkdown(input);
    expect(out).not.toContain('<img');
    expect(out).toContain('tools/call:&lt;img src=x onerror=alert(1)&gt;\\|x');
    expect(out).toContain('server "\'&amp;');
    expect(out).toContain('\\*bold\\* \\_it\\_ \\[link\\](http://x) \\`code\\` \\~strike\\~ \\$x\\$ back\\\\slash');
    for (const table of out.split('\n\n').filter((b) => b.startsWith('| '))) {
      const rows = table.split('\n');
      for (const row of rows) expect(separators(row), row).toBe(separators(rows[0]!));
    }
  });

  it('a server-provided @mention cannot notify anyone from a pull-request comment', () => {
    expect(mdText('ping @maintainers now')).toBe('ping &#64;maintainers now');
  });

  it('strips control characters, ANSI escapes and newlines from table cells', () => {
    const r = analyzeWithFindings();
    r.latency!.operations[0]!.op = 'tools/call:\u001b[31mred\u001b[0m\nnext\r\nline\u0007';
    const out = renderMarkdown(single('a.json', r));
    expect(out).toContain('| steady p95 · tools/call:red next line | 340 µs |');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('mdText cuts long text and escapes every special character', () => {
    expect(mdText('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
    expect(mdText('<>&|`*_[]')).toBe('&lt;&gt;&amp;\\|\\`\\*\\_\\[\\]');
    expect(mdText(null)).toBe('–');
  });
});
