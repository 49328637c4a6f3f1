/**
 * mcp-opt's own config file: `mcp-opt.config.json` (JSONC allowed), `.yaml` or `.yml`, found in the
 * working directory or named with --config. Parsed strictly: duplicate keys and prototype keys are
 * errors, because JSON.parse keeps the last duplicate silently (test/options/configFile.test.ts) and a budget
 * that vanishes that way passes a gate it should fail.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { FORBIDDEN_KEYS, parseJsonc } from '../util/jsonc.js';
import { yamlToData } from '../util/yamlData.js';

/** Names looked for in the working directory, in order. */
export const CONFIG_NAMES = ['mcp-opt.config.json', 'mcp-opt.config.yaml', 'mcp-opt.config.yml'] as const;

/** A loaded config file. */
export interface LoadedConfig {
  /** Absolute path. */
  path: string;
  /** Parsed content (plain objects without prototypes of concern). */
  data: Record<string, unknown>;
}


/** Find and load the config: the named file, else the first of CONFIG_NAMES in cwd, else null. */
export async function loadConfig(named: string | undefined, cwd: string): Promise<LoadedConfig | null> {
  let path: string | undefined;
  if (named !== undefined) {
    path = resolve(cwd, named);
    if (!existsSync(path)) throw new UsageError(`--config ${named}: no such file. Give the path of a mcp-opt.config.json or .yaml file.`);
    if (!statSync(path).isFile()) throw new UsageError(`--config ${named} is not a file. Give the path of a mcp-opt.config.json or .yaml file.`);
  } else {
    path = CONFIG_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
    if (!path) return null;
  }
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const data = /\.ya?ml$/i.test(path) ? await parseYaml(text, path) : parseJsoncConfig(text, path);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`Config ${path}: the top level must be an object, e.g. { "budgets": ["coldStart.p50<400ms"] }.`);
  }
  return { path, data: data as Record<string, unknown> };
}

function parseJsoncConfig(text: string, path: string): unknown {
  const parsed = parseJsonc(text, 'error');
  if ('value' in parsed) return parsed.value;
  const { kind, key, line, column, detail } = parsed.issue;
  const at = `line ${line}, column ${column}`;
  if (kind === 'syntax') throw new UsageError(`Config ${path}: invalid JSON at ${at} (${detail}). Fix the syntax and run again.`);
  if (kind === 'duplicate-key') throw new UsageError(`Config ${path}: key "${key}" appears twice (second at ${at}). Keep one.`);
  throw new UsageError(`Config ${path}: key "${key}" at ${at} is not allowed.`);
}

async function parseYaml(text: string, path: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  // uniqueKeys makes duplicate keys errors; maxAliasCount bounds alias expansion ("billion laughs").
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const first = e.message.split('\n')[0]!.replace(/:\s*$/, '');
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0].trim().replace(/^["']|["']$/g, '');
      throw new UsageError(`Config ${path}: key "${key}" appears twice (${first.replace(/^Map keys must be unique /, '')}). Keep one.`);
    }
    throw new UsageError(`Config ${path}: invalid YAML: ${first}. Fix it and run again.`);
  }
  const value = yamlToData(doc, `Config ${path}`);
  assertNoForbiddenKeys(value, path);
  return value;
}

function assertNoForbiddenKeys(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(k)) throw new UsageError(`Config ${path}: key "${k}" is not allowed.`);
    assertNoForbiddenKeys(v, path);
  }
}

/** Read an optional field of a given type, with an error naming the config path and key. */
export function field<T>(obj: Record<string, unknown>, key: string, type: 'string' | 'number' | 'boolean' | 'array' | 'object', where: string): T | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  const ok = type === 'array' ? Array.isArray(v) : type === 'object' ? v !== null && typeof v === 'object' && !Array.isArray(v) : typeof v === type;
  if (!ok) throw new UsageError(`${where}: "${key}" must be ${type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`}.`);
  return v as T;
}
