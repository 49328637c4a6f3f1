/**
 * node_modules/.bin lookups: the folders npm puts on PATH for scripts, and `tsx` for TypeScript
 * files (the project's own copy first, walking up from the file, then from the cwd; then PATH).
 */
import { dirname, join } from 'node:path';
import { canExecute, isFile } from './fsProbe.js';
import { lookupCommand } from './which.js';

/** Absolute path of tsx, or null when it is not installed anywhere reachable. */
export function findTsx(fileDir: string, cwd: string, env: NodeJS.ProcessEnv): string | null {
  for (const start of [fileDir, cwd]) {
    const found = findBinUpward(start, 'tsx');
    if (found) return found;
  }
  const onPath = lookupCommand('tsx', { baseDir: cwd, pathVar: env.PATH });
  return onPath.kind === 'found' ? onPath.path : null;
}

/** `node_modules/.bin/<name>` in `start` or the nearest ancestor that has it. */
export function findBinUpward(start: string, name: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', name);
    if (isFile(bin) && canExecute(bin)) return bin;
    if (dirname(dir) === dir) return null;
  }
}

/** Every `node_modules/.bin` from `start` up to the root, nearest first (npm scripts' PATH prefix). */
export function binDirsUpward(start: string): string[] {
  const dirs: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    dirs.push(join(dir, 'node_modules', '.bin'));
    if (dirname(dir) === dir) return dirs;
  }
}
