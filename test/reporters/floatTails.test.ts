/**
 * No raw float in any rendered report: every figure goes through a formatter
 * (src/reporters/format.ts), so `3.8900000000000006 ms` can never reach a terminal, a Markdown
 * summary, a JUnit file or an HTML page. The fixtures are given float tails everywhere a real run
 * can have one (every non-integer, and the rates and percentages that are non-integers in real
 * runs), then every format is rendered and scanned.
 */
import { describe, expect, it } from 'vitest';
import { render as renderReport } from '../../src/reporters/registry.js';
import type { ReportFormat } from '../../src/options/resolveReport.js';
import type { ReportInput } from '../../src/reporters/reportInput.js';
import { realAnalyze, realBench, realComparison } from './htmlResults.js';
import { analyzeWithFindings, benchWithBudgets, compareInput, single } from './reportResults.js';
import { incompleteTune, noSloTune, oneKnobTune, twoKnobTune } from './tuneResults.js';

/** A float tail: a digit, the point, then 7 or more digits (what `String(0.1 + 0.2)` gives). */
const FLOAT_TAIL = /\d\.\d{7,}/;

/** Fields that are fractions in real runs even when a fixture gives them round values. */
const FRACTIONAL = new Set([
  'sentRps', 'succeededRps', 'targetRps', 'rps', 'atRps', 'measuredSeconds', 'errorRatePct', 'rateErrorPct', 'cpuPct', 'cpuPctMean', 'cpuPctMax',
  'slopeUsPerPosition', 'positionCorrelation', 'sloThresholdMs', 'threshold', 'actual', 'maxErrorPct', 'noisePct', 'minEffectPct', 'failOnRegressionPct',
  'rssSlopeBytesPerSec', 'ratio', 'delta', 'baseline', 'current', 'lambda', 'sigma', 'kappa', 'r2', 'peakN', 'peakThroughput', 'durationMs', 'pointDurationMs',
  'pointWarmupMs', 'warmupMs', 'sampleIntervalMs', 'p50', 'p99', 'max', 'readyMs', 'handshakeMs', 'registryCostUs', 'pValue', 'effectSize',
]);

/** A copy of `value` with float tails: non-integers get one, FRACTIONAL fields become fractions with one. */
function withTails<T>(value: T, key = ''): T {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return value;
    const v = FRACTIONAL.has(key) && Number.isInteger(value) ? value + 0.1 + 0.2 : value;
    return (Number.isInteger(v) ? v : v * (1 + 2 ** -50)) as T;
  }
  if (Array.isArray(value)) return value.map((x) => withTails(x, key)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, withTails(x, k)])) as T;
  return value;
}

/**
 * What a reader sees as figures: for HTML, the page's text without the embedded JSON data, the
 * style sheet, SVG coordinates (attributes) and <pre> blocks (patches quoted verbatim: the
 * values written to a config file, not figures).
 */
function visible(format: ReportFormat, text: string): string {
  if (format !== 'html') return text;
  return text.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/<[^>]*>/g, ' ');
}

const INPUTS: Array<[string, () => ReportInput]> = [
  ['bench', () => single('bench.json', benchWithBudgets())],
  ['real bench', () => single('bench.json', realBench())],
  ['analyze', () => single('analyze.json', analyzeWithFindings())],
  ['real analyze', () => single('analyze.json', realAnalyze())],
  ['tune, one knob', () => single('tune.json', oneKnobTune())],
  ['tune, two knobs', () => single('tune.json', twoKnobTune())],
  ['tune, no SLO met', () => single('tune.json', noSloTune())],
  ['tune, incomplete', () => single('tune.json', incompleteTune())],
  ['comparison', compareInput],
  ['real comparison', realComparison],
];
const FORMATS: ReportFormat[] = ['table', 'markdown', 'html', 'junit'];

describe('rendered reports carry no raw float', () => {
  for (const [name, input] of INPUTS) {
    for (const format of FORMATS) {
      it(`${name} as ${format}`, () => {
        const text = visible(format, renderReport(format, withTails(input()), { color: false }));
        const lines = [...text.matchAll(/.{0,80}\d\.\d{7,}.{0,40}/g)].map((m) => m[0].trim());
        expect(lines).toEqual([]);
      });
    }
  }

  it('the fixtures do carry tails (the scan can fail)', () => {
    const r = withTails(benchWithBudgets());
    expect(String(r.throughput.sentRps)).toMatch(FLOAT_TAIL);
    expect(String(r.requests.errorRatePct)).toMatch(FLOAT_TAIL);
  });
});
