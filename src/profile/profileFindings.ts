/**
 * What a profile says to fix: rules over a CpuSummary (the measured window) and a StartupProfile,
 * each returning a finding with the figures and a concrete change, or nothing.
 *
 * How Node 20 profiles show the things looked for (read from `node --cpu-prof` of test programs):
 * - JSON.parse and JSON.stringify are V8 builtins with no frame of their own: their time is the
 *   calling function's self time (a loop of JSON.stringify shows as the loop's function only). So
 *   JSON work is recognised by the callers that do nothing else: the MCP SDK's `serializeMessage`
 *   (JSON.stringify) and `deserializeMessage` (JSON.parse, then schema parse in zod frames), JSON
 *   libraries, user `toJSON` methods. A native `parse` frame is the URL parser, not JSON.
 * - Synchronous fs and crypto calls are `node:fs` / `node:internal/crypto/*` frames named `…Sync`
 *   (`readFileSync (node:fs:441)` over natives `open`, `read`, `fstat`, `close`); the native
 *   time sits under them, so their flame width is the call's whole cost.
 * - ajv's compiled validators are code made by `new Function`: no URL, named `validate10` etc.
 */
import { SEVERITY_ORDER, type Finding, type Severity } from '../result/finding.js';
import type { CpuSummary, FlameNode, ImportTime, StartupProfile } from '../result/profileResult.js';
import { parseFrameLabel, RUNTIME, shortFile, YOUR_CODE } from './frames.js';
import { MODULE_LOADER } from './startupImports.js';

/** A function with this share of busy time is worth a finding, percent. */
export const HOT_FUNCTION_PCT = 25;
/** A dependency package with this share of busy time is worth a finding, percent. */
export const HOT_PACKAGE_PCT = 30;
/** Schema validation with this share of busy time is worth a finding, percent. */
export const SCHEMA_VALIDATION_PCT = 20;
/** JSON serialisation with this share of busy time is worth a finding, percent. */
export const JSON_PCT = 20;
/** Synchronous fs/crypto calls with this share of busy time are worth a finding, percent (they block every other request). */
export const SYNC_IO_PCT = 5;
/** Garbage collection with this share of busy time (GC included) is worth a finding, percent. */
export const GC_PCT = 10;
/** Any of the shares above this many times its threshold makes the finding a warning. */
export const WARNING_FACTOR = 2;
/** Import time below this is not worth a finding, ms. */
export const IMPORT_MIN_MS = 50;
/** Import time with this share of the profiled spawn → ready time is worth a finding, percent. */
export const IMPORT_SHARE_PCT = 30;
/** Import time with this share of spawn → ready makes the finding a warning, percent. */
export const IMPORT_WARNING_PCT = 50;
/** The cold-start finding names dependencies, largest first, until they make this share of their import time. */
export const IMPORT_NAMED_SHARE = 0.6;
/** Most dependencies named by the cold-start finding. */
export const IMPORT_MAX_NAMED = 3;

/** Schema-validation packages, besides any name with `json-schema`, `jsonschema`, `ajv` or `zod` in it. */
const VALIDATION_PACKAGES = new Set(['joi', '@hapi/joi', 'yup', 'valibot', 'superstruct', 'io-ts', 'arktype', '@sinclair/typebox',
  'class-validator', 'fastest-validator', 'z-schema', 'tv4', 'djv', '@exodus/schemasafe', 'is-my-json-valid', 'runtypes', '@effect/schema']);
/** Functions that validate, wherever they live (ajv's compiled `validate12` have no file). */
const VALIDATION_FUNCTION = /^(validate\w*|safeParse\w*|parseAsync)$/;
/** Functions whose self time is JSON.parse / JSON.stringify (see the file comment). */
const JSON_FUNCTIONS = new Set(['serializeMessage', 'deserializeMessage', 'toJSON', 'JSON.parse', 'JSON.stringify', 'stringify']);
/** Frames of synchronous calls that block the event loop: `…Sync` in Node's fs, crypto, zlib and child_process. */
const SYNC_FILE = /^(node:(internal\/)?(fs|crypto|zlib|child_process)(\/.*)?|)$/;

