#!/usr/bin/env node
// Lists what in src/ lacks a one-line doc: every exported declaration (function, class,
// variable, type alias, interface, enum) without a /** … */ comment right before it, and every
// member of an exported interface, or of an object type literal inside an exported type alias
// or interface (nested literals too), without one. Re-exports (`export { … } from`) are skipped.
// Prints `file:line name` per missing doc, then a count per top folder of src/; exits 1 if any
// doc is missing. `--summary` prints only the counts; `--src DIR` checks DIR instead of src/.
// Uses TypeScript's parser per file (ts.createSourceFile), no type checking.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const srcFlag = process.argv.indexOf('--src');
const src = srcFlag > 0 && process.argv[srcFlag + 1] ? resolve(process.argv[srcFlag + 1]) : join(root, 'src');
const summaryOnly = process.argv.includes('--summary');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** True when a /** … *\/ comment sits directly before the node (for a variable, its statement). */
const hasDoc = (node) => ts.getJSDocCommentsAndTags(node).some((d) => d.kind === ts.SyntaxKind.JSDoc);

const isExported = (node) =>
  (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;

/** Top folder of a file under src/: 'cli', 'target', … ('.' for files at the top). */
const folderOf = (f) => (f.includes(sep) ? f.split(sep)[0] : '.');

/** Each missing doc: { file (relative to src), line, name, kind: 'export' | 'field' }. */
const missing = [];

for (const file of walk(src).sort()) {
  const rel = relative(src, file);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const report = (node, name, kind) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    missing.push({ file: rel, line: line + 1, name, kind });
  };
  const memberName = (m) => (m.name ? m.name.getText(sf) : m.kind === ts.SyntaxKind.IndexSignature ? '[index]' : '(call)');

  /** Members of object type literals anywhere inside a type node, named under `prefix`. */
  const visitType = (type, prefix) => {
    if (!type) return;
    if (ts.isTypeLiteralNode(type)) return visitMembers(type.members, prefix);
    ts.forEachChild(type, (child) => {
      if (ts.isTypeNode(child)) visitType(child, prefix);
    });
  };
  /** Property and method members need a doc; their own types are searched for nested literals. */
  const visitMembers = (members, prefix) => {
    for (const m of members) {
      if (!ts.isPropertySignature(m) && !ts.isMethodSignature(m)) continue;
      const name = `${prefix}.${memberName(m)}`;
      if (!hasDoc(m)) report(m, name, 'field');
      visitType(m.type, name);
    }
  };

  for (const stmt of sf.statements) {
    if (ts.isExportDeclaration(stmt) || ts.isExportAssignment(stmt)) continue;
    if (!isExported(stmt)) continue;
    if (ts.isVariableStatement(stmt)) {
      const documented = hasDoc(stmt);
      for (const d of stmt.declarationList.declarations) {
        if (!documented && !hasDoc(d)) report(d, d.name.getText(sf), 'export');
        if (d.type) visitType(d.type, d.name.getText(sf));
      }
      continue;
    }
    const name = stmt.name ? stmt.name.getText(sf) : 'default';
    if (ts.isFunctionDeclaration(stmt)) {
      // Overloads: one doc on any signature of the name is enough; check the first only.
      const prev = sf.statements[sf.statements.indexOf(stmt) - 1];
      if (prev && ts.isFunctionDeclaration(prev) && prev.name?.getText(sf) === name) continue;
      const sigs = sf.statements.filter((s) => ts.isFunctionDeclaration(s) && s.name?.getText(sf) === name);
      if (!sigs.some(hasDoc)) report(stmt, name, 'export');
      continue;
    }
    if (ts.isClassDeclaration(stmt) || ts.isEnumDeclaration(stmt) || ts.isModuleDeclaration(stmt)) {
      if (!hasDoc(stmt)) report(stmt, name, 'export');
      continue;
    }
    if (ts.isInterfaceDeclaration(stmt)) {
      if (!hasDoc(stmt)) report(stmt, name, 'export');
      visitMembers(stmt.members, name);
      continue;
    }
    if (ts.isTypeAliasDeclaration(stmt)) {
      if (!hasDoc(stmt)) report(stmt, name, 'export');
      visitType(stmt.type, name);
    }
  }
}

if (!summaryOnly) for (const m of missing) console.log(`${relative(process.cwd(), join(src, m.file))}:${m.line} ${m.name}`);

/** top folder → [exports without doc, fields without doc] */
const counts = new Map();
for (const m of missing) {
  const f = folderOf(m.file);
  if (!counts.has(f)) counts.set(f, [0, 0]);
  counts.get(f)[m.kind === 'export' ? 0 : 1]++;
}
const exports = missing.filter((m) => m.kind === 'export').length;
if (!summaryOnly && missing.length) console.log('');
console.log(`missing docs per folder of ${relative(process.cwd(), src) || '.'}/ (exports, fields):`);
for (const [f, [e, p]] of [...counts].sort()) console.log(`  ${f.padEnd(10)} ${String(e + p).padStart(4)}  (${e} exports, ${p} fields)`);
console.log(`total ${missing.length} (${exports} exports, ${missing.length - exports} fields)`);
process.exit(missing.length ? 1 : 0);
