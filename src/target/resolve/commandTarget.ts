/**
 * An explicit command after `--`. The argv is used exactly as given: no shell, no expansion of
 * `$()`, backticks, globs or variables (RELIABILITY 4.G.47); only the command is looked up so
 * that a missing program is a usage error before anything starts.
 */
import { UsageError } from '../../errors.js';
import type { StdioSpec } from '../launchSpec.js';
import { requireCommand } from './commandErrors.js';
import { makeStdioSpec } from './stdioSpec.js';

/** Resolve `argv` (command first) run from `cwd` with mcp-opt's environment. */
export function resolveCommandTarget(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): StdioSpec {
  const [cmd, ...args] = argv;
  if (cmd === undefined || cmd === '') {
    throw new UsageError('Nothing after --: give the server command, e.g. mcp-opt analyze -- npx -y @scope/server.');
  }
  const command = requireCommand(cmd, { baseDir: cwd, pathVar: env.PATH }, 'the command after --');
  return makeStdioSpec({ command, args: [...args], cwd, baseEnv: env, origin: 'command after --' });
}
