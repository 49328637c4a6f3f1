/**
 * Which Python runs a Python target: the project's own `.venv` when it has one (that is where
 * `uv sync` and `poetry install` put the dependencies, and `uv run` would use it), else
 * `python3` on PATH.
 */
import { join } from 'node:path';
import { canExecute, isFile } from './fsProbe.js';
import { requireCommand } from './commandErrors.js';

/** The interpreter and a note for the origin ("project .venv" or "python3 on PATH"). */
export interface PythonChoice {
  /** The interpreter: the project's .venv/bin/python3, else the python3 found on PATH. */
  command: string;
  /** Where it came from: 'project .venv' or 'python3 on PATH'. */
  note: string;
}

/** Pick the interpreter for a project folder; UsageError when there is none. */
export function findPython(projectDir: string, env: NodeJS.ProcessEnv, from: string): PythonChoice {
  // The venv's python is a symlink; run the link itself, since Python finds pyvenv.cfg from it.
  const venvPython = join(projectDir, '.venv', 'bin', 'python3');
  if (isFile(venvPython) && canExecute(venvPython)) return { command: venvPython, note: 'project .venv' };
  const command = requireCommand('python3', { baseDir: projectDir, pathVar: env.PATH }, from);
  return { command, note: 'python3 on PATH' };
}
