/**
 * `mcp-opt report`'s flags → frozen options, checked before any file is read: formats and where
 * each goes, the comparison's thresholds, and the budgets (flags, --budget-file, config).
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { REPORT_FORMATS, type ReportFormat } from '../reporters/formats.js';
import { parseBudget, parseBudgetList, type BudgetSpec } from '../budgets/spec.js';
import type { LoadedConfig } from './configFile.js';
import { parsePercent } from './parse.js';

export { REPORT_FORMATS, type ReportFormat } from '../reporters/formats.js';

/** Smallest change counted as improved or regressed, % (below it a significant change is still "unchanged"). */
export const DEFAULT_MIN_EFFECT_PCT = 5;

/** report's options. */
export interface ReportOptions {
  /** Files and folders named (empty: the newest result in reports/). */
  readonly paths: readonly string[];
  /** Each format and its destination: an absolute path, or '-' for stdout. */
  readonly outputs: ReadonlyArray<{
    /** The format rendered (--format, default table). */
    format: ReportFormat;
    /** Its destination: the absolute path of its --out, or '-' for stdout. */
    out: string;
  }>;
  /** --compare: the baseline file or folder, or null. */
  readonly compare: string | null;
  /** --fail-on-regression, percent, or null. */
  readonly failOnRegressionPct: number | null;
  /** --min-effect: smallest change counted as improved or regressed, percent (default 5). */
  readonly minEffectPct: number;
  /** --force: compare runs measured differently (load model, rate, workload, target) instead of refusing a verdict. */
  readonly force: boolean;
  /** --merge: add the results up into one. */
  readonly merge: boolean;
  /** Budgets from --budget, --budget-file and the config (parsed, not yet tied to a result kind). */
  readonly budgets: readonly BudgetSpec[];
  /** $GITHUB_STEP_SUMMARY, where markdown is appended too, or null. */
  readonly stepSummary: string | null;
  /** ANSI colour for a table on stdout: false with --no-color, NO_COLOR set, or stdout not a terminal. */
  readonly color: boolean;
  /** The working directory: relative paths (arguments and flags) resolve against it. */
  readonly cwd: string;
  /** `reports/` under cwd, where the newest result is taken from when no path is named. */
  readonly reportsDir: string;
}

/**
 * Resolve report's options. Formats pair with --out in order (`--format html --out r.html
 * --format markdown --out -`); a format without its --out goes to stdout.
 */
export function resolveReportOptions(i: {
  paths: string[]; flags: Record<string, unknown>; config: LoadedConfig | null; budgetFiles: LoadedConfig[];
  cwd: string; env: NodeJS.ProcessEnv; stdoutTTY: boolean;
}): ReportOptions {
  const f = i.flags;
  const formats = ((f['format'] as string[] | undefined) ?? ['table']).map((x) => {
    if (!(REPORT_FORMATS as readonly string[]).includes(x)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${x}" (repeat --format for several).`);
    return x as ReportFormat;
  });
  const outs = (f['out'] as string[] | undefined) ?? [];
  if (outs.length > formats.length) {
    throw new UsageError(`${outs.length} --out for ${formats.length} --format: each --out pairs with the --format before it, e.g. --format html --out report.html --format junit --out junit.xml.`);
  }
  const outputs = formats.map((format, k) => ({ format, out: outs[k] === undefined || outs[k] === '-' ? '-' : resolve(i.cwd, outs[k]!) }));
  const toStdout = outputs.filter((o) => o.out === '-').map((o) => o.format);
  if (toStdout.length > 1 && toStdout.some((x) => x === 'json' || x === 'junit' || x === 'html')) {
    throw new UsageError(`--format ${toStdout.join(' and ')} would all go to stdout, mixing a document with other output: give each an --out FILE.`);
  }
  const failRaw = f['failOnRegression'];
  const failOnRegressionPct = failRaw === undefined ? null : parsePercent(String(failRaw), '--fail-on-regression', 1000, 10);
  if (failOnRegressionPct !== null && f['compare'] === undefined) throw new UsageError('--fail-on-regression judges a comparison: give the baseline with --compare FILE.');
  const merge = f['merge'] === true;
  const force = f['force'] === true;
  if (force && f['compare'] === undefined) throw new UsageError('--force lets --compare judge runs measured differently: give the baseline with --compare FILE.');
  const budgets = [
    ...budgetsOf(i.config, 'config'),
    ...i.budgetFiles.flatMap((b) => budgetsOf(b, 'budget file')),
    ...((f['budget'] as string[] | undefined) ?? []).map((e) => parseBudget(e, 'flag', '--budget')),
  ];
  return Object.freeze({
    paths: i.paths,
    outputs,
    compare: (f['compare'] as string | undefined) ?? null,
    failOnRegressionPct,
    minEffectPct: f['minEffect'] === undefined ? DEFAULT_MIN_EFFECT_PCT : parsePercent(String(f['minEffect']), '--min-effect', 1000, DEFAULT_MIN_EFFECT_PCT),
    force,
    merge,
    budgets,
    stepSummary: i.env['GITHUB_STEP_SUMMARY'] || null,
    color: f['color'] !== false && !i.env['NO_COLOR'] && i.stdoutTTY,
    cwd: i.cwd,
    reportsDir: resolve(i.cwd, 'reports'),
  });
}

/** Budgets of a config or budget file: "budgets" as a list of expressions or an object of metric → "<threshold". */
function budgetsOf(file: LoadedConfig | null, what: string): BudgetSpec[] {
  if (!file) return [];
  const raw = file.data['budgets'];
  const where = `${what} ${file.path}`;
  if (raw === undefined) {
    if (what === 'budget file') throw new UsageError(`${where} has no "budgets": write { "budgets": ["p95<100ms", "errors<1%"] } (JSON or YAML).`);
    return [];
  }
  return parseBudgetList(raw, where);
}
