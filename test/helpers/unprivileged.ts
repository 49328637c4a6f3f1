/**
 * Run part of a test as an unprivileged user. Root ignores permission bits, so a test about a
 * read-only folder would otherwise prove nothing when the suite runs as root (as CI does).
 */

/** The uid and gid of `nobody`, who owns nothing the tests create. */
export const NOBODY_ID = 65534;

/** True when the test process runs as root. */
export const isRoot: boolean = process.getuid?.() === 0;

/**
 * Call `fn` with the effective uid and gid of nobody (and no supplementary groups) when running as
 * root, then switch back; as any other user, call it as it is. `fn` must be synchronous, so that
 * nothing else in this process runs while the ids are switched, and every folder on the paths it
 * uses must be searchable by others (mkdtemp makes mode-700 folders: chmod them to 755).
 */
export function asUnprivileged<T>(fn: () => T): T {
  if (!isRoot) return fn();
  const groups = process.getgroups!();
  const egid = process.getegid!();
  process.setgroups!([NOBODY_ID]);
  process.setegid!(NOBODY_ID);
  process.seteuid!(NOBODY_ID);
  try {
    const out = fn();
    if (out instanceof Promise) throw new Error('asUnprivileged takes a synchronous function');
    return out;
  } finally {
    process.seteuid!(0);
    process.setegid!(egid);
    process.setgroups!(groups);
  }
}

/**
 * `command ...args` as argv for spawn: prefixed with setpriv to nobody when running as root, so
 * the child holds no privilege that would bypass permission bits.
 */
export function unprivilegedArgv(command: string, args: string[]): [string, string[]] {
  if (!isRoot) return [command, args];
  return ['/usr/bin/setpriv', [`--reuid=${NOBODY_ID}`, `--regid=${NOBODY_ID}`, '--clear-groups', command, ...args]];
}
