/**
 * The registry has one reporter per --format, and what a measuring command prints through it is
 * its kind's own report: the table without report's file header, --json the result itself.
 */
import { describe, expect, it } from 'vitest';
import { renderAnalyzeTable } from '../../src/reporters/analyzeTable.js';
import { renderBenchTable } from '../../src/reporters/benchTable.js';
import { REPORT_FORMATS, REPORTERS, render } from '../../src/reporters/registry.js';
import { renderTuneTable } from '../../src/reporters/tuneTable.js';
import { serializeResult } from '../../src/result/write.js';
import { analyzeWithFindings, benchWithBudgets, single } from './reportResults.js';
import { oneKnobTune } from './tuneResults.js';

describe('reporter registry', () => {
  it('has exactly one reporter per format', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual([...REPORT_FORMATS].sort());
  });

  it('prints a measured result as its kind\'s table (tune names where it was saved) and as its JSON', () => {
    const a = analyzeWithFindings();
    const b = benchWithBudgets();
    const t = oneKnobTune();
    expect(render('table', { measured: a, savedTo: 'r/a.json' }, { color: false })).toBe(renderAnalyzeTable(a, { color: false }));
    expect(render('table', { measured: b, savedTo: null }, { color: true })).toBe(renderBenchTable(b, { color: true }));
    expect(render('table', { measured: t, savedTo: 'r/t.json' }, { color: false })).toBe(renderTuneTable(t, { color: false, resultFile: 'r/t.json' }));
    expect(render('json', { measured: b, savedTo: 'r/b.json' }, { color: false })).toBe(serializeResult(b));
  });

  it('renders a measured result in every document format as report renders it read from where it was saved', () => {
    const b = benchWithBudgets();
    for (const format of ['markdown', 'html', 'junit'] as const) {
      expect(render(format, { measured: b, savedTo: 'r/b.json' }, { color: false }), format).toBe(render(format, single('r/b.json', b), { color: false }));
    }
  });

  it('prints report\'s table of a result under its file name', () => {
    const b = benchWithBudgets();
    const text = render('table', single('r/b.json', b), { color: false });
    expect(text).toBe(`── r/b.json\n${renderBenchTable(b, { color: false })}\n`);
  });
});
