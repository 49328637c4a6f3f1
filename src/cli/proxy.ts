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
import { describeError, reportError } from './errorSink.js';
import { writeTo, type Io } from './io.js';
import type { ProxyLog } from '../proxy/proxyLog.js';
import { interruptSignal } from './signals.js';

/** Run `mcp-opt proxy`; returns the exit code. */
export async function proxyCommand(target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>, ownFlags: readonly string[], io: Io): Promise<number> {
  const { signal, dispose } = interruptSignal(io);
  let redactor: Redactor | undefined;
  let json = false;
  const clean = (s: string): string => stripControl(redactor ? redactor.text(s) : s);
  const say: ProxyLog = (line, e) => {
    if (!json) return writeTo(io.stderr, `mcp-opt proxy: ${clean(line)}\n`);
    const { event, level, ...fields } = e;
    for (const [k, v] of Object.entries(fields)) if (typeof v === 'string') fields[k] = clean(v);
    writeTo(io.stderr, `${JSON.stringify({ time: new Date().toISOString(), level: level ?? 'info', event, msg: clean(line), ...fields })}\n`);
  };
  try {
    const config = await loadConfig(flags['config'] as string | undefined, io.cwd);
    const opts = await resolveProxyOptions({
      target, command, flags, config, cwd: io.cwd, env: io.env,
      stdoutTTY: io.stdout.isTTY === true, stderrTTY: io.stderr.isTTY === true, stderrColumns: io.stderr.columns,
    });
    redactor = Redactor.forSpec(opts.spec, io.env);
    json = opts.logFormat === 'json';
    const dashed = ownFlagsAfterDashes(command, ownFlags, 'proxy');
    if (dashed) say(`! ${dashed}`, { event: 'flags_after_dashes', level: 'warn' });
    say(`running ${opts.pool} × ${describeSpec(opts.spec)}`, { event: 'starting', instances: opts.pool, target: describeSpec(opts.spec) });
    const { runProxy } = await import('../proxy/index.js');
    const end = await runProxy(opts, { stdin: io.stdin ?? process.stdin, stdout: io.stdout, log: say }, signal);
    return end === 'signal' ? EXIT_CODES.INTERRUPTED : EXIT_CODES.OK;
  } catch (err) {
    // Options that failed to resolve leave only the flag itself to say how the error is wanted.
    if (!json && flags['logFormat'] !== 'json') return reportError(err, io.stderr, redactor);
    // One JSON line for the error too: what the error sink would have written, as its msg.
    const { message, code } = describeError(err, redactor);
    writeTo(io.stderr, `${JSON.stringify({ time: new Date().toISOString(), level: 'error', event: 'failed', msg: message, exitCode: code })}\n`);
    return code;
  } finally {
    dispose();
    await stopAll();
  }
}
