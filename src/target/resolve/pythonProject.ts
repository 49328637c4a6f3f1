/**
 * Python project folders: a `[project.scripts]` console script from pyproject.toml, else a
 * `server.py`. Both run from the project folder, so imports resolve as in `python -m`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import type { StdioSpec } from '../launchSpec.js';
import { isDirectory, isFile } from './fsProbe.js';
import { readPyprojectScripts } from './pyprojectScripts.js';
import { findPython } from './python.js';
import { makeStdioSpec } from './stdioSpec.js';
import { q } from './usage.js';

/** What this resolver looks for, for the "nothing launchable" message. */
export const PYTHON_CANDIDATES = ['pyproject.toml [project.scripts]', 'server.py'];

/** Dotted Python identifiers: the script entry is pasted into `-c` code, so it must be only names. */
const DOTTED_NAME = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

/** Resolve a Python project folder, or null when it is not one. */
export function resolvePythonProject(dir: string, shown: string, env: NodeJS.ProcessEnv): StdioSpec | null {
  const pyproject = join(dir, 'pyproject.toml');
  if (isFile(pyproject)) {
    const spec = fromPyproject(dir, shown, env, readFileSync(pyproject, 'utf8'));
    if (spec) return spec;
  }
  if (isFile(join(dir, 'server.py'))) {
    const python = findPython(dir, env, `running server.py in ${shown}`);
    return makeStdioSpec({
      command: python.command, args: ['server.py'], cwd: dir, baseEnv: env,
      origin: `directory ${shown} (server.py, ${python.note})`,
    });
  }
  return null;
}

/**
 * A console script is `module:function` (PEP 621 / entry points). A declared entry comes before
 * the server.py convention, as package.json "bin" comes before index.js.
 */
function fromPyproject(dir: string, shown: string, env: NodeJS.ProcessEnv, text: string): StdioSpec | null {
  const { projectName, scripts } = readPyprojectScripts(text);
  if (scripts.length === 0) return null;
  const chosen = scripts.find(([name]) => name === projectName) ?? (scripts.length === 1 ? scripts[0] : undefined);
  if (!chosen) {
    throw new UsageError(
      `${shown}/pyproject.toml has several [project.scripts] entries: ${scripts.map(([n]) => n).join(', ')}, ` +
        `and none is named like the project. Run one explicitly, e.g. mcp-opt analyze -- uv run --directory ${shown} ${scripts[0]![0]}.`,
    );
  }
  const [name, entry] = chosen;
  const code = entryPointCode(dir, entry);
  if (!code) {
    throw new UsageError(`${shown}/pyproject.toml script ${q(name)} = ${q(entry)} is not of the form "module:function".`);
  }
  const python = findPython(dir, env, `running script ${q(name)} of ${shown}`);
  return makeStdioSpec({
    command: python.command, args: ['-c', code], cwd: dir, baseEnv: env,
    origin: `directory ${shown} (pyproject.toml [project.scripts] ${q(name)}, ${python.note})`,
  });
}

/** Python code that calls `module:attr.path` the way a console-script wrapper does, or null. */
export function entryPointCode(dir: string, entry: string): string | null {
  // Drop an extras marker: "pkg.cli:main [server]".
  const [modulePart, attrPart] = entry.replace(/\s*\[[^\]]*\]\s*$/, '').split(':').map((s) => s.trim());
  if (!modulePart || !attrPart || !DOTTED_NAME.test(modulePart) || !DOTTED_NAME.test(attrPart)) return null;
  const [head] = attrPart.split('.');
  // A src/ layout imports only once installed; put src/ on sys.path so an uninstalled checkout runs too.
  const top = modulePart.split('.')[0]!;
  const srcLayout = !exists(join(dir, top)) && exists(join(dir, 'src', top));
  const prefix = srcLayout ? "sys.path.insert(0, 'src'); " : '';
  return `import sys; ${prefix}from ${modulePart} import ${head}; sys.exit(${attrPart}())`;
}

function exists(pathWithoutExt: string): boolean {
  return isDirectory(pathWithoutExt) || isFile(`${pathWithoutExt}.py`);
}
