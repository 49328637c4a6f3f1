/**
 * What `tune --apply FILE` writes into a file, by what the file is: the server's config file (the
 * file knobs' JSON Pointers), an MCP client config (env and args of the server's entry, wrapped in
 * `mcp-opt proxy` after tune --via-proxy), an .env file (env knobs), or mcp-opt's own config (its
 * "bench" settings, and "proxy" after tune --via-proxy).
 */
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { editConfigText } from './editText.js';
import { formatOf, parseConfigText } from './formats.js';
import { maskConfigSecrets } from './maskSecrets.js';
import { editMcpClientEntry, findServerEntry } from './mcpClientEntry.js';
import { benchChanges, type RecommendedChanges } from './recommendedChanges.js';

/** An edit of a file's text, and what its diff may show of a text (secrets masked), if anything is masked. */
export interface Editor {
  /** The file's new text from its current text (throws a UsageError when the file takes none of the changes). */
  edit: (text: string) => string;
  /** The text with secrets masked, for the diff. */
  mask?: (text: string) => string;
}

/** The edit for one file, by what the file is; a file the recommendation has nothing for is an error. */
export function editorFor(path: string, rec: RecommendedChanges, serverName: string | undefined): Editor {
  const real = safeRealpath(path);
  const serverFile = rec.files.find((f) => safeRealpath(f.path) === real);
  if (serverFile) return { edit: (text) => editConfigText(text, formatOf(path), serverFile.changes, { path }) };
  const format = formatOf(path);
  const hasEnvOrArgs = Object.keys(rec.env).length > 0 || rec.args.length > 0 || rec.proxy !== null;
  const envNames = Object.keys(rec.env);
  if (format === 'env') {
    if (!envNames.length) throw nothingFor(path, 'an .env file takes env:NAME knobs', rec);
    const envChanges = Object.entries(rec.env).map(([name, value]) => ({ pointer: `/${name}`, value }));
    return {
      edit: (text) => editConfigText(text, 'env', envChanges, { path, allowCreate: true }),
      mask: (text) => maskConfigSecrets(text, 'env', { envNames }, path),
    };
  }
  // A client config's neighbouring entries hold tokens in env, headers and args: the diff's
  // context lines must not print them (only the tuned entry's written env values stay visible).
  const mask = (text: string): string => {
    const doc = parseConfigText(text, format, path);
    if (!isClientConfigDoc(doc)) return text;
    return maskConfigSecrets(text, format, { serverName: findServerEntry(doc, serverName, path).name, envNames }, path);
  };
  const edit = (text: string): string => {
    const doc = parseConfigText(text, format, path) as Record<string, unknown> | null;
    if (isClientConfigDoc(doc)) {
      if (!hasEnvOrArgs) throw nothingFor(path, 'an MCP client config takes env:NAME and arg:--flag knobs, and the proxy settings of tune --via-proxy', rec);
      return editMcpClientEntry(text, format as 'json' | 'jsonc' | 'yaml', serverName, { env: rec.env, args: rec.args, proxy: rec.proxy }, path);
    }
    const isOwnConfig = /^mcp-opt\.config\.(json|ya?ml)$/.test(basename(path)) || (!!doc && typeof doc === 'object' && ('bench' in doc || 'budgets' in doc || 'tune' in doc || 'proxy' in doc));
    if (isOwnConfig) {
      if (!Object.keys(rec.bench).length && !rec.proxy) throw nothingFor(path, "mcp-opt's config takes the pool, concurrency, balance, batch and batchDelay knobs", rec);
      return editConfigText(text, format, benchChanges(rec.bench, rec.proxy), { path, allowCreate: true });
    }
    throw new UsageError(
      `--apply ${path}: mcp-opt cannot tell what this file configures. It writes into the server's config file named by a file: knob, ` +
        'an MCP client config (mcpServers or servers), an .env file, or mcp-opt.config.json/.yaml.',
    );
  };
  return { edit, mask };
}

/** An MCP client config: servers under "mcpServers" (Claude, Cursor) or "servers" (VS Code). */
function isClientConfigDoc(doc: unknown): boolean {
  return !!doc && typeof doc === 'object' && ('mcpServers' in doc || 'servers' in doc);
}

/** A file of a known kind that the tuned knobs do not touch. */
function nothingFor(path: string, what: string, rec: RecommendedChanges): UsageError {
  const has = [
    rec.files.length ? `file knobs of ${rec.files.map((f) => f.path).join(', ')}` : '',
    Object.keys(rec.env).length ? 'env knobs' : '', rec.args.length ? 'arg knobs' : '', Object.keys(rec.bench).length ? 'client knobs (pool, concurrency…)' : '',
    rec.proxy ? 'proxy settings' : '',
  ].filter(Boolean);
  return new UsageError(`--apply ${path}: ${what}, but this tune's recommendation has ${has.join(', ') || 'nothing'} to write. Apply it to a file of the matching kind.`);
}

/** The real path of `path`, or `path` itself when it does not exist (yet). */
function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
