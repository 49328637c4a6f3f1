/**
 * Signal handling: the first SIGINT, SIGTERM, SIGHUP or SIGQUIT aborts the run gracefully (stop
 * sending, save the partial result, stop the server's process group with bounded waits, exit 130);
 * a second one kills every server group at once and exits 130 immediately.
 *
 * A hang-up (the terminal or SSH session closed) must not orphan the servers: they run in their
 * own process groups, so the terminal's SIGHUP never reaches them, and node's default for SIGHUP
 * and SIGQUIT is to die on the spot. After a hang-up (or a reader of a pipe that went away) writes
 * to stdout and stderr fail with EIO or EPIPE, reported as 'error' events that would crash the
 * process before the save and the reaping: once a signal was taken they are swallowed.
 */
import { InterruptedError, EXIT_CODES } from '../errors.js';
import { killAllNow } from '../target/serverProcess.js';
import { writeTo, type Io } from './io.js';

/** The signals that end a run gracefully (the first time) or at once (the second time). */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/**
 * Install handlers when `io` is the real process's (it has `exit`; in-process runs install none);
 * returns the signal runners watch and a function to remove the handlers.
 */
export function interruptSignal(io: Io): { signal: AbortSignal; dispose: () => void; setSaving: (saving: boolean) => void } {
  let saving = false;
  const controller = new AbortController();
  const exit = io.exit;
  const say = (text: string): void => writeTo(io.stderr, text);
  if (!exit) return { signal: io.signal ?? controller.signal, dispose: () => {}, setSaving: () => {} };
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      killAllNow();
      say('\nmcp-opt: interrupted again; killed every server process.\n');
      exit(EXIT_CODES.INTERRUPTED);
      return;
    }
    ignoreOutputErrors(io);
    const what = saving ? 'stopping the server and saving what was measured' : 'stopping the server';
    say(`\nmcp-opt: ${name} received; ${what} (press Ctrl-C again to kill at once)…\n`);
    controller.abort(new InterruptedError());
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return {
    setSaving: (v) => {
      saving = v;
    },
    signal: controller.signal,
    dispose: () => {
      // Once a signal was taken the process is on its way out with 130: a second signal that comes
      // during the last teardown must still be the "kill at once, exit 130" one, not node's default
      // (death by signal, no exit code). test/cli/bench-interrupt.e2e.test.ts sends it 100 ms later.
      if (controller.signal.aborted) {
        // And the exit itself is made explicit once the work is done: when node ends on an empty
        // event loop it first closes its signal watchers, and a signal arriving in that window
        // killed the process by signal instead (seen 1 run in 3 of the test above).
        process.once('beforeExit', () => exit(Number(process.exitCode ?? EXIT_CODES.INTERRUPTED)));
        return;
      }
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
    },
  };
}

/** From now on, a failed write to stdout or stderr (EPIPE, EIO: the reader or terminal is gone) is dropped. */
function ignoreOutputErrors(io: Io): void {
  for (const out of [io.stdout, io.stderr]) if (!out.listeners('error').includes(ignore)) out.on('error', ignore);
}

/** An 'error' listener that drops the error. */
function ignore(): void {}
