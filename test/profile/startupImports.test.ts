/**
 * Start-up folded by import, on stacks shaped like Node 20's (CommonJS requires nest; a file is
 * compiled before its top-level frame exists; ES modules load in stackless async steps and
 * evaluate unnested), and on real `node --cpu-prof` start-ups that load typescript.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCpuProfile, type CallFrame, type CpuProfile } from '../../src/profile/cpuProfile.js';
import { MODULE_LOADER, startupImports } from '../../src/profile/startupImports.js';
import { fn, GC, IDLE, mod, native, profileOf, times } from './fakeProfile.js';

const CJS = 'node:internal/modules/cjs/loader';
const ENTRY = [fn('executeUserEntryPoint', 'node:internal/modules/run_main', 154), fn('Module._load', CJS, 1002), fn('Module._compile', CJS, 1482)];
const REQUIRE = [fn('require', 'node:internal/modules/helpers', 179), fn('Module._load', CJS, 1002), fn('Module._compile', CJS, 1482)];
const COMPILE = fn('wrapSafe', CJS, 1421);
const READ = [fn('loadSource', CJS, 1535), fn('readFileSync', 'node:fs', 441), native('readFileUtf8')];

/** Everything before `ready` in a 1 ms-per-sample profile starting at 0. */
const all = (p: CpuProfile): [number, number] => [0, p.endTime + 1];
const byName = (list: Array<{ name: string; ms: number }>): Record<string, number> => Object.fromEntries(list.map((x) => [x.name, x.ms]));

describe('startupImports on CommonJS stacks', () => {
  const MAIN = 'file:///srv/app/server.cjs';
  const HEAVY = 'file:///srv/app/node_modules/heavy/index.js';
  const HEAVY_SUB = 'file:///srv/app/node_modules/heavy/lib/tables.js';
  const LIGHT = 'file:///srv/app/node_modules/light/index.js';
  const main: CallFrame[] = [...ENTRY, mod(MAIN)];
  const p = profileOf([
    ...times(2, [fn('prepareExecution', 'node:internal/process/pre_execution', 95)]), // node's bootstrap: not import time
    ...times(2, [...main, ...REQUIRE, ...READ]), // reading heavy/index.js: its frame is not on the stack yet
    ...times(4, [...main, ...REQUIRE, COMPILE]), // compiling it
    [GC], // collections fall between the samples of a load
    ...times(3, [...main, ...REQUIRE, mod(HEAVY)]), // its top level runs
    ...times(2, [...main, ...REQUIRE, mod(HEAVY), ...REQUIRE, COMPILE]), // heavy requires its tables
    ...times(2, [...main, ...REQUIRE, mod(HEAVY), ...REQUIRE, mod(HEAVY_SUB), fn('build', HEAVY_SUB, 9)]),
    [...main, ...REQUIRE, COMPILE], // light: compiled, then run
    [...main, ...REQUIRE, mod(LIGHT)],
    ...times(2, [...main, fn('setup', MAIN, 5)]), // the server's own top-level code
    [...main, ...REQUIRE, COMPILE], // a file whose top level ran between samples: the search stops at the main's own code
    [...main, fn('setup', MAIN, 5)],
    ...times(3, [fn('onStdinData', 'node:internal/streams/readable', 500), fn('handleInitialize', MAIN, 30)]), // the handshake
    ...times(4, [IDLE]),
  ], { startTime: 0 });
  const st = startupImports([p], all(p), 40);

  it('gives each load, the reading and compiling before its frame exists included, to the dependency the server imported', () => {
    expect(byName(st.packages)).toEqual({ heavy: 13, light: 2, '(your code)': 4 });
    expect(st.packages[0]!.name).toBe('heavy');
  });

  it('gives modules the time of the innermost file being loaded', () => {
    expect(byName(st.modules)).toEqual({ 'heavy/index.js': 9, 'heavy/lib/tables.js': 4, 'light/index.js': 2, '/srv/app/server.cjs': 4 });
  });

  it('counts module loading as import time, not bootstrap, GC, the handshake or idle', () => {
    expect(st.importMs).toBe(19);
    expect(st.coveredMs).toBe(29);
    expect(st.readyMs).toBe(40);
    expect(st).toMatchObject({ language: 'node', source: 'cpu-profile' });
    expect(st.packages[0]!.pct).toBeCloseTo((13 / 29) * 100, 0);
  });

  it('only reads the samples inside the window', () => {
    const early = startupImports([p], [0, 8_500], 10); // bootstrap, reading and compiling heavy
    expect(early.coveredMs).toBe(8);
    expect(byName(early.packages)).toEqual({ '(your code)': 6 }); // heavy's frame never appears in the window
  });
});

