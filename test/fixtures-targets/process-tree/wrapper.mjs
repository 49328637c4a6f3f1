// Stands in for a package runner: starts `sh -c 'node <child> …; exit $?'` (as npm runs bins)
// in ./workdir with stdin inherited, and stays alive as the parent. Mode from TREE_MODE:
//   server (default): the shell's child is a node server that shares stdin;
//   shell-only: the shell's child does not read our stdin (</dev/null), so only sh shares it;
//   retitled: the server renames itself (process.title), so its argv cannot be replayed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./child.mjs', import.meta.url));
const mode = process.env.TREE_MODE ?? 'server';
const redirect = mode === 'shell-only' ? ' </dev/null' : '';
// "; exit $?" keeps the shell alive as a real middle generation (sh may exec a lone command).
const script = `node "$0" "$@"${redirect}; exit $?`;
const sh = spawn('sh', ['-c', script, child, ...process.argv.slice(2)], {
  cwd: fileURLToPath(new URL('./workdir/', import.meta.url)),
  stdio: 'inherit',
});
sh.on('exit', (code) => process.exit(code ?? 1));
