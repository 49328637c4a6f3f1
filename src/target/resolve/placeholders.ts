/**
 * `${…}` placeholders in config values, as MCP clients expand them:
 * VS Code `${env:NAME}`, `${workspaceFolder}`, `${userHome}`, `${pathSeparator}`/`${/}`, and
 * `${input:id}` (a prompt, which mcp-opt cannot show); Claude Code `${NAME}` and `${NAME:-default}`.
 * Errors name variables, never values (test/target/resolve/mcpConfig.test.ts).
 */
import { homedir } from 'node:os';
import { UsageError } from '../../errors.js';

/** Values placeholders may refer to. */
export interface PlaceholderScope {
  /** Environment ${env:NAME} reads. */
  env: NodeJS.ProcessEnv;
  /** The project folder (${workspaceFolder}). */
  workspaceFolder: string;
  /** Names the place being expanded in errors, e.g. `env.API_KEY of server "x" in mcp.json`. */
  where: string;
}

/** Expand every placeholder in `value`; UsageError for unset variables, inputs and unknown forms. */
export function expandPlaceholders(value: string, scope: PlaceholderScope): string {
  return value.replace(/\$\{([^}]*)\}/g, (_, body: string) => expandOne(body, scope));
}

function expandOne(body: string, scope: PlaceholderScope): string {
  if (body.startsWith('env:')) return requireEnv(body.slice(4), `\${${body}}`, scope);
  if (body.startsWith('input:')) {
    const id = body.slice(6);
    throw new UsageError(
      `${scope.where} uses \${input:${id}}, a value VS Code prompts for; mcp-opt cannot prompt for inputs. ` +
        `Set the value in the environment instead: replace \${input:${id}} with \${env:SOME_NAME} and export SOME_NAME before running mcp-opt.`,
    );
  }
  if (body === 'workspaceFolder') return scope.workspaceFolder;
  if (body === 'userHome') return homedir();
  if (body === 'pathSeparator' || body === '/') return '/';
  const claude = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(body);
  if (claude) {
    const [, name, fallback] = claude as unknown as [string, string, string | undefined];
    const value = envValue(scope.env, name);
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    return requireEnv(name, `\${${name}}`, scope);
  }
  throw new UsageError(`${scope.where} uses the placeholder \${${body}}, which mcp-opt does not support. Replace it with the literal value or \${env:NAME}.`);
}

function requireEnv(name: string, written: string, scope: PlaceholderScope): string {
  const value = envValue(scope.env, name);
  if (value !== undefined) return value;
  throw new UsageError(`${scope.where} uses ${written}, but the environment variable ${name} is not set. Export ${name} and retry.`);
}

/** Own entries only: a copied env is a plain object, and `${env:constructor}` must not find Object's. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return Object.hasOwn(env, name) ? env[name] : undefined;
}
