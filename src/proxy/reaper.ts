/**
 * The proxy's reaper: a tiny process that outlives a proxy killed without the chance to stop its
 * instances (SIGKILL, the OOM killer, a crash), and stops them then. Instances that end when their
 * input closes (the spec's stdio shutdown, basic/lifecycle) need nothing; those that do not (a
 * server with a timer or a request of its own pending, e.g. @modelcontextprotocol/server-filesystem
 * awaiting roots/list) would otherwise run on as orphans.
 *
 * The proxy tells it each instance's process group as it spawns and when it ends; it runs in a
 * process group of its own (a signal to the proxy's group does not reach it) and holds nothing of
 * the proxy's stdout or stderr. When its input ends without "end" (the proxy is gone), it waits up
 * to REAP_GRACE_S for instances that honour the end of their input (and exits as soon as none is
 * left), then sends SIGTERM to each group still there, and SIGKILL up to REAP_TERM_S later. A proxy
 * that stops normally says "end" first.
 *
 * Written as a POSIX sh script rather than a Node process: it idles for the proxy's whole life,
 * and sh costs ~1 MiB of memory and ~1 ms to start against Node's ~40 MiB and ~40 ms. No library
 * does this: Linux's PR_SET_PDEATHSIG needs native code and reaches only direct children.
 * test/proxy/lifecycle.e2e.test.ts kills a proxy whose instances ignore the end of their input.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Seconds the reaper waits after the proxy died before signalling what is left. */
export const REAP_GRACE_S = 2;
/** Seconds from SIGTERM to SIGKILL. */
export const REAP_TERM_S = 2;

/**
 * The script: words are only integers the proxy wrote; nothing of the server's command reaches it.
 * A group counts as alive while a process of it is not a zombie (/proc/<pid>/stat: state, ppid,
 * pgrp after the command's closing parenthesis): the instances of a killed proxy are reaped by
 * init, which can take a while; without /proc, kill -0 asks (zombies then count).
 */
const SCRIPT = `
g=' '
while read -r c p; do
  case "$c" in
    add) g="$g$p ";;
    del) n=' '; for x in $g; do [ "$x" = "$p" ] || n="$n$x "; done; g="$n";;
    end) exit 0;;
  esac
done
alive() {
  if [ -r /proc/self/stat ]; then
    for f in /proc/[0-9]*/stat; do
      read -r l < "$f" || continue
      set -- \${l##*") "}
      [ "$1" = Z ] && continue
      case "$g" in *" $3 "*) return 0;; esac
    done
    return 1
  fi
  for x in $g; do kill -0 -"$x" 2>/dev/null && return 0; done
  return 1
}
wait_up_to() { i=0; while alive && [ $i -lt $(($1 * 5)) ]; do sleep 0.2; i=$((i + 1)); done; }
wait_up_to ${REAP_GRACE_S}
alive || exit 0
for x in $g; do kill -TERM -"$x" 2>/dev/null; done
wait_up_to ${REAP_TERM_S}
for x in $g; do kill -KILL -"$x" 2>/dev/null; done
exit 0
`;

/** A running reaper (see the module comment); a no-op where there is no POSIX sh (Windows). */
export class Reaper {
  private constructor(private readonly child: ChildProcess | null) {}

  /** Start it; it keeps neither the proxy's event loop nor its output open. `needed` false (an http(s) upstream: no process to stop): none is started. */
  static start(needed = true): Reaper {
    if (!needed || process.platform === 'win32') return new Reaper(null);
    const child = spawn('/bin/sh', ['-c', SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => {}); // no /bin/sh: the proxy runs on, without a reaper
    child.stdin!.on('error', () => {}); // it died: nothing to tell it any more
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return new Reaper(child);
  }

  /** Watch the process group `pgid` (an instance just spawned). */
  watch(pgid: number): void {
    this.tell(`add ${pgid}`);
  }

  /** Forget `pgid` (its instance ended: the id may be reused). */
  forget(pgid: number): void {
    this.tell(`del ${pgid}`);
  }

  /** The proxy stopped its instances itself: the reaper exits. */
  end(): void {
    this.tell('end');
    this.child?.stdin?.end();
  }

  private tell(line: string): void {
    const stdin = this.child?.stdin;
    if (stdin && !stdin.destroyed && stdin.writable) stdin.write(`${line}\n`);
  }
}
