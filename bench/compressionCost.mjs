// Time per call and size of the HTTP front's answer compression (src/proxy/compression.ts), for the
// choices in its comments: brotli quality 4 vs 11, gzip level 6, sync vs async zlib, on the
// tools/list answer of fixtures/servers/many-tools.mjs (TOOL_COUNT tools, default 600: ~300 KB;
// repetitive, so it compresses far better than a real list) and on a ~300 KB JSON of varied text
// (TypeScript's German diagnostic messages, as tool descriptions).
// Run after a build:
//   node bench/compressionCost.mjs
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

const { compressBody } = await import('../dist/proxy/compression.js');
const toolCount = Number(process.env.TOOL_COUNT ?? 600);
const TOPICS = ['orders', 'customers', 'invoices', 'tickets', 'products', 'shipments', 'payments', 'contracts'];
// The same tools as many-tools.mjs.
const tools = Array.from({ length: toolCount }, (_, i) => {
  const topic = TOPICS[i % TOPICS.length];
  const id = String(i).padStart(4, '0');
  return {
    name: `tool_${id}`,
    title: `Search ${topic} (${id})`,
    description:
      `Searches the ${topic} index for records matching a free-text query and returns the ten best matches ` +
      `with their ids, titles, last-modified dates and a short snippet of the matching text.`,
    inputSchema: { type: 'object', properties: { query: { type: 'string', description: `Free-text query over ${topic}, e.g. a name, an id or a phrase.` } }, required: ['query'] },
    annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
  };
});
const brAsync = promisify(brotliCompress);
const gzAsync = promisify(gzip);
const fixtureJson = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools } });
const messages = Object.values(JSON.parse(readFileSync(new URL('../node_modules/typescript/lib/de/diagnosticMessages.generated.json', import.meta.url), 'utf8')));
const variedJson = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: messages.slice(0, 750).map((m, i) => ({ ...tools[i % tools.length], name: `tool_${i}`, description: m })) } });

for (const [label, json] of [[`many-tools tools/list (${toolCount} tools)`, fixtureJson], ['varied-text tools/list', variedJson]]) {
  const bytes = Buffer.from(json);
  console.log(`\n${label}: ${(bytes.length / 1024).toFixed(0)} KB`);
  const q = (quality) => ({ params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
  const cases = [
    ['compressBody br (q4, sync)', () => compressBody(json, 'br')],
    ['compressBody gzip (6, sync)', () => compressBody(json, 'gzip')],
    ['br q4 async', () => brAsync(bytes, q(4))],
    ['gzip 6 async', () => gzAsync(bytes, { level: 6 })],
    ['br q5 sync', () => brotliCompressSync(bytes, q(5))],
    ['br q11 sync (zlib default)', () => brotliCompressSync(bytes, q(11)), 5],
    ['gzip 1 sync', () => gzipSync(bytes, { level: 1 })],
  ];
  await run(cases, bytes.length);
}

/** Median and p90 time per call of each case, and the compressed size. */
async function run(cases, inputBytes) {
  for (const [name, fn, runs = 200] of cases) {
    for (let i = 0; i < Math.min(20, runs); i++) await fn();
    const times = [];
    let out;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      out = await fn();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`${name.padEnd(28)} median ${median.toFixed(2)} ms, p90 ${times[Math.floor(times.length * 0.9)].toFixed(2)} ms → ${(out.length / 1024).toFixed(1)} KB (${(100 * out.length / inputBytes).toFixed(1)} %)`);
  }
}
