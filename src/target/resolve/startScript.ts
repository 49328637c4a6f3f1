/**
 * Run a package.json "start" script without a shell, when it is a simple command. npm would run
 * it with `sh -c` and node_modules/.bin on PATH; mcp-opt reproduces the PATH part and refuses
 * anything that needs the shell part.
 */
import { UsageError } from '../../errors.js';
import type { StdioSpec } from '../launchSpec.js';
import { commandError } from './commandErrors.js';
import { lookupCommand } from './which.js';
import { splitSimpleCommand } from './simpleCommand.js';
import { makeStdioSpec } from './stdioSpec.js';
import { binDirsUpward } from './nodeBin.js';
import { q } from './usage.js';

/** Spec for `npm start` in `dir`, run directly. */
export function startScriptSpec(dir: string, shown: string, script: string, env: NodeJS.ProcessEnv): StdioSpec {
  const split = splitSimpleCommand(script);
  if ('reason' in split) {
    throw new UsageError(
      `${shown}/package.json "start" script is not a simple command (it has ${split.reason}): ${q(script)}. ` +
        'mcp-opt never runs a shell; pass the server command explicitly after --, e.g. mcp-opt analyze -- node dist/server.js.',
    );
  }
  const [cmd, ...args] = split.argv as [string, ...string[]];
  const from = `package.json "start" script in ${shown}`;
  const lookup = { baseDir: dir, pathVar: env.PATH, extraDirs: binDirsUpward(dir) };
  const found = lookupCommand(cmd, lookup);
  let command: string;
  if (found.kind === 'found') command = found.path;
  // A script saying `node` with no node on PATH means the Node that runs mcp-opt.
  else if (cmd === 'node') command = process.execPath;
  else throw commandError(cmd, found, from);
  return makeStdioSpec({ command, args, cwd: dir, baseEnv: env, origin: `directory ${shown} (package.json "start" script)` });
}