/** Findings from the measured window's summary and the start-up profile, most severe first. */
export function profileFindings(summary: CpuSummary | null, startup: StartupProfile | null, coldStartReadyMs?: number): Finding[] {
  const out: Finding[] = [];
  if (summary && summary.busyMs > 0) {
    const validation = schemaValidation(summary);
    const json = jsonWork(summary);
    // A package a more specific finding already names (zod under schema validation) gets no hot-package finding too.
    const specific = new Set([...validation.packages, ...json.packages]);
    for (const f of [hotFunction(summary), hotPackage(summary, specific), validation.finding, json.finding, syncIo(summary), gc(summary)]) {
      if (f) out.push(f);
    }
  }
  const imports = startup ? coldStartImports(startup, coldStartReadyMs) : null;
  if (imports) out.push(imports);
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

const pctText = (pct: number): string => `${pct.toFixed(1)} %`;
const msText = (ms: number): string => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
const severity = (pct: number, threshold: number): Severity => (pct >= threshold * WARNING_FACTOR ? 'warning' : 'info');
const isDependency = (name: string): boolean => !name.startsWith('(');

/**
 * Packages an MCP server must have loaded before it can answer the handshake: the MCP SDKs (and
 * servers published under @modelcontextprotocol), what SDK v1 imports as it loads (zod, ajv,
 * ajv-formats, zod-to-json-schema), and the Python SDK `mcp` with what it imports (pydantic, anyio,
 * starlette, httpx, uvicorn). "Import it lazily" is no advice for those (found on
 * @modelcontextprotocol/server-memory: "import `ajv` and `@modelcontextprotocol/sdk` lazily").
 */
const HANDSHAKE_PACKAGES = /^(@modelcontextprotocol\/.+|zod|zod-to-json-schema|ajv|ajv-formats|@cfworker\/json-schema|mcp|pydantic|pydantic_core|anyio|starlette|sse_starlette|httpx|uvicorn)$/;

/** True for a dependency the server could import lazily: not a pseudo-entry, not one the handshake needs (HANDSHAKE_PACKAGES). */
export function isDeferrable(name: string): boolean {
  return isDependency(name) && !HANDSHAKE_PACKAGES.test(name);
}
const share = (ms: number, s: CpuSummary): number => (ms / s.busyMs) * 100;
/** Where a function is, as frame labels say it: `file:line`, `eval:line` for code made by new Function, `native`. */
const where = (file: string, line: number | null): string =>
  file ? `${shortFile(file)}${line ? `:${line}` : ''}` : line !== null ? `eval:${line}` : 'native';

function hotFunction(s: CpuSummary): Finding | null {
  const hot = s.functions.filter((f) => f.pct >= HOT_FUNCTION_PCT);
  const top = hot[0];
  if (!top) return null;
  const others = hot.slice(1).map((f) => `\`${f.name}\` ${pctText(f.pct)}`);
  const owner = top.package === YOUR_CODE ? 'the server\'s own code' : top.package === RUNTIME ? 'Node itself' : `\`${top.package}\``;
  return {
    id: 'profile-hot-function',
    severity: severity(top.pct, HOT_FUNCTION_PCT),
    title: `\`${top.name}\` (${where(top.file, top.line)}) runs ${pctText(top.pct)} of the server's busy CPU time`,
    evidence: `Self time ${msText(top.selfMs)} of ${msText(s.busyMs)} busy (${s.samples} samples), in ${owner}` +
      (others.length ? `; also over ${HOT_FUNCTION_PCT} %: ${others.join(', ')}` : '') +
      `. Built-ins it calls (JSON.parse/stringify, RegExp, string and array methods) count as its own time in V8 profiles.`,
    recommendation: top.package === YOUR_CODE
      ? `Make \`${top.name}\` cheaper or run it less: cache its result per input, move work that does not depend on the request to start-up, ` +
        'or run it in a worker thread so other requests are not blocked; look inside it for JSON round trips and regular expressions, which the profile folds into it.'
      : `\`${top.name}\` belongs to ${owner}: find which of your calls reach it (the hottest stacks in the profile) and call it less often or with smaller inputs, ` +
        'cache what it returns, or replace it with a cheaper alternative.',
  };
}

function hotPackage(s: CpuSummary, covered: ReadonlySet<string>): Finding | null {
  const top = s.packages.find((p) => isDependency(p.name) && p.pct >= HOT_PACKAGE_PCT && !covered.has(p.name));
  if (!top) return null;
  const fns = s.functions.filter((f) => f.package === top.name).slice(0, 3).map((f) => `\`${f.name}\` ${pctText(f.pct)}`);
  return {
    id: 'profile-hot-package',
    severity: severity(top.pct, HOT_PACKAGE_PCT),
    title: `The dependency \`${top.name}\` uses ${pctText(top.pct)} of the server's busy CPU time`,
    evidence: `Self time in \`${top.name}\`'s files: ${msText(top.selfMs)} of ${msText(s.busyMs)} busy` + (fns.length ? `; its hottest functions: ${fns.join(', ')}` : '') + '.',
    recommendation: `Call \`${top.name}\` less on the request path (cache its results, create its clients and compiled objects once at start rather than per request), ` +
      'check for a newer or faster-configured version, or replace it for the hot operation.',
  };
}

/** Whether a package validates schemas. */
export function isValidationPackage(name: string): boolean {
  return VALIDATION_PACKAGES.has(name) || /json-?schema|ajv|zod/i.test(name);
}

function schemaValidation(s: CpuSummary): { finding: Finding | null; packages: string[] } {
  const pkgs = s.packages.filter((p) => isValidationPackage(p.name));
  const fns = s.functions.filter((f) => !isValidationPackage(f.package) && f.package !== RUNTIME && VALIDATION_FUNCTION.test(f.name));
  const totalMs = sum(pkgs.map((p) => p.selfMs)) + sum(fns.map((f) => f.selfMs));
  const pct = share(totalMs, s);
  const packages = pkgs.map((p) => p.name);
  if (pct < SCHEMA_VALIDATION_PCT) return { finding: null, packages: [] };
  const parts = [...pkgs.map((p) => `\`${p.name}\` ${pctText(p.pct)}`), ...fns.map((f) => `\`${f.name}\` (${where(f.file, f.line)}) ${pctText(f.pct)}`)];
  return {
    packages,
    finding: {
      id: 'profile-schema-validation',
      severity: severity(pct, SCHEMA_VALIDATION_PCT),
      title: `Schema validation takes ${pctText(pct)} of the server's busy CPU time`,
      evidence: `${msText(totalMs)} of ${msText(s.busyMs)} busy in validation: ${parts.slice(0, 5).join(', ')}.`,
      recommendation: 'Build schemas once at module scope and reuse them (a zod schema or `ajv.compile` inside a handler is rebuilt on every call); ' +
        'validate each input once (the SDK already checks tool arguments against the input schema, so parsing them again in the handler doubles the cost); ' +
        'keep large or deeply nested output schemas off the hot path; for big schemas a compiled JSON Schema validator (ajv, @cfworker/json-schema) is usually cheaper than zod.',
    },
  };
}

function jsonWork(s: CpuSummary): { finding: Finding | null; packages: string[] } {
  const pkgs = s.packages.filter((p) => isDependency(p.name) && !isValidationPackage(p.name) && /json|stringify|superjson|flatted|devalue|bourne/i.test(p.name));
  const counted = new Set(pkgs.map((p) => p.name));
  // A native `stringify`/`JSON.*` frame (should a Node version show one) counts; a native `parse` is the URL parser.
  const fns = s.functions.filter((f) => !counted.has(f.package) && JSON_FUNCTIONS.has(f.name) && (f.name !== 'stringify' || f.file === ''));
  const totalMs = sum(pkgs.map((p) => p.selfMs)) + sum(fns.map((f) => f.selfMs));
  const pct = share(totalMs, s);
  if (pct < JSON_PCT) return { finding: null, packages: [] };
  const parts = [...pkgs.map((p) => `\`${p.name}\` ${pctText(p.pct)}`), ...fns.map((f) => `\`${f.name}\` (${where(f.file, f.line)}) ${pctText(f.pct)}`)];
  return {
    packages: [...counted],
    finding: {
      id: 'profile-json',
      severity: severity(pct, JSON_PCT),
      title: `JSON serialisation takes ${pctText(pct)} of the server's busy CPU time`,
      evidence: `${msText(totalMs)} of ${msText(s.busyMs)} busy serialising or parsing JSON: ${parts.slice(0, 5).join(', ')}. ` +
        'V8 counts JSON.parse/JSON.stringify as their caller\'s own time, so JSON done in your handlers adds to this.',
      recommendation: 'Send less JSON: return smaller tool results (paginate, drop fields the model does not need), do not pretty-print ' +
        '(`JSON.stringify(x, null, 2)` in a text result is serialised again inside the JSON-RPC message), avoid stringify-then-parse copies, ' +
        'and cache the serialised form of results that repeat.',
    },
  };
}

function syncIo(s: CpuSummary): Finding | null {
  if (!s.flame) return null;
  const byName = new Map<string, number>();
  const visit = (node: FlameNode, inLoader: boolean): void => {
    const { name, file } = parseFrameLabel(node.frame);
    // require() reads and stats files synchronously: that is module loading, not the server's I/O.
    // Loading ends where the server's or a package's code starts (a module's top level runs under the loader).
    const loader = node.package !== RUNTIME ? false : inLoader || file.startsWith('node:internal/modules/');
    if (!loader && node.package === RUNTIME && /Sync$/.test(name) && SYNC_FILE.test(file)) {
      byName.set(name, (byName.get(name) ?? 0) + node.totalMs);
      return; // its callees (openSync under readFileSync) are inside this time
    }
    for (const c of node.children) visit(c, loader);
  };
  visit(s.flame, false);
  const totalMs = sum([...byName.values()]);
  const pct = share(totalMs, s);
  if (pct < SYNC_IO_PCT) return null;
  const calls = [...byName].sort((a, b) => b[1] - a[1]).map(([n, ms]) => `\`${n}\` ${pctText(share(ms, s))}`);
  return {
    id: 'profile-sync-io',
    severity: severity(pct, SYNC_IO_PCT),
    title: `Synchronous fs/crypto calls block the event loop for ${pctText(pct)} of the server's busy CPU time`,
    evidence: `${msText(totalMs)} of ${msText(s.busyMs)} busy inside synchronous calls: ${calls.slice(0, 5).join(', ')}; while one runs, no other request is served.`,
    recommendation: 'Use the asynchronous APIs on the request path (`fs.promises.readFile`/`stat`, `crypto.pbkdf2`/`scrypt` with a callback or promisified), ' +
      'or do the work once at start and keep the result (read configuration and templates once, cache derived keys).',
  };
}

function gc(s: CpuSummary): Finding | null {
  const gcMs = s.categories.find((c) => c.category === 'gc')?.ms ?? 0;
  const pct = share(gcMs, s);
  if (pct < GC_PCT) return null;
  return {
    id: 'profile-gc',
    severity: severity(pct, GC_PCT),
    title: `Garbage collection takes ${pctText(pct)} of the server's busy CPU time`,
    evidence: `${msText(gcMs)} of ${msText(s.busyMs)} busy in V8's garbage collector.`,
    recommendation: 'Allocate less per request: avoid building large intermediate strings and arrays (JSON round trips, string concatenation in loops, ' +
      'copying whole results), stream or paginate large results, and reuse buffers. If the young generation churns, a larger semi-space ' +
      '(`NODE_OPTIONS=--max-semi-space-size=32`) makes scavenges rarer; near the heap limit, raise `--max-old-space-size`.',
  };
}

function coldStartImports(st: StartupProfile, coldStartReadyMs?: number): Finding | null {
  const span = st.readyMs > 0 ? st.readyMs : st.coveredMs;
  const sharePct = span > 0 ? (st.importMs / span) * 100 : 0;
  if (st.importMs < IMPORT_MIN_MS || sharePct < IMPORT_SHARE_PCT) return null;
  const deps = st.packages.filter((p) => isDeferrable(p.name));
  const named = namedPackages(deps);
  const sdk = st.packages.filter((p) => isDependency(p.name) && !isDeferrable(p.name));
  const sdkMs = sum(sdk.map((p) => p.ms));
  const namedMs = sum(named.map((p) => p.ms));
  const own = st.packages.find((p) => p.name === YOUR_CODE);
  const loader = st.packages.find((p) => p.name === MODULE_LOADER);
  const list = named.map((p) => `\`${p.name}\``);
  const names = list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : (list[0] ?? '');
  const python = st.language === 'python';
  const what = named.length ? `${msText(namedMs)} of ${msText(span)} loading ${names}` : `${msText(st.importMs)} of ${msText(span)} loading modules`;
  const lazy = python
    ? `Import ${names} lazily: move \`import …\` from the top of the module into the tool function that uses it (Python caches it after the first call)`
    : `Import ${names} lazily: replace the top-level \`import … from '…'\` with \`await import('…')\` inside the tool handler that uses it (cached after the first call)`;
  const recommendation = [
    named.length ? `${lazy}, so the handshake no longer waits for ${named.length > 1 ? 'them' : 'it'}.` : '',
    sdkMs >= IMPORT_MIN_MS ? `${msText(sdkMs)} is the MCP SDK and what it loads (${sdk.slice(0, 3).map((p) => `\`${p.name}\``).join(', ')}), needed before the handshake: bundling the server cuts their resolution and file reads.` : '',
    own && own.ms >= namedMs ? 'Much of it is the server\'s own top-level code: create clients, read files and compile schemas on first use instead of at import.' : '',
    loader && loader.ms >= IMPORT_MIN_MS ? `${msText(loader.ms)} went to resolving, reading and compiling the ES module graph, which a profile cannot split by package: ` +
      'fewer imports at start shrink it too, and bundling the server into one file (esbuild, rollup) removes most of the resolution and file reads.' : '',
  ].filter(Boolean).join(' ');
  return {
    id: 'cold-start-imports',
    severity: sharePct >= IMPORT_WARNING_PCT ? 'warning' : 'info',
    metric: 'coldStart.ready.p50',
    title: `Start-up spends ${what} before the handshake`,
    evidence: `In the profiled start, ${msText(st.importMs)} of the ${msText(span)} from spawn to ready (${pctText(sharePct)}) went to loading modules (${st.source})` +
      (st.packages.length ? `; by package: ${st.packages.slice(0, 5).map((p) => `${p.name} ${msText(p.ms)}`).join(', ')}` : '') +
      (coldStartReadyMs !== undefined ? `. Cold start without the profiler: ready p50 ${msText(coldStartReadyMs)}` : '') + '.',
    recommendation: recommendation || 'Load less at start: defer imports and initialisation that the handshake does not need to the first call that uses them.',
  };
}

/** The largest dependencies, until they make IMPORT_NAMED_SHARE of the dependencies' import time (at most IMPORT_MAX_NAMED). */
function namedPackages(deps: readonly ImportTime[]): ImportTime[] {
  const total = sum(deps.map((d) => d.ms));
  const out: ImportTime[] = [];
  for (const d of deps) {
    if (out.length >= IMPORT_MAX_NAMED || sum(out.map((o) => o.ms)) >= total * IMPORT_NAMED_SHARE) break;
    out.push(d);
  }
  return out;
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}
