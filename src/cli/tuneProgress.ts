/**
 * tune's progress on stderr: a bar over the points while one is measured (rewritten in place on a
 * terminal), and one line per finished point (what CI logs show). Never writes to stdout.
 */
import type { RunEvent } from '../runners/events.js';
import type { OutStream } from './io.js';
import type { Progress } from './progress.js';

/** Width of the bar, characters. */
const BAR = 20;

/** Build tune's progress display. Writes to `out` (stderr); `redact` cleans text that may quote the server. */
export function createTuneProgress(opts: { out: OutStream; redact: (text: string) => string }): Progress {
  const { out } = opts;
  const tty = out.isTTY === true;
  let done = 0;
  let total = 0;
  let live = false;
  const clear = (): void => {
    if (live) out.write('\r\u001b[2K');
    live = false;
  };
  return {
    handle(e: RunEvent<unknown>): void {
      if (e.type === 'progress' && e.phase === 'points') {
        done = e.done;
        total = e.total;
      } else if (e.type === 'phase-start' && e.phase === 'point' && tty) {
        const filled = total ? Math.round((done / total) * BAR) : 0;
        clear();
        out.write(`[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${opts.redact(e.label)} …`);
        live = true;
      } else if (e.type === 'phase-end') {
        clear();
        out.write(`mcp-opt: ${e.ok ? '✓' : '✗'} ${opts.redact(e.phase)}: ${opts.redact(e.summary)}\n`);
      } else if (e.type === 'warning') {
        clear();
        out.write(`mcp-opt: ! ${opts.redact(e.message)}\n`);
      }
    },
    stop(): void {
      clear();
    },
  };
}
