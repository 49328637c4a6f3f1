/**
 * Workload files for `bench`: JSON/JSONC (`.json`, `.jsonc`) or YAML (`.yaml`, `.yml`), parsed
 * strictly like mcp-opt's config (duplicate and prototype keys refused) and validated field by field,
 * so a typo is an error naming the file, the operation and the field rather than a silently
 * different load. Format:
 *
 *   seed: 42                  # optional; templates' random values repeat for the same seed
 *   operations:
 *     - call: search          # a tool name, or auto (every tool annotated safe)
 *       weight: 3             # optional, default 1
 *       args: { q: "item-{{seq}}", limit: "{{randInt 1 50}}" }   # see templates.ts
 *     - method: ping          # ping, tools/list or discover
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { FORBIDDEN_KEYS, parseJsonc } from '../util/jsonc.js';
import { lineColumn } from '../util/textPosition.js';
import { yamlToData } from '../util/yamlData.js';
import { compileArgsTemplate } from './templates.js';
import { AUTO_CALL, isBenchMethod, type WorkloadEntry, type WorkloadSpec } from './workloadSpec.js';

const TOP_KEYS = ['seed', 'operations'];
const OPERATION_KEYS = ['call', 'method', 'weight', 'args'];
const EXAMPLE = 'operations: [{ call: search, weight: 3, args: { q: "item-{{seq}}" } }, { method: ping }]';
/** Largest seed: mulberry32 keeps 32 bits. */
const MAX_SEED = 0xffffffff;

