#!/usr/bin/env node
// Shim: the compiled CLI lives in dist/ (built by `npm run build`, run by `npm ci` via prepare).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('mcp-opt: dist/ is missing. Run `npm run build` (or `npm ci`) in the mcp-opt folder first.\n');
    process.exit(2);
  }
  throw err;
});
