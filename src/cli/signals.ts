/**
 * Ctrl-C handling: the first SIGINT (or SIGTERM) aborts the run gracefully (stop sending, stop the
 * server's process group with bounded waits, save the partial result, exit 130); a second one
 * kills every server group at once and exits 130 immediately.
 */
import { InterruptedError, EXIT_CODES } from '../errors.js';
import { killAllNow } from '../target/serverProcess.js';

/** Install handlers; returns the signal runners watch and a function to remove the handlers. */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void; setSaving: (saving: boolean) => void } {
  let saving = false;
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      killAllNow();
      process.stderr.write('\nmcp-opt: interrupted again; killed every server process.\n');
      process.exit(EXIT_CODES.INTERRUPTED);
    }
    const what = saving ? 'stopping the server and saving what was measured' : 'stopping the server';
    process.stderr.write(`\nmcp-opt: ${name} received; ${what} (press Ctrl-C again to kill at once)…\n`);
    controller.abort(new InterruptedError());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    setSaving: (v) => {
      saving = v;
    },
    signal: controller.signal,
    dispose: () => {
      // Once a signal was taken the process is on its way out with 130: a second signal that comes
      // during the last teardown must still be the "kill at once, exit 130" one, not node's default
      // (death by signal, no exit code). test/cli/bench-interrupt.e2e.test.ts sends it 100 ms later.
      if (controller.signal.aborted) return;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
