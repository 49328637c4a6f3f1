/**
 * A positional target: an http(s) URL, a directory, or a file.
 */
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { LaunchSpec } from '../launchSpec.js';
import { resolveDirectory } from './directory.js';
import { statOrNull } from './fsProbe.js';
import { scriptLaunch } from './scriptFile.js';
import { makeStdioSpec } from './stdioSpec.js';
import { looksLikeUrl, resolveUrl } from './url.js';
import { TARGET_FORMS } from './usage.js';

/** Resolve a positional target against `cwd`. */
export function resolvePathTarget(target: string, cwd: string, env: NodeJS.ProcessEnv): LaunchSpec {
  if (looksLikeUrl(target)) return resolveUrl(target, 'URL');
  if (target.trim() === '') throw new UsageError(`The target is an empty string.\n${TARGET_FORMS}`);
  const abs = resolve(cwd, target);
  const stat = statOrNull(abs);
  if (!stat) throw new UsageError(`No such file or directory: ${target}${abs === target ? '' : ` (resolved to ${abs})`}. ${missingHint(target)}`);
  if (stat.isDirectory()) return resolveDirectory({ dir: abs, shown: target, cwd, env });
  // A single file runs from the user's folder, as `node ./srv/server.js` typed there would.
  const run = scriptLaunch(abs, { cwd, env, shown: target });
  return makeStdioSpec({ command: run.command, args: run.args, cwd, baseEnv: env, origin: `file ${target} (${run.via})` });
}

/** Guess what a missing target was meant to be, to suggest the right form. */
function missingHint(target: string): string {
  if (/^[\w.-]+:\d+(\/|$)/.test(target)) return `For a server on a port, give a URL: mcp-opt analyze http://${target}`;
  const packageName = /^(@[\w.-]+\/)?[\w.-]+(@[\w.^~-]+)?$/.test(target) && !/\.(m?[jt]s|c[jt]s|py)$/.test(target);
  if (packageName) return `Check the path; if it is an npm package, run it with: mcp-opt analyze -- npx -y ${target}`;
  return 'Check the path, or name the server another way: an http(s) URL, --mcp-config <file> --server <name>, ' +
    'or the command after -- (e.g. mcp-opt analyze -- npx -y @scope/server).';
}

