/**
 * The json reporter prints one versioned document for every input: a result as itself (byte for
 * byte what a run saves), several results, a merge and a comparison in the "mcpOpt": "report"
 * envelope (src/result/reportDocument.ts).
 */
import { describe, expect, it } from 'vitest';
import { renderJson, reportDocument } from '../../src/reporters/json.js';
import type { MergeInput } from '../../src/reporters/reportInput.js';
import { SCHEMA_VERSION } from '../../src/result/header.js';
import { serializeResult } from '../../src/result/write.js';
import { analyzeWithFindings, benchComparison, benchWithBudgets, compareInput, single } from './reportResults.js';

describe('json reporter', () => {
  it('prints a result just measured exactly as it is saved', () => {
    const r = benchWithBudgets();
    expect(renderJson({ measured: r, savedTo: null })).toBe(serializeResult(r));
  });

  it('prints one result read by report exactly as it is saved, with no envelope', () => {
    const r = analyzeWithFindings();
    expect(renderJson(single('a.json', r))).toBe(serializeResult(r));
  });

  it('wraps several results in a "results" envelope, each with its file', () => {
    const a = analyzeWithFindings();
    const b = benchWithBudgets();
    const doc = JSON.parse(renderJson({ results: [{ file: 'a.json', result: a }, { file: 'b.json', result: b }], comparison: null, gateBudgets: [[], []] }));
    expect(doc).toEqual({ mcpOpt: 'report', schemaVersion: SCHEMA_VERSION, kind: 'results', results: [{ file: 'a.json', result: a }, { file: 'b.json', result: b }] });
  });

  it('wraps a merge in a "merge" envelope: the files merged and the merged result', () => {
    const merged = benchWithBudgets();
    const input: MergeInput = { results: [{ file: 'w1.json,w2.json', result: merged }], comparison: null, gateBudgets: [[]], merged: { files: ['w1.json', 'w2.json'] } };
    expect(reportDocument(input)).toEqual({ mcpOpt: 'report', schemaVersion: SCHEMA_VERSION, kind: 'merge', files: ['w1.json', 'w2.json'], result: merged });
  });

  it('prints a comparison (of a merge too) as the comparison\'s own fields in the envelope, "mcpOpt" first', () => {
    const text = renderJson(compareInput());
    expect(JSON.parse(text)).toEqual({ mcpOpt: 'report', ...benchComparison() });
    expect(Object.keys(JSON.parse(text)).slice(0, 3)).toEqual(['mcpOpt', 'schemaVersion', 'kind']);
    expect(reportDocument({ results: compareInput().results, comparison: benchComparison(), gateBudgets: [[], []], merged: { files: ['w1.json', 'w2.json'] } })).toMatchObject({ mcpOpt: 'report', kind: 'comparison' });
  });
});
