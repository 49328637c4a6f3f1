/**
 * Frame classification and display: categories of V8's pseudo-frames, natives, Node's code, the
 * server's files and dependencies (scoped, pnpm, nested installs, Windows paths), eval'd code
 * counted as its caller, and `name (file:line)` labels.
 */
import { describe, expect, it } from 'vitest';
import { classifyFrame, classifyStack, frameLabel, packageOfUrl, parseFrameLabel, shortFile } from '../../src/profile/frames.js';
import { evalFn, fn, GC, IDLE, mod, native, PROGRAM } from './fakeProfile.js';

describe('packageOfUrl', () => {
  it.each([
    ['file:///srv/app/node_modules/zod/v4/core/parse.js', 'zod'],
    ['file:///srv/app/node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js', '@modelcontextprotocol/sdk'],
    // pnpm: the package is the one after the last node_modules, not the store folder.
    ['file:///srv/app/node_modules/.pnpm/ajv@8.17.1/node_modules/ajv/dist/ajv.js', 'ajv'],
    ['file:///srv/app/node_modules/.pnpm/@cfworker+json-schema@4.1.1/node_modules/@cfworker/json-schema/dist/index.js', '@cfworker/json-schema'],
    // A nested install belongs to the inner package.
    ['file:///srv/app/node_modules/openai/node_modules/node-fetch/lib/index.js', 'node-fetch'],
    ['C:\\srv\\app\\node_modules\\yaml\\dist\\index.js', 'yaml'],
    ['/srv/app/node_modules/yaml/dist/index.js', 'yaml'],
    ['file:///srv/app/src/server.js', null],
    ['file:///srv/app/node_modules/@broken', null],
  ])('%s → %s', (url, pkg) => {
    expect(packageOfUrl(url)).toBe(pkg);
  });
});

describe('classifyFrame', () => {
  it('puts V8 pseudo-frames in their own categories and skips the root', () => {
    expect(classifyFrame(GC)).toEqual({ category: 'gc', package: '(garbage collector)' });
    expect(classifyFrame(IDLE).category).toBe('idle');
    expect(classifyFrame(PROGRAM).category).toBe('program');
    expect(classifyFrame(native('(root)')).category).toBe('(root)');
  });

  it('counts natives and node: code as the runtime', () => {
    expect(classifyFrame(native('readFileUtf8'))).toEqual({ category: 'runtime', package: '(runtime)' });
    expect(classifyFrame(fn('readFileSync', 'node:fs', 441))).toEqual({ category: 'runtime', package: '(runtime)' });
    expect(classifyFrame(native('constructor'))).toEqual({ category: 'runtime', package: '(runtime)' });
  });

  it('tells the server\'s files from dependencies', () => {
    expect(classifyFrame(fn('handle', 'file:///srv/app/server.js'))).toEqual({ category: 'your code', package: '(your code)' });
    expect(classifyFrame(fn('parse', 'file:///srv/app/node_modules/zod/index.js'))).toEqual({ category: 'packages', package: 'zod' });
  });

  it('counts code made by new Function as its caller (an ajv validator called from the SDK), else as the runtime', () => {
    const stack = [mod('file:///srv/node_modules/@modelcontextprotocol/sdk/dist/validate.js'), evalFn('validate10', 3)];
    expect(classifyStack(stack)[1]).toEqual({ category: 'packages', package: '@modelcontextprotocol/sdk' });
    expect(classifyFrame(evalFn('validate10'))).toEqual({ category: 'runtime', package: '(runtime)' });
  });
});

describe('frameLabel', () => {
  it('writes name (file:line) with a 1-based line and the file from its package folder', () => {
    expect(frameLabel(fn('parse', 'file:///srv/node_modules/.pnpm/zod@4.1.0/node_modules/zod/v4/core/parse.js', 12))).toBe('parse (zod/v4/core/parse.js:12)');
    expect(frameLabel(fn('handle', 'file:///srv/my%20app/server.js', 1))).toBe('handle (/srv/my app/server.js:1)');
    expect(frameLabel(fn('readFileSync', 'node:fs', 441))).toBe('readFileSync (node:fs:441)');
  });

  it('names anonymous functions, natives, eval\'d code and pseudo-frames', () => {
    expect(frameLabel(mod('file:///srv/server.js'))).toBe('(anonymous) (/srv/server.js:1)');
    expect(frameLabel(native('open'))).toBe('open (native)');
    expect(frameLabel(evalFn('validate10', 3))).toBe('validate10 (eval:3)');
    expect(frameLabel(GC)).toBe('(garbage collector)');
  });

  it('splits back into name and file', () => {
    expect(parseFrameLabel('readFileSync (node:fs:441)')).toEqual({ name: 'readFileSync', file: 'node:fs' });
    expect(parseFrameLabel('existsSync (native)')).toEqual({ name: 'existsSync', file: '' });
    expect(parseFrameLabel('(garbage collector)')).toEqual({ name: '(garbage collector)', file: '' });
    expect(parseFrameLabel('(anonymous) (/srv/server.js:1)')).toEqual({ name: '(anonymous)', file: '/srv/server.js' });
  });

  it('shortens only node_modules paths', () => {
    expect(shortFile('file:///srv/node_modules/@a/b/x.js')).toBe('@a/b/x.js');
    expect(shortFile('node:internal/modules/cjs/loader')).toBe('node:internal/modules/cjs/loader');
  });
});
