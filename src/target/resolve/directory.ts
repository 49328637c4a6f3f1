/**
 * A directory target: a Node project first (package.json is the stronger signal in a mixed
 * repository), then a Python project; otherwise say exactly what was looked for.
 */
import { UsageError } from '../../errors.js';
import type { StdioSpec } from '../launchSpec.js';
import { NODE_CANDIDATES, resolveNodeProject, type ProjectContext } from './nodeProject.js';
import { PYTHON_CANDIDATES, resolvePythonProject } from './pythonProject.js';

/** Resolve a project folder to the command that starts its server. */
export function resolveDirectory(ctx: ProjectContext): StdioSpec {
  const spec = resolveNodeProject(ctx) ?? resolvePythonProject(ctx.dir, ctx.shown, ctx.env);
  if (spec) return spec;
  throw new UsageError(
    `Nothing to launch in directory ${ctx.shown}: looked for ${[...NODE_CANDIDATES, ...PYTHON_CANDIDATES].join(', ')}. ` +
      'Give the server file itself, or the command after --, e.g. mcp-opt analyze -- node build/server.js.',
  );
}
