/**
 * node_modules/.bin lookups: the folders npm puts on PATH for scripts, and `tsx` for TypeScript
 * files (the project's own copy first, walking up from the file, then from the cwd; then PATH).
 */
import { dirname, join } from 'node:path';
import { lookupCommand } from './which.js';

/** Absolute path of tsx, or null when it is not installed anywhere reachable. */
export function findTsx(fileDir: string, cwd: string, env: NodeJS.ProcessEnv): string | null {
  // The two walks share their upper folders; each folder is probed once, at its first place.
  const extraDirs = [...new Set([...binDirsUpward(fileDir), ...binDirsUpward(cwd)])];
  const found = lookupCommand('tsx', { baseDir: cwd, pathVar: env.PATH, extraDirs });
  return found.kind === 'found' ? found.path : null;
}

/** Every `node_modules/.bin` from `start` up to the root, nearest first (npm scripts' PATH prefix). */
export function binDirsUpward(start: string): string[] {
  const dirs: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    dirs.push(join(dir, 'node_modules', '.bin'));
    if (dirname(dir) === dir) return dirs;
  }
}
