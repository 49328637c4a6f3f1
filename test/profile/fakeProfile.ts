/**
 * Hand-built V8 CPU profiles for the analysis tests: frames made like Node 20 makes them (natives
 * with scriptId '0' and line -1, module top levels as '' at 0:0, `file://` URLs), stacks interned
 * into a call tree, samples at a fixed interval unless told otherwise.
 */
import type { CallFrame, CpuProfile, ProfileNode } from '../../src/profile/cpuProfile.js';

/** A JavaScript function at a 1-based line of a file URL (or `node:` URL). */
export function fn(name: string, url: string, line = 1): CallFrame {
  return { functionName: name, scriptId: '7', url, lineNumber: line - 1, columnNumber: 4 };
}

/** A module's top-level code. */
export function mod(url: string): CallFrame {
  return { functionName: '', scriptId: '8', url, lineNumber: 0, columnNumber: 0 };
}

/** A native (C++ binding or builtin). */
export function native(name: string): CallFrame {
  return { functionName: name, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 };
}

/** Code made by `new Function` (ajv's validators). */
export function evalFn(name: string, line = 1): CallFrame {
  return { functionName: name, scriptId: '99', url: '', lineNumber: line - 1, columnNumber: 0 };
}

/** V8's pseudo-frames. */
export const GC = native('(garbage collector)');
export const IDLE = native('(idle)');
export const PROGRAM = native('(program)');

/** One sample: its stack below '(root)', outermost first, and optionally the µs since the previous sample. */
export interface FakeSample {
  stack: CallFrame[];
  deltaUs?: number;
}

/** A profile whose samples run the given stacks, `intervalUs` apart from `startTime`. */
export function profileOf(samples: ReadonlyArray<FakeSample | CallFrame[]>, opts: { startTime?: number; intervalUs?: number } = {}): CpuProfile {
  const startTime = opts.startTime ?? 1_000_000;
  const interval = opts.intervalUs ?? 1000;
  const root: ProfileNode = { id: 1, callFrame: native('(root)'), children: [] };
  const nodes: ProfileNode[] = [root];
  const index = new Map<string, ProfileNode>();
  const ids: number[] = [];
  const deltas: number[] = [];
  for (const s of samples) {
    const { stack, deltaUs } = Array.isArray(s) ? { stack: s, deltaUs: undefined } : s;
    let at = root;
    let key = '';
    for (const f of stack) {
      key += `|${f.functionName}@${f.url}:${f.lineNumber}:${f.columnNumber}`;
      let node = index.get(key);
      if (!node) {
        node = { id: nodes.length + 1, callFrame: f, children: [] };
        nodes.push(node);
        index.set(key, node);
        at.children!.push(node.id);
      }
      at = node;
    }
    ids.push(at.id);
    deltas.push(deltaUs ?? interval);
  }
  const endTime = startTime + deltas.reduce((a, b) => a + b, 0) + interval;
  return { nodes, startTime, endTime, samples: ids, timeDeltas: deltas };
}

/** `n` copies of a stack. */
export function times(n: number, stack: CallFrame[]): CallFrame[][] {
  return Array.from({ length: n }, () => stack);
}
