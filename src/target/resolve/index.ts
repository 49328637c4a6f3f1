/**
 * Target resolution: what the user typed → the exact thing to launch or reach (a LaunchSpec),
 * before any server I/O. Every failure is a UsageError (exit 2) saying what to type instead.
 *
 * Forms, exactly one of:
 *  - a positional target: http(s) URL, project directory, or script file (pathTarget.ts);
 *  - an explicit argv after `--` (commandTarget.ts);
 *  - `--mcp-config <file> [--server <name>]` (configTarget.ts).
 */
import { UsageError } from '../../errors.js';
import type { LaunchSpec } from '../launchSpec.js';
import { resolveCommandTarget } from './commandTarget.js';
import { resolveConfigTarget, serverWithoutConfig } from './configTarget.js';
import { applyTargetExtras, type TargetExtras } from './extras.js';
import { resolvePathTarget } from './pathTarget.js';
import { TARGET_FORMS } from './usage.js';

/** What the user typed that names the server. */
export interface TargetInput {
  /** Positional target: a directory, a file, or an http(s) URL. */
  target?: string;
  /** Explicit command after `--` (argv, first element the command). */
  command?: string[];
  /** --mcp-config file. */
  mcpConfig?: string;
  /** --server entry name (with --mcp-config). */
  server?: string;
  /** Working directory to resolve relative paths against. */
  cwd: string;
  /** Environment of mcp-opt (the child gets this plus configured env). */
  env: NodeJS.ProcessEnv;
  /** --header and --env values, added to the resolved target (default none). */
  extras?: TargetExtras;
}

/** Resolve the one target form given into a LaunchSpec; UsageError when none, several, or unusable. */
export async function resolveTarget(input: TargetInput): Promise<LaunchSpec> {
  if (input.server !== undefined && input.mcpConfig === undefined) throw serverWithoutConfig(input.server, input.cwd);
  const given = [
    input.target !== undefined && 'a target',
    input.command !== undefined && 'a command after --',
    input.mcpConfig !== undefined && '--mcp-config',
  ].filter((g): g is string => typeof g === 'string');
  if (given.length === 0) throw new UsageError(`No server to measure.\n${TARGET_FORMS}`);
  if (given.length > 1) throw new UsageError(`Give one way to name the server, not ${given.join(' and ')}.\n${TARGET_FORMS}`);
  const spec = input.command !== undefined
    ? resolveCommandTarget(input.command, input.cwd, input.env)
    : input.mcpConfig !== undefined
      ? await resolveConfigTarget(input.mcpConfig, input.server, input.cwd, input.env)
      : await resolvePathTarget(input.target!, input.cwd, input.env);
  return input.extras ? applyTargetExtras(spec, input.extras) : spec;
}
