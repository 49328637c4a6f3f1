/**
 * Node project folders, in the order a user would expect `npx .` or `npm start` to pick:
 * package.json "bin", then "main", then the "start" script, then conventional file names.
 */
import { join } from 'node:path';
import type { StdioSpec } from '../launchSpec.js';
import { isFile } from './fsProbe.js';
import { chooseBin, missingEntry, readPackageJson, resolveMain } from './packageJson.js';
import { scriptLaunch } from './scriptFile.js';
import { startScriptSpec } from './startScript.js';
import { makeStdioSpec } from './stdioSpec.js';
import { q } from './usage.js';

/** Conventional entry files tried when package.json names none, first existing wins. */
export const NODE_FILE_CANDIDATES = [
  'index.js', 'index.mjs', 'index.cjs', 'server.js', 'server.mjs', 'server.cjs', 'dist/index.js',
];

/** What this resolver looks for, for the "nothing launchable" message. */
export const NODE_CANDIDATES = ['package.json "bin"', 'package.json "main"', 'package.json "start" script', ...NODE_FILE_CANDIDATES];

/** Context of one directory resolution. */
export interface ProjectContext {
  /** Absolute project folder. */
  dir: string;
  /** The folder as the user typed it. */
  shown: string;
  /** mcp-opt's cwd (tsx may be installed there rather than in the project). */
  cwd: string;
  /** mcp-opt's environment: the server's base environment, and the PATH tsx is looked up in. */
  env: NodeJS.ProcessEnv;
}

/** Resolve a Node project folder, or null when it has nothing Node can run. */
export function resolveNodeProject(ctx: ProjectContext): StdioSpec | null {
  const manifest = readPackageJson(ctx.dir, ctx.shown);
  if (manifest) {
    const bin = chooseBin(manifest, ctx.shown);
    if (bin) {
      const file = join(ctx.dir, bin.path);
      if (!isFile(file)) throw missingEntry(ctx.shown, '"bin"', bin.path);
      const how = bin.name === null ? '"bin"' : `"bin" ${q(bin.name)}`;
      return fileSpec(ctx, file, `package.json ${how}`);
    }
    if (typeof manifest.main === 'string' && manifest.main !== '') {
      const file = resolveMain(ctx.dir, manifest.main);
      if (!file) throw missingEntry(ctx.shown, '"main"', manifest.main);
      return fileSpec(ctx, file, 'package.json "main"');
    }
    const start = (manifest.scripts as Record<string, unknown> | undefined)?.start;
    if (typeof start === 'string') return startScriptSpec(ctx.dir, ctx.shown, start, ctx.env);
  }
  for (const name of NODE_FILE_CANDIDATES) {
    const file = join(ctx.dir, name);
    if (isFile(file)) return fileSpec(ctx, file, name);
  }
  return null;
}

/** Run one file of the project from the project folder (as `npm start` and npx would). */
function fileSpec(ctx: ProjectContext, file: string, why: string): StdioSpec {
  const shownFile = join(ctx.shown, file.slice(ctx.dir.length + 1));
  const run = scriptLaunch(file, { cwd: ctx.cwd, env: ctx.env, shown: shownFile, assumeNode: true });
  return makeStdioSpec({
    command: run.command, args: run.args, cwd: ctx.dir, baseEnv: ctx.env,
    origin: `directory ${ctx.shown} (${why})`,
  });
}
