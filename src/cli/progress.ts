/**
 * Live progress on stderr: an ora spinner per phase on a TTY; on a non-TTY (CI logs) one plain line
 * per finished phase. Subscribes to runner events; never writes to stdout.
 */
import type { RunEvent } from '../runners/events.js';
import type { OutStream } from './io.js';

/** A progress display; `handle` receives every runner event, `stop` clears any spinner. */
export interface Progress {
  /** Show one runner event (a phase starting, a run finishing, a tick of live totals). */
  handle(event: RunEvent<unknown>): void;
  /** Clear any spinner or in-place line; the display writes nothing after it. */
  stop(): void;
}

/** Build the display on `out` (stderr): spinners when `spinners`, plain lines otherwise, nothing when `quiet`. */
export async function createProgress(opts: { spinners: boolean; quiet: boolean; redact: (text: string) => string; out: OutStream }): Promise<Progress> {
  const r = opts.redact;
  if (opts.quiet) return { handle: () => {}, stop: () => {} };
  if (!opts.spinners) {
    return {
      handle: (e) => {
        if (e.type === 'phase-end') opts.out.write(`mcp-opt: ${e.ok ? '✓' : '✗'} ${e.phase}: ${r(e.summary)}\n`);
      },
      stop: () => {},
    };
  }
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: opts.out as NodeJS.WriteStream, discardStdin: false });
  let label = '';
  return {
    handle: (e) => {
      if (e.type === 'phase-start') {
        label = e.label;
        spinner.start(label);
      } else if (e.type === 'progress') {
        spinner.text = `${label} (${e.done}/${e.total})`;
      } else if (e.type === 'phase-end') {
        if (e.ok) spinner.succeed(`${label}: ${r(e.summary)}`);
        else spinner.fail(`${label}: ${r(e.summary)}`);
      }
    },
    stop: () => {
      if (spinner.isSpinning) spinner.stop();
    },
  };
}
