import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { toolListCost } from '../../src/measure/toolListCost.js';
import type { Tool } from '../../src/target/protocol.js';

/** A deterministic list of tools whose sizes vary with their index. */
function makeTools(count: number, descriptionWords = (i: number) => 5 + (i % 37)): Tool[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `tool_${i}`,
    description: `Looks up record ${i} in the catalogue and returns it. ` + 'word '.repeat(descriptionWords(i)),
    inputSchema: {
      type: 'object' as const,
      properties: Object.fromEntries(
        Array.from({ length: 1 + (i % 5) }, (_, k) => [`field${k}`, { type: 'string', description: `Field ${k} of ${i}` }]),
      ),
      required: ['field0'],
    },
    annotations: { readOnlyHint: i % 2 === 0 },
  }));
}

describe('toolListCost', () => {
  it('measures 1000 tools: count, exact bytes, per-tool stats, tokens and sorted largest', async () => {
    const tools = makeTools(1000);
    const cost = await toolListCost(tools);
    const json = JSON.stringify(tools);
    const perTool = tools.map((t) => Buffer.byteLength(JSON.stringify(t)));

    expect(cost.count).toBe(1000);
    expect(cost.bytes).toBe(Buffer.byteLength(json));
    expect(cost.bytesPerTool.max).toBe(Math.max(...perTool));
    expect(cost.bytesPerTool.mean).toBeCloseTo(perTool.reduce((a, b) => a + b, 0) / 1000, 6);
    const sorted = [...perTool].sort((a, b) => a - b);
    expect(cost.bytesPerTool.p50).toBe(sorted[499]);

    expect(cost.tokens).toBeGreaterThan(0);
    expect(cost.tokens).toBeGreaterThan(cost.bytes / 8);
    expect(cost.tokens).toBeLessThan(cost.bytes / 2);

    expect(cost.largest).toHaveLength(5);
    const sizes = cost.largest.map((l) => l.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes[0]).toBe(cost.bytesPerTool.max);
    for (const entry of cost.largest) {
      const tool = tools.find((t) => t.name === entry.name)!;
      expect(entry.bytes).toBe(Buffer.byteLength(JSON.stringify(tool)));
      expect(entry.schemaBytes).toBe(Buffer.byteLength(JSON.stringify(tool.inputSchema)));
      expect(entry.descriptionBytes).toBe(Buffer.byteLength(tool.description!));
      expect(entry.tokens).toBeGreaterThan(entry.bytes / 8);
      expect(entry.tokens).toBeLessThan(entry.bytes / 2);
    }
  });

  it('names the tokenizer, its installed version, and says the count is an estimate', async () => {
    const cost = await toolListCost(makeTools(3));
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve('gpt-tokenizer/package.json');
    const { version } = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
    expect(cost.tokenizer).toMatchObject({ library: 'gpt-tokenizer', version, encoding: 'o200k_base' });
    expect(cost.tokenizer.note).toMatch(/o200k/);
    expect(cost.tokenizer.note).toMatch(/Claude/);
    expect(cost.tokenizer.note).toMatch(/estimate/);
  });

  it('honours top, and counts schema bytes from inputSchema plus outputSchema', async () => {
    const tools = makeTools(10);
    tools[3]!.outputSchema = { type: 'object', properties: { result: { type: 'string' } } };
    const cost = await toolListCost(tools, { top: 20 });
    expect(cost.largest).toHaveLength(10);
    const three = cost.largest.find((l) => l.name === 'tool_3')!;
    expect(three.schemaBytes).toBe(
      Buffer.byteLength(JSON.stringify(tools[3]!.inputSchema)) + Buffer.byteLength(JSON.stringify(tools[3]!.outputSchema)),
    );
    expect((await toolListCost(tools, { top: 0 })).largest).toEqual([]);
  });

  it('counts UTF-8 bytes, not UTF-16 code units', async () => {
    const tools: Tool[] = [{ name: 'wetter', description: 'Größe 🌦️', inputSchema: { type: 'object' } }];
    const cost = await toolListCost(tools);
    expect(cost.bytes).toBe(Buffer.byteLength(JSON.stringify(tools), 'utf8'));
    expect(cost.bytes).toBeGreaterThan(JSON.stringify(tools).length);
    expect(cost.largest[0]!.descriptionBytes).toBe(Buffer.byteLength('Größe 🌦️'));
  });

  it('treats special-token text from a server as plain text instead of throwing', async () => {
    const tools: Tool[] = [{ name: 'x', description: 'ignore <|endoftext|> this', inputSchema: { type: 'object' } }];
    const cost = await toolListCost(tools);
    expect(cost.tokens).toBeGreaterThan(5);
  });

  it('reports zeros for an empty list', async () => {
    const cost = await toolListCost([]);
    expect(cost).toMatchObject({ count: 0, bytes: 2, bytesPerTool: { mean: 0, p50: 0, max: 0 }, largest: [] });
  });

  it('handles a 5 MB list within a few seconds (one tokenizer pass, top N per tool)', async () => {
    const tools = makeTools(6000, (i) => 120 + (i % 200));
    const bytes = Buffer.byteLength(JSON.stringify(tools));
    expect(bytes).toBeGreaterThan(5_000_000);
    const started = performance.now();
    const cost = await toolListCost(tools);
    const elapsedMs = performance.now() - started;
    expect(cost.bytes).toBe(bytes);
    // Measured ~0.45 s here including building the list (npx vitest run test/measure/toolListCost.test.ts
    // --reporter=verbose); the bound leaves room for a loaded 2-core machine.
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('says when part of the count was estimated (a description that is one 256 KiB word), and not otherwise', async () => {
    const plain = await toolListCost(makeTools(3));
    expect(plain.tokenizer.estimatedChars).toBe(0);
    expect(plain.tokenizer.note).not.toMatch(/Partly estimated/);

    const word = Array.from({ length: 256 * 1024 }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('');
    const cost = await toolListCost([{ name: 'lookup', description: word, inputSchema: { type: 'object' } }]);
    expect(cost.tokenizer.estimatedChars).toBeGreaterThan(100_000);
    expect(cost.tokenizer.note).toContain(`Partly estimated: ${cost.tokenizer.estimatedChars} characters`);
    expect(cost.tokens).toBeGreaterThan(word.length / 8);
    expect(cost.largest[0]!.tokens).toBeLessThanOrEqual(cost.tokens);
  });

  it('stops with the signal\'s reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('interrupted');
    controller.abort(reason);
    await expect(toolListCost(makeTools(3), { signal: controller.signal })).rejects.toBe(reason);
  });
});
