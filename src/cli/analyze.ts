/**
 * `mcp-opt analyze`: argv → options → runner → result → reporters, one call per step (hyperfine's
 * run()). Saves the result as it is measured, so a crash or Ctrl-C keeps what was measured.
 */
import { EXIT_CODES } from '../errors.js';
import { loadConfig } from '../options/configFile.js';
import { resolveAnalyzeOptions } from '../options/resolveAnalyze.js';
import { renderAnalyzeTable } from '../reporters/analyzeTable.js';
import type { AnalyzeResult } from '../result/analyzeResult.js';
import { Redactor } from '../result/redact.js';
import { defaultResultPath, serializeResult, writeFileAtomic } from '../result/write.js';
import { describeSpec } from '../target/launchSpec.js';
import { stopAll } from '../target/serverProcess.js';
import { stripControl } from '../target/stderrRing.js';
import { reportError } from './errorSink.js';
import { createProgress } from './progress.js';
import { interruptSignal } from './signals.js';

/** Run analyze; returns the exit code. */
export async function analyzeCommand(target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>): Promise<number> {
  const { signal, dispose, setSaving } = interruptSignal();
  let redactor: Redactor | undefined;
  try {
    const cwd = process.cwd();
    const config = await loadConfig(flags['config'] as string | undefined, cwd);
    const opts = await resolveAnalyzeOptions({
      target, command, flags, config, cwd, env: process.env,
      stdoutTTY: process.stdout.isTTY === true, stderrTTY: process.stderr.isTTY === true, stderrColumns: process.stderr.columns,
    });
    redactor = Redactor.forSpec(opts.spec, process.env);
    // The spec's security guidance: show exactly what will run before running it.
    process.stderr.write(`mcp-opt: ${opts.spec.kind === 'stdio' ? 'running' : 'connecting to'} ${redactor.text(describeSpec(opts.spec))}\n`);

    const outPath = opts.output.save ? opts.output.outFile ?? defaultResultPath(opts.output.reportsDir, 'analyze', new Date()) : null;
    setSaving(outPath !== null);
    const r = redactor;
    const save = (result: AnalyzeResult): void => {
      if (outPath) writeFileAtomic(outPath, serializeResult(r.value(result)));
    };
    const progress = await createProgress({ spinners: opts.output.spinners, quiet: false, redact: (t) => stripControl(r.text(t)) });
    const { runAnalyze } = await import('../runners/analyze/index.js');
    const { result, failure } = await runAnalyze(opts, (e) => {
      progress.handle(e);
      if (e.type === 'checkpoint') save(e.result);
    }, signal);
    progress.stop();
    save(result);
    const clean = r.value(result);
    process.stdout.write(opts.output.json ? serializeResult(clean) : renderAnalyzeTable(clean, { color: opts.output.color }));
    if (outPath) process.stderr.write(`mcp-opt: saved ${outPath}${result.incomplete ? ' (incomplete)' : ''}\n`);
    if (failure) return reportError(failure, r);
    return result.budgets.some((b) => !b.pass && b.source !== 'default') ? EXIT_CODES.BUDGET_FAILED : EXIT_CODES.OK;
  } catch (err) {
    return reportError(err, redactor);
  } finally {
    dispose();
    await stopAll();
  }
}
