/**
 * Find an executable the way execvp(3) does, but before spawning, so that a missing command is
 * a usage error with a clear message (test/target/resolve/command.test.ts) and the argv shown to the user holds
 * an absolute path.
 */
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { canExecute, isFile } from './fsProbe.js';

/** Outcome of looking a command up. */
export type CommandLookup =
  /** An executable file was found. */
  | {
    /** Discriminant. */
    kind: 'found';
    /** Its path (symlinks kept). */
    path: string;
  }
  /** A file exists but lacks the execute bit (execvp would fail with EACCES). */
  | {
    /** Discriminant. */
    kind: 'not-executable';
    /** The file found. */
    path: string;
  }
  /** Nothing by that name. */
  | {
    /** Discriminant. */
    kind: 'missing';
    /** Folders searched (or the one path given). */
    searched: string[];
  };

/** Where to look. */
export interface LookupOptions {
  /** Folder that relative paths (those containing a slash) are resolved against. */
  baseDir: string;
  /** The PATH value to search (the child's PATH: Node's spawn searches options.env.PATH too). */
  pathVar: string | undefined;
  /** Folders searched before PATH (node_modules/.bin for npm scripts). */
  extraDirs?: string[];
}

/**
 * Resolve `cmd` to an absolute path. A name with a slash is a path (relative to baseDir); a bare
 * name is searched in extraDirs then PATH. Symlinks are kept, not resolved: the name matters
 * (a venv's python symlink, `npx` → npx-cli.js detected as a package runner).
 */
export function lookupCommand(cmd: string, opts: LookupOptions): CommandLookup {
  if (cmd.includes('/')) {
    const path = resolve(opts.baseDir, cmd);
    if (!isFile(path)) return { kind: 'missing', searched: [path] };
    return canExecute(path) ? { kind: 'found', path } : { kind: 'not-executable', path };
  }
  const dirs = [...(opts.extraDirs ?? []), ...pathDirs(opts.pathVar)];
  let notExecutable: string | null = null;
  for (const dir of dirs) {
    const path = join(dir, cmd);
    if (!isFile(path)) continue;
    if (canExecute(path)) return { kind: 'found', path };
    // execvp keeps searching after EACCES and reports it only if nothing later runs.
    notExecutable ??= path;
  }
  return notExecutable ? { kind: 'not-executable', path: notExecutable } : { kind: 'missing', searched: dirs };
}

/**
 * Absolute PATH entries. Empty and relative entries (which POSIX reads as "the current
 * directory") are skipped: running whatever sits in the cwd under a common name is a classic
 * hijack, and a server's command never needs it.
 */
export function pathDirs(pathVar: string | undefined): string[] {
  return (pathVar ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d));
}
