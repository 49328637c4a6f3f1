/**
 * The operating system's reason for a failed file operation, in one short phrase for a message:
 * "permission denied (EACCES)", "no space left on device (ENOSPC)".
 */

/** Errno codes and their phrases, for the errors a write meets in practice. */
const PHRASES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'a file is in the way',
  EISDIR: 'it is a folder',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  ENAMETOOLONG: 'name too long',
};

/** `err`'s reason as "phrase (CODE)", or its message when it carries no errno code. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') {
    // Node's message starts "CODE: phrase, syscall 'path'": keep the phrase when the table has none.
    const phrase = PHRASES[code] ?? /^[A-Z]+: ([^,]+)/.exec((err as Error).message)?.[1] ?? 'failed';
    return `${phrase} (${code})`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Whether `err` is a file-system error (it carries an errno code) rather than a bug. */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && /^E[A-Z0-9]+$/.test(String((err as NodeJS.ErrnoException).code));
}
