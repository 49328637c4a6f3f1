/**
 * The pipeline every measuring command shares (hyperfine's run(): one call per step):
 * argv → options → runner → result → reporter, with the result saved as it is measured (a crash or
 * Ctrl-C keeps what was measured), secrets redacted from everything written or printed, every
 * server process reaped, and one error sink choosing the exit code.
 */
import { EXIT_CODES, UsageError, type McpOptError } from '../errors.js';
import type { OutputOptions } from '../options/analyzeOptions.js';
import type { CommandInputs } from '../options/commandInputs.js';
import { ownFlagsAfterDashes } from '../options/dashedFlags.js';
import { loadConfig } from '../options/configFile.js';
import { render } from '../reporters/registry.js';
import type { AnyResult } from '../result/anyResult.js';
import { Redactor } from '../result/redact.js';
import { defaultResultPath, probeWritable, serializeResult, writeFileAtomic } from '../result/write.js';
import type { Emit } from '../runners/events.js';
import { describeSpec, type LaunchSpec } from '../target/launchSpec.js';
import { hostNote } from '../target/remoteHost.js';
import { stopAll } from '../target/serverProcess.js';
import { stripControl } from '../util/controlChars.js';
import { fsReason } from '../util/fsReason.js';
import { reportError } from './errorSink.js';
import type { Io } from './io.js';
import type { Progress } from './progress.js';
import { interruptSignal } from './signals.js';

/** What every measuring command's options hold: the launch spec and the output settings. */
export interface PipelineOptions {
  /** What to launch or connect to. */
  spec: LaunchSpec;
  /** Where and how results are printed and saved. */
  output: OutputOptions;
}

/** How one command plugs into the pipeline. */
export interface CommandParts<O extends PipelineOptions, R extends AnyResult> {
  /** Result kind, for the default file name (reports/<kind>-<timestamp>.json). */
  kind: string;
  /** Flags, config and environment → the command's frozen options (throws UsageError, exit 2). */
  resolve: (inputs: CommandInputs) => Promise<O>;
  /** The progress display on `io.stderr`. */
  progress: (opts: O, redact: (text: string) => string, io: Io) => Promise<Progress>;
  /** Measure; `resultPath` is where the result is saved (null with --no-save), for files written beside it. */
  run: (opts: O, emit: Emit<R>, signal: AbortSignal, resultPath: string | null) => Promise<{
    /** What was measured, complete or marked incomplete; saved and printed whatever `failure` is. */
    result: R;
    /** Why the run ended early (its exit code stands), or null when it ran to its end. */
    failure: McpOptError | null;
  }>;
  /** Before anything runs: return an exit code to stop there (e.g. tune --dry-run prints its plan). */
  preflight?: (opts: O, io: Io) => number | null;
  /** The exit code of a finished run without failure (default: 1 when a user budget failed, else 0). */
  verdict?: (result: R) => number;
  /** After the result is printed and saved (e.g. tune --apply); returns an exit code to override the verdict, or null. */
  after?: (result: R, opts: O, io: Io) => Promise<number | null>;
}

