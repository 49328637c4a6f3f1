#!/usr/bin/env node
// Shim: the compiled CLI lives in dist/ (built by `npm run build`, run by `npm ci` via prepare).
// The only place that ends the process: main() runs with the process's own streams and returns
// the exit code; signal handlers (installed because `exit` is given) may end it at once.
import('../dist/cli/main.js').then(
  async ({ main }) => {
    const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), exit: (code) => process.exit(code) };
    // exitCode, not exit(): output still queued for a pipe is written before the process ends.
    process.exitCode = await main(process.argv, io);
  },
  (err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
      process.stderr.write('mcp-opt: dist/ is missing. Run `npm run build` (or `npm ci`) in the mcp-opt folder first.\n');
      process.exit(2);
    }
    throw err;
  },
);
