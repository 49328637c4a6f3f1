/**
 * Writing a patched config file safely: read once and hash, show the diff, and on write refuse if
 * the file changed meanwhile, keep a backup beside it, and replace it atomically (exclusive temp
 * file in the same folder, fsync, original mode and owner, rename, fsync of the folder), so a crash
 * or a full disk leaves either the old file or the new one, never half of either.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readFileSync, realpathSync, renameSync, rmSync,
  statSync, writeSync, type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { UsageError } from '../errors.js';
import { fsReason, isFsError } from '../util/fsReason.js';
import { removeStaleTemps, tempPathFor } from '../util/tempFiles.js';

/** What `--apply` will do to one file, computed before anything is written. */
export interface ApplyPlan {
  /** The path as the user gave it. */
  requestedPath: string;
  /** The file that will be written (differs from requestedPath only for a symlink with --force). */
  realPath: string;
  /** The file's text as read. */
  before: string;
  /** The text to write. */
  after: string;
  /** sha256 (hex) of the bytes read, to detect a change before writing. */
  beforeHash: string;
  /** Unified diff of before → after labelled with realPath, secrets masked (see `mask`); '' when unchanged. */
  diff: string;
  /** Whether after differs from before. */
  changed: boolean;
  /** Things the user should know (e.g. a symlink followed). */
  warnings: string[];
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Read `path`, check it is a regular UTF-8 file (symlinks only with force), and compute the edit and
 * its diff. `opts.mask` turns a text into what the diff may show (e.g. secrets as ***); it is
 * applied to both sides, so only the change itself differs.
 */
export function planApply(path: string, edit: (text: string) => string, opts: { force: boolean; mask?: (text: string) => string }): ApplyPlan {
  const requestedPath = resolve(path);
  const warnings: string[] = [];
  let link: Stats;
  try {
    link = lstatSync(requestedPath);
  } catch (err) {
    throw new UsageError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`, { cause: err });
  }
  let realPath = requestedPath;
  if (link.isSymbolicLink()) {
    const target = realpathSync(requestedPath);
    if (!opts.force) {
      throw new UsageError(`${path} is a symlink to ${target}; mcp-opt does not write through symlinks: pass --force to write the real file ${target}`);
    }
    realPath = target;
    warnings.push(`${path} is a symlink; writing the real file ${target}`);
  }
  const st = statSync(realPath);
  if (!st.isFile()) throw new UsageError(`${path} is not a regular file; mcp-opt only patches regular files`);
  if (isReadOnly(st)) warnings.push(opts.force ? `${realPath} is read-only (${modeOf(st)}); --force replaces it anyway, keeping its mode` : `${realPath} is read-only (${modeOf(st)}); writing it will be refused without --force`);
  const bytes = readFileSync(realPath);
  const before = bytes.toString('utf8');
  // Decoding invalid UTF-8 replaces bytes with U+FFFD, and writing that back would corrupt the file.
  if (!Buffer.from(before, 'utf8').equals(bytes)) throw new UsageError(`${realPath} is not UTF-8 text; mcp-opt will not rewrite it`);
  const after = edit(before);
  const changed = after !== before;
  const shown = opts.mask ?? ((text: string) => text);
  const diff = changed ? createTwoFilesPatch(realPath, realPath, shown(before), shown(after), undefined, undefined, { context: 3 }) : '';
  return { requestedPath, realPath, before, after, beforeHash: sha256(bytes), diff, changed, warnings };
}

/**
 * Write a plan: refuse if the file changed since planApply or is read-only (unless `force`), keep a
 * backup, replace atomically. A write the file system refuses (ENOSPC, EROFS, EACCES…) is a
 * UsageError naming the file and the reason; the file is then unchanged and no backup is left.
 */
export function writePlan(plan: ApplyPlan, opts: { force: boolean } = { force: false }): { written: string; backup: string } {
  const { realPath } = plan;
  const current = readFileSync(realPath);
  if (sha256(current) !== plan.beforeHash) {
    throw new UsageError(`${realPath} changed since mcp-opt read it (its sha256 differs); nothing was written; run again`);
  }
  const st = statSync(realPath);
  if (!opts.force) refuseReadOnly(realPath, st);
  const backup = join(dirname(realPath), `${basename(realPath)}.mcp-opt-backup-${stamp(new Date())}-${randomBytes(3).toString('hex')}`);
  try {
    writeExclusive(backup, current, st);
    try {
      replaceFileAtomic(realPath, Buffer.from(plan.after, 'utf8'), st);
    } catch (err) {
      rmSync(backup, { force: true }); // nothing was written, so the backup would only be clutter
      throw err;
    }
  } catch (err) {
    if (!isFsError(err)) throw err;
    throw new UsageError(`could not write ${realPath}: ${fsReason(err)}; the file is unchanged. Fix that (free space, a writable mount) and run again.`, { cause: err });
  }
  return { written: realPath, backup };
}

/**
 * Throw when the file's owner may not write it. The owner's write bit, not access(): root may write
 * anything, but a file made read-only was protected by its owner, and a rename would replace it silently.
 */
export function refuseReadOnly(path: string, st: Pick<Stats, 'mode'> = statSync(path)): void {
  if (!isReadOnly(st)) return;
  throw new UsageError(
    `${path} is read-only (${modeOf(st)}); mcp-opt does not replace a file its owner protected, and nothing was written. ` +
      `Make it writable (chmod u+w ${path}) or pass --force to replace it anyway.`,
  );
}

/** Whether the owner may not write the file (mode bit u+w clear). */
export function isReadOnly(st: Pick<Stats, 'mode'>): boolean {
  return (st.mode & 0o200) === 0;
}

/** A file's permission bits for a message, e.g. "mode 444". */
function modeOf(st: Pick<Stats, 'mode'>): string {
  return `mode ${(st.mode & 0o777).toString(8)}`;
}

/** UTC time as YYYYMMDDTHHMMSS, sortable and free of characters some file systems refuse. */
function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
}

/** Create `path` exclusively with `data`, fsynced, with the mode (and, if allowed, owner) of `like`. */
function writeExclusive(path: string, data: Buffer, like: Pick<Stats, 'mode' | 'uid' | 'gid'>): void {
  const fd = openSync(path, 'wx', like.mode & 0o7777);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
    // The umask may have narrowed the mode at open; set it exactly.
    fchmodSync(fd, like.mode & 0o7777);
    try {
      fchownSync(fd, like.uid, like.gid);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  } catch (err) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw err;
  }
  closeSync(fd);
}

/** Replace `path` with `data` atomically keeping `like`'s mode and owner; on failure the old file is untouched. */
export function replaceFileAtomic(path: string, data: Buffer, like: Pick<Stats, 'mode' | 'uid' | 'gid'>): void {
  const dir = dirname(path);
  // A temporary left by a writer killed before its rename is removed here, on the next write.
  removeStaleTemps(dir);
  const tmp = tempPathFor(path);
  writeExclusive(tmp, data, like);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

/** fsync a folder so a rename survives a power loss; some platforms (Windows) refuse, which is fine. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported here; the rename itself is still atomic.
  }
}

/**
 * Resolve a file named inside a config relative to that config's folder, refusing to leave it unless
 * force. Containment holds for the real path too: a name inside the folder that is a symlink to a
 * file outside it (or runs through a symlinked folder) is refused, since the real file is the one written.
 */
export function resolveNamedFile(configPath: string, name: string, force: boolean): string {
  const dir = dirname(resolve(configPath));
  const target = resolve(dir, name);
  if (force) return target;
  if (outside(dir, target)) {
    throw new UsageError(`${configPath} names ${name}, which is outside ${dir}; mcp-opt only edits files beside the config: pass --force to allow it`);
  }
  const real = realOrSelf(target);
  if (outside(realOrSelf(dir), real)) {
    throw new UsageError(
      `${configPath} names ${name}, a symlink to ${real}, which is outside ${dir}; mcp-opt only edits files beside the config, ` +
        'and a symlink would make it write elsewhere: name the real file beside the config, or pass --force to allow it',
    );
  }
  return target;
}

/**
 * A file named on the command line (a `--knob file:` path): the file edited must be the one in the
 * folder named, so a symlink whose real file lies outside that folder is refused unless force, as
 * `--apply` refuses symlinks; returns the path.
 */
export function checkNamedFileIsReal(path: string, shown: string, force: boolean): string {
  if (force) return path;
  const real = realOrSelf(path);
  if (outside(realOrSelf(dirname(path)), real)) {
    throw new UsageError(
      `${shown} is a symlink to ${real}, outside the folder it is named in (${dirname(path)}); mcp-opt does not edit files through such links: ` +
        `name the real file ${real}, or pass --force to allow it`,
    );
  }
  return path;
}

/** Whether `target` lies outside folder `dir`. */
function outside(dir: string, target: string): boolean {
  const rel = relative(dir, target);
  return rel === '..' || rel.startsWith(`..${'/'}`) || rel.startsWith('..\\') || isAbsolute(rel);
}

/** The real path (symlinks resolved) when it exists; else the path itself (its absence is reported later). */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
