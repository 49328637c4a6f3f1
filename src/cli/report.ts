/**
 * `mcp-opt report [files or folders…]`: read saved results (the newest in reports/ by default),
 * optionally merge them, gate them on budgets, compare with a baseline, and render each --format
 * to its --out (or stdout). Markdown is also appended to $GITHUB_STEP_SUMMARY when that is set.
 * Exit 0; 1 when a budget fails or a regression is significant and beyond --fail-on-regression;
 * 2 for bad flags, budgets or result files, or a --compare of runs measured differently without --force.
 */
import { appendFileSync } from 'node:fs';
import { EXIT_CODES, UsageError } from '../errors.js';
import { loadConfig } from '../options/configFile.js';
import { resolveReportOptions } from '../options/resolveReport.js';
import type { ReportInput } from '../reporters/reportInput.js';
import { loadBaseline, loadInputs, type LoadedResult } from '../result/read.js';
import { writeFileAtomic } from '../result/write.js';
import { fsReason } from '../util/fsReason.js';
import { reportError } from './errorSink.js';
import type { Io } from './io.js';

/** Run report; returns the exit code. */
export async function reportCommand(paths: string[], flags: Record<string, unknown>, io: Io): Promise<number> {
  try {
    const { cwd } = io;
    const config = await loadConfig(flags['config'] as string | undefined, cwd);
    const budgetFiles = await Promise.all(((flags['budgetFile'] as string[] | undefined) ?? []).map((f) => loadConfig(f, cwd).then((c) => c!)));
    const opts = resolveReportOptions({ paths, flags, config, budgetFiles, cwd, env: io.env, stdoutTTY: io.stdout.isTTY === true });
    let results: LoadedResult[] = loadInputs(opts.paths, cwd, opts.reportsDir);
    let merged: { files: string[] } | undefined;
    if (opts.merge) {
      const { mergeBenchResults } = await import('../result/merge.js');
      const bench = results.map((r) => r.result);
      if (bench.some((r) => r.kind !== 'bench')) throw new UsageError('--merge adds up bench results (one per load generator); some of these are not bench results.');
      merged = { files: results.map((r) => r.file) };
      results = [{ file: merged.files.join(','), result: mergeBenchResults(bench as never, merged.files) }];
    }
    let comparison: ReportInput['comparison'] = null;
    if (opts.compare !== null) {
      if (results.length !== 1) {
        throw new UsageError(`--compare compares one current result with a baseline, but ${results.length} were named. Name one file (or --merge several).`);
      }
      const baseline = loadBaseline(opts.compare, cwd, results[0]!.result.kind);
      const { compareResults } = await import('../compare/compareMetrics.js');
      comparison = compareResults(baseline.result, results[0]!.result, {
        failOnRegressionPct: opts.failOnRegressionPct, minEffectPct: opts.minEffectPct, force: opts.force, files: { baseline: baseline.file, current: results[0]!.file },
      });
      results = [results[0]!, baseline];
    }
    const { gateResults } = await import('../budgets/gateResults.js');
    // With a comparison only the current run is gated (the baseline is what it is compared with).
    const gated = comparison ? [results[0]!.result] : results.map((r) => r.result);
    const gateBudgets = gateResults(opts.budgets, gated);
    const input = { results, comparison, gateBudgets, ...(merged ? { merged } : {}) } as ReportInput;
    const { render } = await import('../reporters/registry.js');
    for (const { format, out } of opts.outputs) {
      const text = render(format, input, { color: opts.color && out === '-' && format === 'table' });
      if (out === '-') io.stdout.write(text);
      else {
        try {
          writeFileAtomic(out, text);
        } catch (err) {
          throw new UsageError(`could not write ${format} to ${out} (${fsReason(err)}). Give --out a path in a folder you can write.`, { cause: err });
        }
        io.stderr.write(`mcp-opt: wrote ${format} to ${out}\n`);
      }
      if (format === 'markdown' && opts.stepSummary) appendFileSync(opts.stepSummary, text);
    }
    const budgetFailed = gateBudgets.some((bs) => bs.some((b) => !b.pass));
    return budgetFailed || comparison?.failed ? EXIT_CODES.BUDGET_FAILED : EXIT_CODES.OK;
  } catch (err) {
    return reportError(err, io.stderr);
  }
}