describe('startupImports for a server run from node_modules (npx)', () => {
  const MAIN = 'file:///home/u/.npm/_npx/1/node_modules/@acme/server/dist/index.js';
  const ZOD = 'file:///home/u/.npm/_npx/1/node_modules/zod/index.cjs';
  const main = [...ENTRY, mod(MAIN)];
  const p = profileOf([
    ...times(3, [...main, ...REQUIRE, COMPILE]),
    ...times(2, [...main, ...REQUIRE, mod(ZOD)]),
    ...times(2, [...main, fn('registerTools', MAIN, 40)]),
  ], { startTime: 0 });

  it('attributes imports below the server\'s own package and names its own time by the package', () => {
    expect(byName(startupImports([p], all(p), 10).packages)).toEqual({ zod: 5, '@acme/server': 2 });
  });
});

describe('startupImports on ES module stacks', () => {
  const ESM = 'node:internal/modules/esm';
  const run = [fn('run', `${ESM}/module_job`, 317), native('evaluate')];
  const GPT = 'file:///srv/app/node_modules/gpt-tokenizer/esm/encoding/o200k_base.js';
  const TS = 'file:///srv/app/node_modules/typescript/lib/typescript.js';
  const p = profileOf([
    ...times(6, [fn('loadAndTranslate', `${ESM}/loader`, 541), fn('#translate', `${ESM}/loader`, 488), fn('compileSourceTextModule', `${ESM}/utils`, 343)]),
    ...times(2, [fn('_link', `${ESM}/module_job`, 146), fn('resolve', `${ESM}/loader`, 634)]),
    ...times(4, [...run, mod(GPT), fn('BytePairEncodingCore', 'file:///srv/app/node_modules/gpt-tokenizer/esm/BytePairEncodingCore.js', 29)]),
    // An ES module importing CommonJS: the CJS loader runs under the translator, with no module above it.
    ...times(3, [...run, fn('', `${ESM}/translators`, 235), fn('cjsLoader', `${ESM}/translators`, 295), fn('Module._load', CJS, 1002), fn('Module._compile', CJS, 1482), COMPILE]),
    [...run, fn('', `${ESM}/translators`, 235), fn('cjsLoader', `${ESM}/translators`, 295), fn('Module._load', CJS, 1002), fn('Module._compile', CJS, 1482), mod(TS)],
    ...times(2, [...run, mod('file:///srv/app/server.mjs')]),
  ], { startTime: 0 });
  const st = startupImports([p], all(p), 20);

  it('reports graph loading that no stack ties to a module as the module loader, not as a guess', () => {
    expect(byName(st.packages)).toEqual({ [MODULE_LOADER]: 8, 'gpt-tokenizer': 4, typescript: 4, '(your code)': 2 });
    expect(st.modules.map((m) => m.name)).not.toContain(MODULE_LOADER);
    expect(st.importMs).toBe(18);
  });
});

describe('startupImports on a real start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-opt-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const typescript = createRequire(import.meta.url).resolve('typescript');

  /** Run a script under --cpu-prof in a folder of its own; its profile covers its whole life. */
  async function profiled(name: string, source: string): Promise<CpuProfile> {
    const sub = mkdtempSync(join(dir, 'run-'));
    const script = join(sub, name);
    writeFileSync(script, source);
    await promisify(execFile)(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${sub}`, script]);
    const file = readdirSync(sub).find((f) => f.endsWith('.cpuprofile'))!;
    return parseCpuProfile(readFileSync(join(sub, file), 'utf8'));
  }

  it('names typescript first when a CommonJS server requires it at the top', async () => {
    const p = await profiled('server.cjs', `const ts = require(${JSON.stringify(typescript)});\nconsole.log(typeof ts.createProgram);\n`);
    const st = startupImports([p], [p.startTime, p.endTime + 1], (p.endTime - p.startTime) / 1000);
    expect(st.packages[0]!.name).toBe('typescript');
    // Compiling typescript.js (before its frame exists) is most of its cost: it must land on typescript.
    expect(st.packages[0]!.ms).toBeGreaterThan(st.importMs / 2);
    expect(st.modules[0]!.name).toBe('typescript/lib/typescript.js');
    expect(st.importMs).toBeLessThanOrEqual(st.coveredMs);
  });

  it('names typescript as the costliest dependency when an ES module imports it, the graph loading apart', async () => {
    const p = await profiled('server.mjs', `import ts from ${JSON.stringify(pathToFileURL(typescript).href)};\nconsole.log(typeof ts.createProgram);\n`);
    const st = startupImports([p], [p.startTime, p.endTime + 1], 0);
    const ts = st.packages.find((x) => x.name === 'typescript')!;
    expect(st.packages.filter((x) => !x.name.startsWith('('))[0]).toBe(ts);
    // Compiling typescript.js through the CommonJS translator lands on typescript, far above the server's own two lines.
    expect(ts.ms).toBeGreaterThan(st.packages.find((x) => x.name === '(your code)')?.ms ?? 0);
    expect(st.packages.map((x) => x.name)).toContain(MODULE_LOADER);
  });
});