/** Read and validate a workload file; every problem is a UsageError naming the file. */
export async function loadWorkloadFile(path: string): Promise<WorkloadSpec> {
  const where = `Workload file ${path}`;
  const ext = extname(path).toLowerCase();
  const yaml = ext === '.yaml' || ext === '.yml';
  if (!yaml && ext !== '.json' && ext !== '.jsonc') {
    throw new UsageError(`${where}: unknown format "${ext}"; name the file .json, .jsonc, .yaml or .yml.`);
  }
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(err)})`;
    throw new UsageError(`${where}: ${problem}. Give the path of a .json, .jsonc, .yaml or .yml workload.`, { cause: err });
  }
  return workloadFromData(yaml ? await parseYaml(text, where) : parseJsoncText(text, where), where);
}

function parseJsoncText(text: string, where: string): unknown {
  const parsed = parseJsonc(text, 'error');
  if ('value' in parsed) return parsed.value;
  const { kind, key, line, column, detail } = parsed.issue;
  const at = `line ${line}, column ${column}`;
  if (kind === 'syntax') throw new UsageError(`${where}: invalid JSON at ${at} (${detail}). Fix the syntax and run again.`);
  if (kind === 'duplicate-key') throw new UsageError(`${where}: key "${key}" appears twice (second at ${at}). Keep one.`);
  throw new UsageError(`${where}: key "${key}" at ${at} is not allowed.`);
}

async function parseYaml(text: string, where: string): Promise<unknown> {
  const { parseDocument, visit, isCollection } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true });
  const e = doc.errors[0];
  if (e) {
    const { line, column } = lineColumn(text, e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0].trim().replace(/^["']|["']$/g, '');
      throw new UsageError(`${where}: key "${key}" appears twice (second at line ${line}, column ${column}). Keep one.`);
    }
    if (e.code === 'MULTIPLE_DOCS') throw new UsageError(`${where}: holds more than one YAML document ("---" at line ${line}); keep one.`);
    const first = e.message.split('\n')[0]!.replace(/:\s*$/, '').replace(/ at line \d+, column \d+$/, '');
    throw new UsageError(`${where}: invalid YAML at line ${line}, column ${column}: ${first}. Fix it and run again.`);
  }
  // An unquoted {{seq}} is a YAML flow map used as a key; toJS would stringify it to "{ seq }".
  visit(doc, {
    Pair(_key, pair) {
      if (!isCollection(pair.key)) return;
      const { line, column } = lineColumn(text, pair.key.range?.[0] ?? 0);
      throw new UsageError(`${where}: line ${line}, column ${column}: a map or list used as a key, usually an unquoted template; quote templates in YAML, as in q: "item-{{seq}}".`);
    },
  });
  const value = yamlToData(doc, where);
  refuseForbiddenKeys(value, where, 0);
  return value;
}

function refuseForbiddenKeys(value: unknown, where: string, depth: number): void {
  // Aliases may make the tree cyclic; templates.ts reports the depth with the field's path.
  if (value === null || typeof value !== 'object' || depth > 64) return;
  for (const [k, v] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(k)) throw new UsageError(`${where}: key "${k}" is not allowed.`);
    refuseForbiddenKeys(v, where, depth + 1);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value echoed in an error, cut when long. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function workloadFromData(data: unknown, where: string): WorkloadSpec {
  if (!isObject(data)) throw new UsageError(`${where}: the top level must be an object with an "operations" list, e.g. ${EXAMPLE}.`);
  const unknown = Object.keys(data).find((k) => !TOP_KEYS.includes(k));
  if (unknown !== undefined) throw new UsageError(`${where}: unknown key "${unknown}" at the top level; the keys are seed and operations.`);
  const { seed, operations } = data;
  if (seed !== undefined && !(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= MAX_SEED)) {
    throw new UsageError(`${where}: "seed" must be an integer from 0 to ${MAX_SEED}, not ${show(seed)}.`);
  }
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new UsageError(`${where}: "operations" must be a non-empty list, e.g. ${EXAMPLE}.`);
  }
  const entries = operations.map((op, i) => entryFromData(op, `${where}, operations[${i}]`));
  return { entries, seed: seed as number | undefined };
}

function entryFromData(op: unknown, origin: string): WorkloadEntry {
  if (!isObject(op)) throw new UsageError(`${origin}: must be an object such as { call: search, weight: 2 } or { method: ping }, not ${show(op)}.`);
  const unknown = Object.keys(op).find((k) => !OPERATION_KEYS.includes(k));
  if (unknown !== undefined) throw new UsageError(`${origin}: unknown key "${unknown}"; the keys are call, method, weight and args.`);
  const { call, method, weight, args } = op;
  if (call === undefined && method === undefined) {
    throw new UsageError(`${origin}: give "call" (a tool name, or auto) or "method" (ping, tools/list or discover).`);
  }
  if (call !== undefined && method !== undefined) {
    throw new UsageError(`${origin}: has both "call" and "method"; an operation is one or the other, so split it in two.`);
  }
  if (weight !== undefined && !(typeof weight === 'number' && Number.isFinite(weight) && weight > 0)) {
    throw new UsageError(`${origin}.weight: must be a positive number such as 1, 3 or 0.5, not ${show(weight)}.`);
  }
  if (method !== undefined) {
    if (!isBenchMethod(method)) {
      throw new UsageError(`${origin}.method: ${show(method)} is not a method bench sends; use ping, tools/list or discover (tools go in "call").`);
    }
    if (args !== undefined) throw new UsageError(`${origin}.args: only a "call" takes arguments; remove args from this method.`);
    return { kind: 'method', method, weight: weight ?? 1, origin };
  }
  // SEP-986 tool names have no whitespace; a space is a slip, as for --call.
  if (typeof call !== 'string' || call === '' || /[\s\p{Cc}]/u.test(call)) {
    throw new UsageError(`${origin}.call: must be a tool name (a non-empty string without spaces) or auto, not ${show(call)}.`);
  }
  if (call === AUTO_CALL) {
    if (weight !== undefined || args !== undefined) {
      throw new UsageError(`${origin}: "call: auto" takes neither weight nor args; it calls every tool annotated safe with arguments synthesised from its inputSchema, equally weighted. Name tools for a weighted mix.`);
    }
    return { kind: 'auto', origin };
  }
  if (args !== undefined && !isObject(args)) {
    throw new UsageError(`${origin}.args: must be an object of tool arguments such as { q: "x" }, not ${show(args)}.`);
  }
  const given = (args ?? {}) as Record<string, unknown>;
  const template = compileArgsTemplate(given, (path) => `${origin}.${path}`);
  return { kind: 'call', name: call, weight: weight ?? 1, args: given, template, origin };
}