/** Run a command; returns the exit code. */
export async function runCommand<O extends PipelineOptions, R extends AnyResult>(
  parts: CommandParts<O, R>,
  target: string | undefined,
  command: string[] | undefined,
  flags: Record<string, unknown>,
  ownFlags: readonly string[],
  io: Io,
): Promise<number> {
  const { signal, dispose, setSaving } = interruptSignal(io);
  const say = (text: string): void => void io.stderr.write(text);
  let redactor: Redactor | undefined;
  // Said first: a flag meant for mcp-opt may also explain an error that follows.
  const dashed = ownFlagsAfterDashes(command, ownFlags, parts.kind);
  if (dashed) say(`mcp-opt: ! ${dashed}\n`);
  const withNotes = (result: R): R => {
    if (dashed && !result.warnings.includes(dashed)) result.warnings.unshift(dashed);
    return result;
  };
  try {
    const { cwd, env } = io;
    const config = await loadConfig(flags['config'] as string | undefined, cwd);
    const opts = await parts.resolve({
      target, command, flags, config, cwd, env,
      stdoutTTY: io.stdout.isTTY === true, stderrTTY: io.stderr.isTTY === true, stderrColumns: io.stderr.columns,
    });
    const early = parts.preflight?.(opts, io);
    if (early !== undefined && early !== null) return early;
    const outPath = opts.output.save ? opts.output.outFile ?? defaultResultPath(opts.output.reportsDir, parts.kind, new Date()) : null;
    // Measurements that cannot be saved are found out before they are made, not after.
    const unwritable = outPath ? probeWritable(outPath) : null;
    if (unwritable) throw new UsageError(cannotSave(outPath!, unwritable, opts.output.outFile !== null));
    const r = (redactor = Redactor.forSpec(opts.spec, env));
    // The spec's security guidance: show exactly what will run before running it.
    say(`mcp-opt: ${opts.spec.kind === 'stdio' ? 'running' : 'connecting to'} ${r.text(describeSpec(opts.spec))}\n`);
    const where = opts.spec.kind === 'http' ? await hostNote(opts.spec.url) : null;
    if (where !== null) say(`mcp-opt: ${stripControl(r.text(where))}\n`);
    setSaving(outPath !== null);
    /** Save; the OS's reason when it could not (the run goes on: its result is still printed). */
    const save = (result: R): string | null => {
      if (!outPath) return null;
      try {
        writeFileAtomic(outPath, serializeResult(r.value(withNotes(result))));
        return null;
      } catch (err) {
        return fsReason(err);
      }
    };
    let checkpointWarned = false;
    const progress = await parts.progress(opts, (t) => stripControl(r.text(t)), io);
    const { result, failure } = await parts.run(opts, (e) => {
      progress.handle(e);
      const why = e.type === 'checkpoint' ? save(e.result) : null;
      if (why && !checkpointWarned) {
        checkpointWarned = true;
        say(`mcp-opt: ! could not save a checkpoint to ${outPath} (${why}); measuring goes on and the result will be printed at the end\n`);
      }
    }, signal, outPath);
    progress.stop();
    const unsaved = save(result);
    const clean = r.value(withNotes(result));
    // A usage error found once connected (e.g. a tool the server does not list) gets its message
    // alone on a terminal, not a report of what was not run; --json still prints the result.
    const printed = opts.output.json || !(failure instanceof UsageError);
    if (printed) io.stdout.write(render(opts.output.json ? 'json' : 'table', { measured: clean, savedTo: outPath }, { color: opts.output.color }));
    const unsavedLine = (code: number | null): string =>
      `mcp-opt: could not save the result to ${outPath} (${unsaved}); ${printed ? 'it was printed above but' : 'it was'} not saved${code === null ? '' : ` (exit ${code})`}.\n`;
    if (outPath && !unsaved) say(`mcp-opt: saved ${outPath}${result.incomplete ? ' (incomplete)' : ''}\n`);
    if (failure) {
      // The failure's own exit code stands; its error follows.
      if (unsaved) say(unsavedLine(null));
      return reportError(failure, io.stderr, r);
    }
    const verdict = parts.verdict ? parts.verdict(result) : result.budgets.some((b) => !b.pass && b.source !== 'default') ? EXIT_CODES.BUDGET_FAILED : EXIT_CODES.OK;
    const code = (await parts.after?.(result, opts, io)) ?? (unsaved ? EXIT_CODES.USAGE : verdict);
    if (unsaved) say(unsavedLine(code));
    return code;
  } catch (err) {
    return reportError(err, io.stderr, redactor);
  } finally {
    dispose();
    await stopAll();
  }
}

/** The preflight's error: where the result would go, why it cannot, and what to do. */
function cannotSave(path: string, why: string, named: boolean): string {
  const fix = named
    ? 'Give --out a path in a folder you can write'
    : 'The default is reports/ in the working directory: run from a folder you can write, or give --out a path you can write';
  return `Cannot save the result at ${path} (${why}); nothing was run. ${fix}, or pass --no-save to only print the result.`;
}
