/**
 * Where a Node server's start-up went, by import: the samples from process start to the
 * handshake's answer that were loading modules, folded by the dependency the server's own code
 * imported (the thing to import lazily) and by module file.
 *
 * What Node 20 profiles show (read from `node --cpu-prof` of programs importing typescript, zod,
 * gpt-tokenizer and the MCP SDK):
 * - A module's top-level code is a frame with an empty name at line 0, column 0 and the module's
 *   URL. CommonJS nests: `main.cjs:0 > require > Module._load > … > Module._compile > dep.js:0`.
 * - Compiling a CommonJS file (`wrapSafe`) and reading it (`loadSource > readFileSync`) happen
 *   before its top-level frame exists, so such a sample names the requirer, not the file being
 *   loaded: it is given to the module the same require evaluates next (lookahead).
 * - ES modules are resolved, read and compiled in separate async steps (`_link`,
 *   `loadAndTranslate`, `defaultLoad`, `compileSourceTextModule`, cjs-module-lexer's `parseCJS`,
 *   `detectModuleFormat`) whose stacks name no module at all; they can be a third of start-up and
 *   are reported as MODULE_LOADER rather than guessed. Evaluation then runs each module from
 *   `ModuleJob.run > evaluate`, not nested, so an ES module's time goes to its own package.
 */
import type { ImportTime, StartupProfile } from '../result/profileResult.js';
import { callTree, samplesInWindows, stackOf, type CallFrame, type CallTree, type CpuProfile } from './cpuProfile.js';
import { classifyStack, isPseudoFrame, packageOfUrl, shortFile, YOUR_CODE } from './frames.js';

/** Import time no stack ties to a module: ES module graph resolution, reading and compilation. */
export const MODULE_LOADER = '(module loader)';
/** Modules listed, costliest first. */
export const TOP_MODULES = 10;

/** A module's top-level code (not Node's own modules: those are the runtime's). */
export function isModuleFrame(frame: CallFrame): boolean {
  return frame.functionName === '' && frame.lineNumber === 0 && frame.columnNumber === 0 && frame.url !== '' && !frame.url.startsWith('node:');
}

/** Node's module loaders (CommonJS, ESM, the CJS export lexer), whose frames mark a sample as import time. */
export function isLoaderFrame(frame: CallFrame): boolean {
  return frame.url.startsWith('node:internal/modules/') || frame.url.startsWith('node:internal/deps/cjs-module-lexer');
}

/** The CommonJS loader (require → Module._load → Module._compile → wrapSafe). */
function isCjsLoaderFrame(frame: CallFrame): boolean {
  return frame.url.startsWith('node:internal/modules/cjs/') || (frame.url === 'node:internal/modules/helpers' && frame.functionName === 'require');
}

/** What one call-tree node says about import time. */
interface NodeInfo {
  /** Inside module evaluation or a loader. */
  isImport: boolean;
  /** URLs of the module frames, outermost first (a module's nested IIFE at 0:0 counted once). */
  chain: string[];
  /** Outermost dependency package on the stack other than the process's main package, or null. */
  outerDep: string | null;
  /** A CommonJS load is under way below the innermost module: the file being loaded is not on the stack yet. */
  pending: boolean;
  /** A V8 pseudo-frame alone ('(garbage collector)', '(program)'): says nothing about which code ran. */
  pseudo: boolean;
}

/** Fold a start-up window ([startUs, endUs), monotonic µs) of every profile by import. */
export function startupImports(profiles: readonly CpuProfile[], windowUs: readonly [number, number], readyMs: number): StartupProfile {
  let coveredUs = 0;
  let importUs = 0;
  const packages = new Map<string, number>();
  const modules = new Map<string, number>();
  for (const profile of profiles) {
    const tree = callTree(profile);
    const main = mainPackage(profile, tree);
    const memo = new Map<number, NodeInfo>();
    const infoOf = (id: number): NodeInfo => {
      let info = memo.get(id);
      if (!info) memo.set(id, (info = nodeInfo(stackOf(tree, id), main)));
      return info;
    };
    const samples = samplesInWindows(profile, [windowUs]);
    const infos = samples.map((s) => infoOf(s.nodeId));
    const loaded = resolvePending(infos);
    samples.forEach((s, i) => {
      coveredUs += s.weightUs;
      const info = infos[i]!;
      if (!info.isImport) return;
      importUs += s.weightUs;
      const target = loaded[i] ?? null;
      const innermost = target ?? info.chain[info.chain.length - 1] ?? null;
      add(packages, info.outerDep ?? depOf(target, main) ?? ownName(innermost), s.weightUs);
      if (innermost) add(modules, shortFile(innermost), s.weightUs);
    });
  }
  const pct = (us: number): number => (coveredUs > 0 ? Math.round((us / coveredUs) * 1000) / 10 : 0);
  const list = (m: Map<string, number>, top = Infinity): ImportTime[] => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top).map(([name, us]) => ({ name, ms: ms(us), pct: pct(us) }));
  return {
    language: 'node',
    source: 'cpu-profile',
    readyMs,
    coveredMs: ms(coveredUs),
    importMs: ms(importUs),
    packages: list(packages),
    modules: list(modules, TOP_MODULES),
  };
}

