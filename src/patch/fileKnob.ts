/**
 * Tune's file knobs: a real server config file is edited for one measured point and then restored
 * byte for byte. A backup is written and fsynced before the first edit, so that even a SIGKILL
 * mid-tune leaves the original recoverable; the next tune restores it (recoverTuneBackups).
 * Everything is synchronous because restoreAllSync runs from process 'exit' and signal handlers.
 */
import {
  closeSync, existsSync, fchmodSync, fsyncSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeSync, type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { editConfigText } from './editText.js';
import type { ValueChange } from './valueChange.js';
import { formatOf, type ConfigFormat } from './formats.js';
import { fsyncDir, replaceFileAtomic } from './apply.js';

/** Sessions not yet restored, by real path: what restoreAllSync puts back. */
const open = new Map<string, FileKnobSession>();

/** Where tune keeps the original of `path` while it edits it: a hidden file beside it. */
export function tuneBackupPath(path: string): string {
  const abs = resolve(path);
  return join(dirname(abs), `.${basename(abs)}.mcp-opt-tune-backup`);
}

/** The file that is really written: a symlinked config keeps its link, and its target is edited. */
function realOf(path: string): string {
  const abs = resolve(path);
  return existsSync(abs) ? realpathSync(abs) : abs;
}

/** One file edited by tune, restorable to its original bytes. */
export class FileKnobSession {
  /** The real path of the edited file. */
  readonly path: string;
  private readonly original: Buffer;
  private readonly originalText: string;
  private readonly format: ConfigFormat;
  private readonly stats: Stats;
  private readonly backup: string;
  private restored = false;

  private constructor(path: string, original: Buffer, stats: Stats) {
    this.path = path;
    this.original = original;
    this.originalText = original.toString('utf8');
    this.format = formatOf(path);
    this.stats = stats;
    this.backup = tuneBackupPath(path);
  }

  /** Back up `path` (restoring a leftover backup first) and start a session for it. */
  static open(path: string): FileKnobSession {
    const real = realOf(path);
    if (open.has(real)) throw new UsageError(`${real} is already being edited by this tune; a file knob file can be open once`);
    recoverTuneBackups([real]);
    let stats: Stats;
    let original: Buffer;
    try {
      stats = statSync(real);
      original = readFileSync(real);
    } catch (err) {
      throw new UsageError(`${path}: cannot read the file knob's config file (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`, { cause: err });
    }
    if (!stats.isFile()) throw new UsageError(`${path} is not a regular file; file knobs edit regular config files`);
    const session = new FileKnobSession(real, original, stats);
    // 'wx': never overwrite a backup, which would be the only copy of an original.
    const fd = openSync(session.backup, 'wx', stats.mode & 0o7777);
    try {
      writeSync(fd, original);
      fsyncSync(fd);
      fchmodSync(fd, stats.mode & 0o7777);
    } catch (err) {
      closeSync(fd);
      rmSync(session.backup, { force: true });
      throw err;
    }
    closeSync(fd);
    fsyncDir(dirname(real));
    open.set(real, session);
    return session;
  }

  /** Write the original text with `changes` applied (each call starts again from the original). */
  set(changes: readonly ValueChange[], opts: { allowCreate?: boolean } = {}): void {
    if (this.restored) throw new Error(`FileKnobSession for ${this.path} used after restore()`);
    const text = editConfigText(this.originalText, this.format, changes, { path: this.path, allowCreate: opts.allowCreate ?? false });
    replaceFileAtomic(this.path, Buffer.from(text, 'utf8'), this.stats);
  }

  /** Put the original bytes back and delete the backup; safe to call twice. */
  restore(): void {
    if (this.restored) return;
    replaceFileAtomic(this.path, this.original, this.stats);
    rmSync(this.backup, { force: true });
    fsyncDir(dirname(this.path));
    this.restored = true;
    open.delete(this.path);
  }
}

/** Restore every open session; for exit and signal handlers, so it reports failures on stderr and never throws. */
export function restoreAllSync(): void {
  for (const session of [...open.values()]) {
    try {
      session.restore();
    } catch (err) {
      try {
        process.stderr.write(`mcp-opt: could not restore ${session.path} (${String(err)}); its original is in ${tuneBackupPath(session.path)}\n`);
      } catch {
        // stderr is gone; the backup stays for the next tune to recover.
      }
    }
  }
}

/** Put back any file whose tune backup was left by an interrupted tune; one message per file restored. */
export function recoverTuneBackups(paths: readonly string[]): string[] {
  const messages: string[] = [];
  for (const path of paths) {
    const real = realOf(path);
    const backup = tuneBackupPath(real);
    if (open.has(real) || !existsSync(backup)) continue;
    const bytes = readFileSync(backup);
    const like = existsSync(real) ? statSync(real) : statSync(backup);
    replaceFileAtomic(real, bytes, like);
    rmSync(backup, { force: true });
    fsyncDir(dirname(real));
    messages.push(`restored ${real} from ${backup} (left by an interrupted tune)`);
  }
  return messages;
}
