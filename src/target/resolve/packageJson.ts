/**
 * The parts of package.json that say what a package runs: "bin" and "main".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { isDirectory, isFile } from './fsProbe.js';
import { q } from './usage.js';

/** The fields read from package.json (anything else is ignored). */
export interface PackageManifest {
  /** "name" as found (not yet checked to be a string). */
  name?: unknown;
  /** "bin": a path, or an object of command name → path. */
  bin?: unknown;
  /** "main": the entry module's path. */
  main?: unknown;
  /** "scripts": "start" among them. */
  scripts?: unknown;
}

/** Read `<dir>/package.json`; null when absent; UsageError when it is not valid JSON. */
export function readPackageJson(dir: string, shown: string): PackageManifest | null {
  const file = join(dir, 'package.json');
  if (!isFile(file)) return null;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PackageManifest) : {};
  } catch (err) {
    throw new UsageError(`${shown}/package.json is not valid JSON (${(err as Error).message}). Fix it, or pass the command after --.`, { cause: err });
  }
}

/** The chosen "bin" entry: its name (null for the string form) and relative path. */
export interface BinChoice {
  /** The command name of an object "bin"; null for the string form. */
  name: string | null;
  /** Path of the script, relative to the package folder. */
  path: string;
}

/**
 * Pick the bin to run: the string form; else the entry named like the package without its
 * scope (npx's own rule for `npx <pkg>`); else the only entry. Several → UsageError listing them.
 */
export function chooseBin(manifest: PackageManifest, shown: string): BinChoice | null {
  const { bin } = manifest;
  if (typeof bin === 'string' && bin !== '') return { name: null, path: bin };
  if (typeof bin !== 'object' || bin === null) return null;
  const entries = Object.entries(bin as Record<string, unknown>).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
  );
  if (entries.length === 0) return null;
  const unscoped = typeof manifest.name === 'string' ? manifest.name.replace(/^@[^/]+\//, '') : undefined;
  const chosen = entries.find(([name]) => name === unscoped) ?? (entries.length === 1 ? entries[0] : undefined);
  if (chosen) return { name: chosen[0], path: chosen[1] };
  const list = entries.map(([name, path]) => `${name} (${path})`).join(', ');
  throw new UsageError(
    `${shown}/package.json has several "bin" entries and none is named like the package: ${list}. ` +
      `Pick one and pass it after --, e.g. mcp-opt analyze -- node ${join(shown, entries[0]![1])}.`,
  );
}

/** Resolve "main" like Node does for a folder: the file, with .js/.mjs/.cjs added, or its index.js. */
export function resolveMain(dir: string, main: string): string | null {
  const base = join(dir, main);
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`]) {
    if (isFile(candidate)) return candidate;
  }
  if (isDirectory(base) && isFile(join(base, 'index.js'))) return join(base, 'index.js');
  return null;
}

/** The UsageError for a declared entry point whose file is missing (usually: not built yet). */
export function missingEntry(shown: string, field: string, path: string): UsageError {
  return new UsageError(
    `${shown}/package.json ${field} names ${q(path)}, which does not exist. ` +
      'Build the project first (e.g. npm run build), or pass the command after --.',
  );
}
