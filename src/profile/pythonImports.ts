/**
 * A Python server's start-up by import, from what `python -X importtime` (or
 * PYTHONPROFILEIMPORTTIME=1) writes to stderr: one line per module, after the modules it imported,
 * `import time: <self µs> | <cumulative µs> | <name>` with the name indented two spaces per level
 * of nesting (CPython Python/import.c). The top-level lines are what the program (and the
 * interpreter's own start-up: `site`, `encodings`) imported; their cumulative times add up to all
 * the import time, nested lines being inside their parent's.
 */
import type { ImportTime, StartupProfile } from '../result/profileResult.js';

/** Modules listed, most self time first. */
export const TOP_PYTHON_MODULES = 10;

/** `import time:` lines; the header (`self [us] | cumulative | imported package`) and `cached` lines (3.13+ `=2`) do not match. */
const LINE = /^import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)\s*$/;

/** One parsed `import time:` line. */
export interface PythonImportLine {
  /** Dotted module name. */
  name: string;
  /** Nesting level (0: imported by the program or the interpreter's start-up). */
  level: number;
  /** Time in the module itself, µs. */
  selfUs: number;
  /** Time including what it imported, µs. */
  cumulativeUs: number;
}

/** The `import time:` lines of a stderr text, in order; every other line is ignored (the server's own logging). */
export function parseImportTimeLines(stderr: string): PythonImportLine[] {
  const out: PythonImportLine[] = [];
  for (const raw of stderr.split(/\r?\n/)) {
    const m = LINE.exec(raw);
    if (!m) continue;
    out.push({ name: m[4]!, level: Math.floor(m[3]!.length / 2), selfUs: Number(m[1]), cumulativeUs: Number(m[2]) });
  }
  return out;
}

/**
 * Start-up profile of a Python server from its stderr: packages are the top-level imports folded
 * by their first dotted component (`numpy.core` → `numpy`) by cumulative time, modules the single
 * modules with the most self time. Null when stderr held no `import time:` line.
 */
export function pythonImports(stderr: string, readyMs: number): StartupProfile | null {
  const lines = parseImportTimeLines(stderr);
  if (lines.length === 0) return null;
  const topLevel = lines.filter((l) => l.level === 0);
  const coveredUs = topLevel.reduce((s, l) => s + l.cumulativeUs, 0);
  const byPackage = new Map<string, number>();
  for (const l of topLevel) {
    const pkg = l.name.split('.')[0]!;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + l.cumulativeUs);
  }
  const pct = (us: number): number => (coveredUs > 0 ? Math.round((us / coveredUs) * 1000) / 10 : 0);
  const item = (name: string, us: number): ImportTime => ({ name, ms: ms(us), pct: pct(us) });
  const packages = [...byPackage].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, us]) => item(name, us));
  const modules = [...lines].sort((a, b) => b.selfUs - a.selfUs || a.name.localeCompare(b.name))
    .slice(0, TOP_PYTHON_MODULES).map((l) => item(l.name, l.selfUs));
  return {
    language: 'python',
    source: 'python -X importtime',
    readyMs,
    coveredMs: ms(coveredUs),
    importMs: ms(coveredUs),
    packages,
    modules,
  };
}

function ms(us: number): number {
  return Math.round(us / 10) / 100;
}
