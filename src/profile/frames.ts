/**
 * What a call frame is: whose code (the server's, a dependency's, Node's), which npm package,
 * and how to print it. Rules read from Node 20 profiles: natives (bindings such as `open`,
 * `readFileUtf8`, `RegExp: …`) have scriptId '0', no URL and line -1; Node's JavaScript has
 * `node:` URLs; code made by `eval` / `new Function` (ajv's compiled validators) has no URL but
 * a real scriptId and line; files are `file://` URLs (older Node: plain paths).
 */
import type { CpuCategory } from '../result/profileResult.js';
import type { CallFrame } from './cpuProfile.js';

/** Package name of the server's own files. */
export const YOUR_CODE = '(your code)';
/** Package name of Node's own code and V8 natives. */
export const RUNTIME = '(runtime)';

/** V8's pseudo-frames, by function name (a Map: a native named `constructor` must not match an object's key). */
const PSEUDO = new Map<string, CpuCategory | '(root)'>([
  ['(root)', '(root)'],
  ['(garbage collector)', 'gc'],
  ['(idle)', 'idle'],
  ['(program)', 'program'],
]);

/** What a frame's time belongs to. */
export interface FrameClass {
  /** Category; '(root)' for the tree's root, which no sample should be counted under. */
  category: CpuCategory | '(root)';
  /** npm name, YOUR_CODE, RUNTIME, or the pseudo-frame's own name ('(garbage collector)'). */
  package: string;
}

/** True for V8's pseudo-frames: '(root)', '(program)', '(idle)', '(garbage collector)'. */
export function isPseudoFrame(frame: CallFrame): boolean {
  return frame.url === '' && PSEUDO.has(frame.functionName);
}

/** True for code compiled from a string (`eval`, `new Function`): no URL, but a script of its own. */
export function isEvalFrame(frame: CallFrame): boolean {
  return frame.url === '' && frame.scriptId !== '0' && frame.lineNumber >= 0 && !isPseudoFrame(frame);
}

/**
 * The npm package a file belongs to: the segment(s) after the LAST `/node_modules/` (a scoped name
 * kept whole), so pnpm's `.pnpm/x@1/node_modules/x/…` and nested installs resolve to the package
 * that owns the file. Null when the file is not under node_modules.
 */
export function packageOfUrl(url: string): string | null {
  const path = url.replace(/\\/g, '/');
  const at = path.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const [first, second] = path.slice(at + '/node_modules/'.length).split('/');
  if (!first) return null;
  if (first.startsWith('@')) return second ? `${first}/${second}` : null;
  return first;
}

/**
 * Classify a frame. Code from `eval`/`new Function` names no file, so it takes its caller's class
 * (an ajv validator called from the SDK counts where it was called) when the caller is given.
 */
export function classifyFrame(frame: CallFrame, caller?: FrameClass): FrameClass {
  if (isPseudoFrame(frame)) {
    return { category: PSEUDO.get(frame.functionName)!, package: frame.functionName };
  }
  if (isEvalFrame(frame) && (caller?.category === 'your code' || caller?.category === 'packages')) {
    return caller;
  }
  if (frame.url === '' || frame.url.startsWith('node:')) return { category: 'runtime', package: RUNTIME };
  const pkg = packageOfUrl(frame.url);
  return pkg ? { category: 'packages', package: pkg } : { category: 'your code', package: YOUR_CODE };
}

/** The function's name as displayed: '(anonymous)' when V8 gives none. */
export function functionName(frame: CallFrame): string {
  return frame.functionName || '(anonymous)';
}

/** The file as a path: `file://` URLs decoded to paths, `node:` URLs and '' as they are. */
export function filePath(url: string): string {
  if (!url.startsWith('file://')) return url;
  const path = url.slice('file://'.length);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The file shortened for display: from the package folder for node_modules files, else the path. */
export function shortFile(url: string): string {
  const path = filePath(url);
  const at = path.replace(/\\/g, '/').lastIndexOf('/node_modules/');
  return at < 0 ? path : path.slice(at + '/node_modules/'.length);
}

/** 1-based line, or null when V8 does not know it. */
export function lineOf(frame: CallFrame): number | null {
  return frame.lineNumber >= 0 ? frame.lineNumber + 1 : null;
}

/**
 * `name (file:line)`: a pseudo-frame by its own name, a native as `name (native)`, code made by
 * eval as `name (eval:line)`.
 */
export function frameLabel(frame: CallFrame): string {
  if (isPseudoFrame(frame)) return frame.functionName;
  const name = functionName(frame);
  const line = lineOf(frame);
  if (frame.url === '') return isEvalFrame(frame) ? `${name} (eval:${line})` : `${name} (native)`;
  return line === null ? `${name} (${shortFile(frame.url)})` : `${name} (${shortFile(frame.url)}:${line})`;
}

/** A label split back into name and file (file '' for natives and pseudo-frames), for rules that read flame nodes. */
export function parseFrameLabel(label: string): { name: string; file: string } {
  const m = /^(.*) \((.*?)(?::\d+)?\)$/.exec(label);
  if (!m) return { name: label, file: '' };
  const file = m[2] === 'native' || m[2] === 'eval' ? '' : m[2]!;
  return { name: m[1]!, file };
}

/** Classify every frame of a stack (root → leaf), each knowing its caller's class (for eval'd code). */
export function classifyStack(stack: readonly CallFrame[]): FrameClass[] {
  const out: FrameClass[] = [];
  for (const frame of stack) out.push(classifyFrame(frame, out[out.length - 1]));
  return out;
}
