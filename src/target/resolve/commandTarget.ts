/**
 * An explicit command after `--`. The argv is used exactly as given: no shell, no expansion of
 * `$()`, backticks, globs or variables (test/cli/safety.e2e.test.ts); only the command is looked up so
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
  const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(cmd);
  if (assignment && !cmd.includes('/')) {
    // Shell syntax (`NAME=value cmd`); the value may be a secret, so it is not echoed.
    const name = assignment[1]!;
    throw new UsageError(
      `The command after -- starts with ${name}=…, which only a shell reads as a variable, and mcp-opt runs no shell. ` +
        `Give it with --env ${name}=… before the --, or run it through env: -- env ${name}=… <command>.`,
    );
  }
  const command = requireCommand(cmd, { baseDir: cwd, pathVar: env.PATH }, 'the command after --');
  return makeStdioSpec({ command, args: [...args], cwd, baseEnv: env, origin: 'command after --' });
}
