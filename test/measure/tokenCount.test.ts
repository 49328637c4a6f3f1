import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { countTokensBounded, LONG_RUN_TOKENIZED_CHARS, type CountTokens } from '../../src/measure/tokenCount.js';

const o200k: CountTokens = (text) => countTokens(text, { disallowedSpecial: new Set<string>() });

/** `n` pseudo-random lowercase letters (a fixed seed): one unbroken word, as hostile-data.mjs lists. */
function word(n: number): string {
  let seed = 1;
  let out = '';
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out += String.fromCharCode(97 + (seed % 26));
  }
  return out;
}

/** A counter that records the length of every string it was given. */
function spy(inner: CountTokens = o200k): { count: CountTokens; lengths: number[] } {
  const lengths: number[] = [];
  return { count: (text) => (lengths.push(text.length), inner(text)), lengths };
}

describe('countTokensBounded', () => {
  it('counts ordinary text exactly as the tokenizer does, estimating nothing', async () => {
    const text = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ name: `tool_${i}`, description: `Looks up record ${i} in the catalogue.` })));
    expect(await countTokensBounded(text, o200k)).toEqual({ tokens: o200k(text), estimatedChars: 0 });
  });

  it('never hands the tokenizer a long unbroken run whole, and tokenizes a bounded part of it (linear, not quadratic)', async () => {
    // One 256 KiB word took 43 s whole (the time of BPE merges grows with the square of a piece).
    const run = word(256 * 1024);
    const text = `{"description":"${run}","name":"lookup"}`;
    const { count, lengths } = spy();
    const result = await countTokensBounded(text, count);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(129);
    const tokenized = lengths.reduce((a, b) => a + b, 0);
    expect(tokenized).toBeLessThanOrEqual(LONG_RUN_TOKENIZED_CHARS + 200);
    expect(result.estimatedChars).toBe(text.length - tokenized);
    // The estimate stays near the truth measured on a prefix the tokenizer can take whole (16 KiB: ~0.2 s).
    const truthPerChar = o200k(run.slice(0, 16384)) / 16384;
    expect(result.tokens / text.length).toBeGreaterThan(truthPerChar * 0.95);
    expect(result.tokens / text.length).toBeLessThan(truthPerChar * 1.05);
  });

  it('tokenizes the same number of characters for a 12 MiB word as for a 256 KiB one', async () => {
    const small = spy();
    const big = spy();
    await countTokensBounded(word(256 * 1024), small.count);
    const r = await countTokensBounded('x'.repeat(12 * 1024 * 1024), big.count);
    const sum = (l: number[]) => l.reduce((a, b) => a + b, 0);
    expect(sum(big.lengths)).toBe(sum(small.lengths));
    expect(r.estimatedChars).toBe(12 * 1024 * 1024 - sum(big.lengths));
  });

  it('bounds runs of punctuation and of whitespace too', async () => {
    for (const run of ['!'.repeat(100_000), ' '.repeat(100_000), '\n'.repeat(100_000)]) {
      const { count, lengths } = spy();
      await countTokensBounded(`a${run}b`, count);
      expect(Math.max(...lengths)).toBeLessThanOrEqual(129);
    }
  });

  it('yields between slices and stops with the signal\'s reason once aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('interrupted');
    let calls = 0;
    // Each call takes 25 ms (longer than the yield interval); the first one aborts.
    const slow: CountTokens = (text) => {
      if (++calls === 1) controller.abort(reason);
      const until = performance.now() + 25;
      while (performance.now() < until) { /* busy */ }
      return text.length;
    };
    await expect(countTokensBounded(word(300_000), slow, controller.signal)).rejects.toBe(reason);
    expect(calls).toBe(1);
  });

  it('does not split a surrogate pair across slices', async () => {
    // No space to cut before, and the 65 536th character is the second half of the emoji.
    const text = `${'a1'.repeat(32767)}1😀${'x'.repeat(10)}`;
    expect(text.charCodeAt(65536)).toBeGreaterThanOrEqual(0xdc00);
    const seen: string[] = [];
    await countTokensBounded(text, (t) => (seen.push(t), o200k(t)));
    expect(seen.length).toBe(2);
    for (const s of seen) expect(s).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });
});
