/**
 * `mcp-opt proxy`: flags → options, then the proxy runs until its client leaves (stdio front, exit
 * 0) or a signal stops it (exit 130, after draining). It writes no result file: /metrics is its output.
 */
import { EXIT_CODES } from '../errors.js';
import { loadConfig } from '../options/configFile.js';
import { ownFlagsAfterDashes } from '../options/dashedFlags.js';
import { resolveProxyOptions } from '../options/resolveProxy.js';
import { Redactor } from '../result/redact.js';
import { describeSpec } from '../target/launchSpec.js';
import { stopAll } from '../target/serverProcess.js';
import { stripControl } from '../util/controlChars.js';
import { reportError } from './errorSink.js';
import { writeTo, type Io } from './io.js';
import { interruptSignal } from './signals.js';

/** Run `mcp-opt proxy`; returns the exit code. */
export async function proxyCommand(target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>, ownFlags: readonly string[], io: Io): Promise<number> {
  const { signal, dispose } = interruptSignal(io);
  let redactor: Redactor | undefined;
  const say = (line: string): void => writeTo(io.stderr, `mcp-opt proxy: ${stripControl(redactor ? redactor.text(line) : line)}\n`);
  try {
    const dashed = ownFlagsAfterDashes(command, ownFlags, 'proxy');
    if (dashed) say(`! ${dashed}`);
    const config = await loadConfig(flags['config'] as string | undefined, io.cwd);
    const opts = await resolveProxyOptions({
      target, command, flags, config, cwd: io.cwd, env: io.env,
      stdoutTTY: io.stdout.isTTY === true, stderrTTY: io.stderr.isTTY === true, stderrColumns: io.stderr.columns,
    });
    redactor = Redactor.forSpec(opts.spec, io.env);
    say(`running ${opts.pool} × ${describeSpec(opts.spec)}`);
    const { runProxy } = await import('../proxy/index.js');
    const end = await runProxy(opts, { stdin: io.stdin ?? process.stdin, stdout: io.stdout, log: say }, signal);
    return end === 'signal' ? EXIT_CODES.INTERRUPTED : EXIT_CODES.OK;
  } catch (err) {
    return reportError(err, io.stderr, redactor);
  } finally {
    dispose();
    await stopAll();
  }
}
