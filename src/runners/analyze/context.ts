/**
 * State shared by analyze's phases: options, the draft result (filled phase by phase and
 * checkpointed), and what every connection saw (hygiene, stderr volume, unexpected errors).
 */
import type { AnalyzeOptions } from '../../options/analyzeOptions.js';
import type { AnalyzeResult } from '../../result/analyzeResult.js';
import type { HandshakeInfo } from '../../target/handshake.js';
import type { LaunchSpec } from '../../target/launchSpec.js';
import type { Hygiene } from '../../target/hygiene.js';
import type { Era } from '../../target/protocol.js';
import type { Reply } from '../../target/session.js';
import type { OpenOptions } from '../../target/openOptions.js';
import { openTarget, type Target } from '../../target/target.js';
import type { Emit } from '../events.js';

/** State shared by analyze's phases: options, the result, events, the era, and every session's hygiene and stderr. */
export class AnalyzeContext {
  /** Era in use once known. */
  era: Era = 'legacy';
  /** Hygiene of every connection opened. */
  readonly hygiene: Hygiene[] = [];
  /** stderr volume over every server process. */
  stderrBytes = 0;
  stderrLines = 0;
  /** The first handshake completed (server identity), or null. */
  handshake: HandshakeInfo | null = null;
  /** JSON-RPC errors on requests that expected success, by code. */
  readonly unexpectedErrors: Record<string, number> = {};

  constructor(
    readonly opts: AnalyzeOptions,
    readonly emit: Emit<AnalyzeResult>,
    readonly signal: AbortSignal,
    /** The result being built; phases fill their section. */
    readonly result: AnalyzeResult,
  ) {}

  /** Options for opening the target in the current era. */
  openOptions(extra: Partial<OpenOptions> = {}): OpenOptions {
    return {
      era: this.era,
      startTimeoutMs: this.opts.timeoutMs,
      requestTimeoutMs: this.opts.timeoutMs,
      client: this.opts.client,
      signal: this.signal,
      ...extra,
    };
  }

  /** Open the target (or `spec`, e.g. the direct launch behind a runner), remembering its hygiene. */
  async open(extra: Partial<OpenOptions> = {}, spec: LaunchSpec = this.opts.spec): Promise<Target> {
    const t = await openTarget(spec, this.openOptions(extra));
    this.hygiene.push(t.session.hygiene);
    this.handshake ??= t.info;
    return t;
  }

  /** Close a target and add its stderr volume. */
  async close(t: Target): Promise<Awaited<ReturnType<Target['close']>>> {
    const report = await t.close();
    if (t.process) {
      this.stderrBytes += t.process.stderr.bytes;
      this.stderrLines += t.process.stderr.lines;
    }
    return report;
  }

  /** Count a reply that should have succeeded but returned a JSON-RPC error. */
  noteUnexpected(reply: Reply): void {
    if (reply.outcome === 'error') {
      const code = String(reply.error?.code);
      this.unexpectedErrors[code] = (this.unexpectedErrors[code] ?? 0) + 1;
    }
  }

  /** Save the result as it stands. */
  checkpoint(): void {
    this.emit({ type: 'checkpoint', result: this.result });
  }

  /** Throw InterruptedError if Ctrl-C was pressed. */
  throwIfAborted(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }
}
