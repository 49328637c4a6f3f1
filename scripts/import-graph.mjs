#!/usr/bin/env node
// Checks that imports in src/ run one way: no cycle between files, no cycle between folders,
// and the layer rules below. Prints the folder graph. Run by `npm test` (and so by CI).
// Uses TypeScript's own import scanner (ts.preProcessFile), so type-only imports count too.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = walk(src);
const known = new Set(files);
/** file (relative to src) → files it imports (relative to src) */
const graph = new Map();
for (const file of files) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const deps = new Set();
  for (const ref of info.importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const target = resolve(dirname(file), ref.fileName).replace(/\.js$/, '.ts');
    const candidates = [target, target + '.ts', join(target, 'index.ts')];
    const hit = candidates.find((c) => known.has(c));
    if (hit) deps.add(relative(src, hit));
  }
  graph.set(relative(src, file), [...deps].sort());
}

/** Strongly connected components with more than one member, or a self-loop (Tarjan). */
function cycles(g) {
  let index = 0;
  const idx = new Map(), low = new Map(), on = new Set(), stack = [], out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** Top folder of a file under src/: 'cli', 'target', … ('.' for files at the top). */
const folderOf = (f) => (f.includes(sep) ? f.split(sep)[0] : '.');
const folders = new Map();
const edgeWhy = new Map();
for (const [f, deps] of graph) {
  const a = folderOf(f);
  if (!folders.has(a)) folders.set(a, new Set());
  for (const d of deps) {
    const b = folderOf(d);
    if (a === b || b === '.') continue; // top-level files (errors.ts, version.ts) are leaves
    folders.get(a).add(b);
    const key = `${a} -> ${b}`;
    if (!edgeWhy.has(key)) edgeWhy.set(key, []);
    edgeWhy.get(key).push(`${f} -> ${d}`);
  }
}
const folderGraph = new Map([...folders].map(([k, v]) => [k, [...v].sort()]));

/** Layer rules from issue 11: [from folder, forbidden folder]. */
const FORBIDDEN = [
  ['reporters', 'runners'], ['reporters', 'target'], ['reporters', 'cli'], ['reporters', 'options'],
  ['measure', 'target'], ['measure', 'runners'], ['measure', 'cli'],
  ['result', 'runners'], ['result', 'cli'], ['result', 'options'],
  ['target', 'runners'], ['target', 'cli'], ['target', 'options'],
  ['budgets', 'runners'], ['budgets', 'options'], ['budgets', 'cli'],
  ['budgets', 'report'], ['budgets', 'reporters'], ['budgets', 'target'], ['report', 'runners'],
  ['options', 'runners'], ['options', 'cli'],
  ['runners', 'cli'], ['patch', 'cli'], ['patch', 'runners'],
  // The proxy (issue 12) serves what target/ speaks; it sits beside runners/, below cli/.
  ['proxy', 'cli'], ['proxy', 'runners'], ['target', 'proxy'], ['options', 'proxy'], ['result', 'proxy'], ['reporters', 'proxy'], ['measure', 'proxy'],
  // Profiling (issue 15): collection and analysis of CPU profiles, below the runners, above result/.
  ['profile', 'runners'], ['profile', 'cli'], ['profile', 'options'], ['profile', 'proxy'], ['profile', 'reporters'],
  ['result', 'profile'], ['reporters', 'profile'], ['measure', 'profile'], ['target', 'profile'], ['options', 'profile'],
];

const problems = [];
for (const c of cycles(graph)) problems.push(`file cycle: ${c.join(' <-> ')}`);
for (const c of cycles(folderGraph)) {
  const inside = new Set(c);
  const why = [...edgeWhy].filter(([k]) => { const [a, b] = k.split(' -> '); return inside.has(a) && inside.has(b); })
    .map(([k, v]) => `    ${k}: ${v.slice(0, 3).join(', ')}${v.length > 3 ? ` (+${v.length - 3})` : ''}`);
  problems.push(`folder cycle: ${c.join(' <-> ')}\n${why.join('\n')}`);
}
for (const [a, b] of FORBIDDEN) {
  const hits = edgeWhy.get(`${a} -> ${b}`);
  if (hits) problems.push(`layer rule: ${a}/ must not import ${b}/: ${hits.join(', ')}`);
}

console.log('folder graph of src/ (each folder and the folders it imports):');
for (const [k, v] of [...folderGraph].sort()) console.log(`  ${k.padEnd(10)} -> ${v.join(', ') || '(nothing)'}`);
if (problems.length) {
  console.error(`\n${problems.length} import problem(s):`);
  for (const p of problems) console.error(`- ${p}`);
  process.exit(1);
}
console.log(`\n${graph.size} files: no file cycle, no folder cycle, layer rules hold.`);
