/**
 * How to run one script file: by extension (Node, tsx, Python), else by its `#!` line.
 * Used for file targets and for the files package.json points at.
 */
import { dirname, extname } from 'node:path';
import { UsageError } from '../../errors.js';
import { canExecute, readShebang } from './fsProbe.js';
import { findPython } from './python.js';
import { findTsx } from './nodeBin.js';

/** Command and leading args for a script, plus a note for the origin. */
export interface ScriptLaunch {
  /** What to run: node, tsx, a Python interpreter, or the script itself (#! line). */
  command: string;
  /** Arguments before the user's: the script path, or none when the script runs itself. */
  args: string[];
  /** How it is run, e.g. "node", "tsx", "python3 on PATH", "#! line". */
  via: string;
}

const NODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);
const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

/** Options of scriptLaunch. */
export interface ScriptOptions {
  /** Folder the user ran mcp-opt in (second place to look for tsx). */
  cwd: string;
  /** mcp-opt's environment (PATH to find tsx and python3). */
  env: NodeJS.ProcessEnv;
  /** How to name the file in messages. */
  shown: string;
  /**
   * Files named by package.json ("bin", "main") are JavaScript by npm's contract even without an
   * extension, and npm sets their execute bit only at install time: run them with Node unless
   * they carry a non-Node `#!` line and are executable.
   */
  assumeNode?: boolean;
}

/** Decide how to run `file` (absolute); UsageError when it cannot be run. */
export function scriptLaunch(file: string, opts: ScriptOptions): ScriptLaunch {
  const ext = extname(file).toLowerCase();
  // process.execPath: the same Node that runs mcp-opt, so results do not depend on PATH order.
  if (NODE_EXTENSIONS.has(ext)) return { command: process.execPath, args: [file], via: 'node' };
  if (TS_EXTENSIONS.has(ext)) return tsLaunch(file, opts);
  if (ext === '.py') {
    const python = findPython(dirname(file), opts.env, `running ${opts.shown}`);
    return { command: python.command, args: [file], via: python.note };
  }
  const shebang = readShebang(file);
  const executable = canExecute(file);
  if (opts.assumeNode && (!shebang || !executable || /\bnode(js)?\b/.test(shebang))) {
    return { command: process.execPath, args: [file], via: 'node' };
  }
  if (shebang && executable) return { command: file, args: [], via: '#! line' };
  if (shebang) {
    throw new UsageError(
      `${opts.shown} starts with "#!${shebang}" but is not executable. ` +
        `Make it executable (chmod +x ${opts.shown}) or name its interpreter after --.`,
    );
  }
  if (ext === '.json' || ext === '.jsonc') {
    throw new UsageError(
      `${opts.shown} is a JSON file, not a server. If it is an MCP client config, use --mcp-config ${opts.shown} --server <name>.`,
    );
  }
  throw new UsageError(
    `Don't know how to run ${opts.shown}: expected a .js/.mjs/.cjs, .ts/.mts/.cts or .py file, or an executable ` +
      'script with a #! line. Pass the exact command after --, e.g. mcp-opt analyze -- ./my-server --stdio.',
  );
}

function tsLaunch(file: string, opts: ScriptOptions): ScriptLaunch {
  const tsx = findTsx(dirname(file), opts.cwd, opts.env);
  if (tsx) return { command: tsx, args: [file], via: 'tsx' };
  throw new UsageError(
    `${opts.shown} is TypeScript and tsx was not found (looked in node_modules/.bin above the file and the ` +
      'current folder, and on PATH). Install it with `npm install -D tsx`, or compile first (e.g. `npx tsc`) ' +
      'and give the .js file.',
  );
}
