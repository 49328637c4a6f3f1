/**
 * bench's progress on stderr: phase lines, and during the load a live line — rewritten in place
 * every second on a terminal, or printed at most every 5 s when stderr is not one (CI logs).
 * Never writes to stdout.
 */
import type { RunEvent } from '../runners/events.js';
import type { OutStream } from './io.js';
import type { Progress } from './progress.js';

/** Plain-line progress period when stderr is not a terminal, ms. */
export const CI_PROGRESS_EVERY_MS = 5000;

/** Build bench's progress display. Writes to `out` (stderr); `redact` cleans text that may quote the server. */
export function createLiveProgress(opts: { out: OutStream; redact: (text: string) => string }): Progress {
  const { out } = opts;
  const tty = out.isTTY === true;
  let live = false;
  let lastPlainAt = 0;
  const clearLive = (): void => {
    if (live) out.write('\r\u001b[2K');
    live = false;
  };
  return {
    handle(e: RunEvent<unknown>): void {
      if (e.type === 'phase-end') {
        clearLive();
        out.write(`mcp-opt: ${e.ok ? '✓' : '✗'} ${e.phase}: ${opts.redact(e.summary)}\n`);
      } else if (e.type === 'warning') {
        clearLive();
        out.write(`mcp-opt: ! ${opts.redact(e.message)}\n`);
      } else if (e.type === 'live') {
        const s = e.second;
        const p95 = e.total.p95Us === null ? '–' : `${(e.total.p95Us / 1000).toFixed(1)} ms`;
        const text = `${s.warmup ? 'warm-up ' : ''}${s.second + 1}s  rate ${s.sent}/s  answered ${s.completed}/s  p95 ${p95}  errors ${e.total.failed}  in flight ${s.inflight}`;
        if (tty) {
          out.write(`\r\u001b[2K${text}`);
          live = true;
        } else if (performance.now() - lastPlainAt >= CI_PROGRESS_EVERY_MS) {
          lastPlainAt = performance.now();
          out.write(`mcp-opt: ${text}\n`);
        }
      }
    },
    stop: clearLive,
  };
}