/**
 * The package of a CommonJS main module (the first module under `executeUserEntryPoint`), when it
 * lives under node_modules (a server run by npx): that package is the server's own code, and its
 * imports are attributed below it. Null for a main outside node_modules or an ES module main
 * (ES module stacks do not nest, so they never show the main above a dependency).
 */
function mainPackage(profile: CpuProfile, tree: CallTree): string | null {
  const entry = profile.nodes.find((n) => n.callFrame.functionName === 'executeUserEntryPoint' && n.callFrame.url.startsWith('node:internal/modules/'));
  const queue = entry ? [...(entry.children ?? [])] : [];
  for (let i = 0; i < queue.length; i++) {
    const node = tree.byId.get(queue[i]!);
    if (!node) continue;
    if (isModuleFrame(node.callFrame)) return packageOfUrl(node.callFrame.url);
    queue.push(...(node.children ?? []));
  }
  return null;
}

function nodeInfo(stack: readonly CallFrame[], main: string | null): NodeInfo {
  const classes = classifyStack(stack);
  const chain: string[] = [];
  let lastModule = -1;
  let outerDep: string | null = null;
  let loader = false;
  stack.forEach((frame, i) => {
    const c = classes[i]!;
    if (outerDep === null && c.category === 'packages' && c.package !== main) outerDep = c.package;
    if (isLoaderFrame(frame)) loader = true;
    if (isModuleFrame(frame)) {
      if (chain[chain.length - 1] !== frame.url) chain.push(frame.url);
      lastModule = i;
    }
  });
  const pending = stack.some((f, i) => i > lastModule && isCjsLoaderFrame(f));
  return { isImport: lastModule >= 0 || loader, chain, outerDep, pending, pseudo: stack.length <= 2 && isPseudoFrame(stack[stack.length - 1]!) };
}

/**
 * For each sample loading a CommonJS file that is not on its stack yet, the URL of that file: the
 * module the next samples of the same require chain start evaluating. The search stops where the
 * samples leave the chain, or come back to the requirer's own code (the file then ran unsampled);
 * it looks past GC and (program) samples, which fall between the samples of a load.
 */
function resolvePending(infos: readonly NodeInfo[]): Array<string | undefined> {
  const out: Array<string | undefined> = new Array(infos.length);
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i]!;
    if (!info.isImport || !info.pending || out[i] !== undefined) continue;
    const k = info.chain.length;
    let found: string | null = null;
    let j = i + 1;
    for (; j < infos.length; j++) {
      const next = infos[j]!;
      // GC and (program) samples fall between the samples of a load (compiling allocates): look past them.
      if (next.pseudo) continue;
      if (!next.isImport || !startsWith(next.chain, info.chain)) break;
      if (next.chain.length > k) {
        found = next.chain[k]!;
        break;
      }
      if (!next.pending) break;
    }
    if (found === null) continue;
    // Every sample of the same load up to the one that found it shares the answer.
    for (let m = i; m < j; m++) if (infos[m]!.pending && sameChain(infos[m]!.chain, info.chain)) out[m] = found;
  }
  return out;
}

/** The dependency a module URL belongs to, unless it is the main package; null for the server's own files. */
function depOf(url: string | null, main: string | null): string | null {
  const pkg = url ? packageOfUrl(url) : null;
  return pkg && pkg !== main ? pkg : null;
}

/** Name for time in the server's own modules: its package when it runs from node_modules, else '(your code)'; MODULE_LOADER with no module. */
function ownName(url: string | null): string {
  return url ? packageOfUrl(url) ?? YOUR_CODE : MODULE_LOADER;
}

function startsWith(chain: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= chain.length && prefix.every((u, i) => chain[i] === u);
}

function sameChain(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

function ms(us: number): number {
  return Math.round(us / 10) / 100;
}
