/**
 * The one place a StdioSpec is assembled, so every form (directory, file, `--`, config entry)
 * merges the environment and detects package runners the same way.
 */
import type { StdioSpec } from '../launchSpec.js';
import { detectRunner } from './runner.js';

/** Parts of a stdio launch, command already absolute. */
export interface StdioParts {
  /** Absolute path of the command. */
  command: string;
  /** Its arguments, as given. */
  args: string[];
  /** Working directory of the server. */
  cwd: string;
  /** mcp-opt's own environment. */
  baseEnv: NodeJS.ProcessEnv;
  /** Entries set by config; `undefined` removes a variable. */
  configuredEnv?: Record<string, string | undefined>;
  /** How the target was named, for messages. */
  origin: string;
}

/** Build the spec: child env = mcp-opt's env plus configured entries; runner from the argv. */
export function makeStdioSpec(parts: StdioParts): StdioSpec {
  const configured = parts.configuredEnv ?? {};
  const env: NodeJS.ProcessEnv = { ...parts.baseEnv };
  for (const [name, value] of Object.entries(configured)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const spec: StdioSpec = {
    kind: 'stdio',
    launch: { command: parts.command, args: parts.args, cwd: parts.cwd, env },
    origin: parts.origin,
    configuredEnvNames: Object.keys(configured),
  };
  const runner = detectRunner(parts.command, parts.args);
  if (runner) spec.runner = runner;
  return spec;
}
