/**
 * Token counting that stays linear in the text and bounded in time, and yields to the event loop.
 *
 * A BPE tokenizer first cuts text into pieces (a word, a run of punctuation, a run of whitespace)
 * and then merges each piece pair by pair, which costs time quadratic in the piece's length:
 * gpt-tokenizer 4.0 takes 0.17 s for one 16 KiB word of random letters, 4.5 s for 64 KiB, and a
 * server's 12 MiB one-word description would take hours (measured with `performance.now()` around
 * `countTokens` on Node 20). Ordinary text has short pieces and costs ~50 ms per MiB.
 *
 * So a run of one piece class of LONG_RUN_CHARS or more is tokenized in CHUNK_CHARS chunks (linear;
 * chunking 1 MiB of random letters changed its count by 0.2 %), and only the first
 * LONG_RUN_TOKENIZED_CHARS of such runs per text are tokenized at all: the rest is estimated at
 * the tokens-per-character rate measured on those chunks. Whatever was estimated is counted in
 * `estimatedChars` so the result can say so. Between slices of work the signal is checked.
 */

/** A function that tokenizes a string and returns its token count. */
export type CountTokens = (text: string) => number;

/** A token count and how much of it was estimated rather than tokenized. */
export interface TokenCount {
  /** Tokens of the text (tokenized, plus the estimate for `estimatedChars`). */
  tokens: number;
  /** UTF-16 characters whose tokens were estimated from a measured rate, not tokenized; 0 normally. */
  estimatedChars: number;
}

/** A run of one pre-tokenizer class at least this long is tokenized in chunks. */
export const LONG_RUN_CHARS = 256;
/** Chunk length for long runs: 128 costs ~0.8 s per MiB of random letters, 4096 ~4.5 s. */
const CHUNK_CHARS = 128;
/** Characters of long runs tokenized per text (~0.1 s); the rest of them are estimated. */
export const LONG_RUN_TOKENIZED_CHARS = 128 * 1024;
/** Ordinary text is tokenized in slices of about this many characters, with a yield in between. */
const SLICE_CHARS = 64 * 1024;
/** Longest stretch of work between two yields to the event loop, ms. */
const YIELD_EVERY_MS = 20;
/** Tokens per character assumed for a long run when nothing of one could be measured (about 4 bytes a token). */
const FALLBACK_TOKENS_PER_CHAR = 0.25;

/** Longest run one regular-expression match takes (an unbounded one overflows the stack on a 12 MiB run); longer runs are several matches. */
const MAX_MATCH_CHARS = 65536;

/**
 * Runs the tokenizer keeps as one piece (or a few): letters and marks, punctuation, whitespace.
 * Digits are cut into pieces of at most three by o200k_base's pre-tokenizer, so they are not here.
 */
const LONG_RUN = new RegExp(`[\\p{L}\\p{M}]{${LONG_RUN_CHARS},${MAX_MATCH_CHARS}}|[^\\s\\p{L}\\p{N}]{${LONG_RUN_CHARS},${MAX_MATCH_CHARS}}|\\s{${LONG_RUN_CHARS},${MAX_MATCH_CHARS}}`, 'gu');

/**
 * Count the tokens of `text`, linearly and within a bounded time, yielding to the event loop
 * every YIELD_EVERY_MS and throwing the signal's reason once it is aborted.
 */
export async function countTokensBounded(text: string, count: CountTokens, signal?: AbortSignal): Promise<TokenCount> {
  const state = { tokens: 0, estimatedChars: 0, longTokenized: 0, longTokens: 0, lastYield: performance.now() };
  const pause = async (): Promise<void> => {
    if (performance.now() - state.lastYield < YIELD_EVERY_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    state.lastYield = performance.now();
  };
  signal?.throwIfAborted();
  let from = 0;
  for (const m of text.matchAll(LONG_RUN)) {
    await countOrdinary(text, from, m.index, count, state, pause);
    await countLongRun(m[0], count, state, pause);
    from = m.index + m[0].length;
  }
  await countOrdinary(text, from, text.length, count, state, pause);
  return { tokens: state.tokens, estimatedChars: state.estimatedChars };
}

interface CountState {
  tokens: number;
  estimatedChars: number;
  /** Characters of long runs tokenized so far, and their tokens (the rate for the estimate). */
  longTokenized: number;
  longTokens: number;
  lastYield: number;
}

/** Text without long runs, in slices cut before a space where one is near (a cut inside a piece moves the count by a token or so). */
async function countOrdinary(text: string, from: number, to: number, count: CountTokens, state: CountState, pause: () => Promise<void>): Promise<void> {
  let start = from;
  while (start < to) {
    let end = Math.min(to, start + SLICE_CHARS);
    if (end < to) {
      const space = lastSpace(text, end, start + SLICE_CHARS / 2);
      if (space !== -1) end = space;
      else if (isLowSurrogate(text.charCodeAt(end))) end++; // never split a surrogate pair
    }
    state.tokens += count(text.slice(start, end));
    start = end;
    await pause();
  }
}

/** One long run: tokenized in chunks while the per-text allowance lasts, the rest estimated. */
async function countLongRun(run: string, count: CountTokens, state: CountState, pause: () => Promise<void>): Promise<void> {
  let i = 0;
  while (i < run.length && state.longTokenized < LONG_RUN_TOKENIZED_CHARS) {
    let end = Math.min(run.length, i + CHUNK_CHARS);
    if (isLowSurrogate(run.charCodeAt(end))) end++;
    const n = count(run.slice(i, end));
    state.tokens += n;
    state.longTokens += n;
    state.longTokenized += end - i;
    i = end;
    await pause();
  }
  const rest = run.length - i;
  if (rest > 0) {
    const rate = state.longTokenized > 0 ? state.longTokens / state.longTokenized : FALLBACK_TOKENS_PER_CHAR;
    state.tokens += Math.ceil(rest * rate);
    state.estimatedChars += rest;
  }
}

/** Index of the last space in [floor, end), or -1 (a bounded look back, unlike lastIndexOf). */
function lastSpace(text: string, end: number, floor: number): number {
  for (let i = end - 1; i >= floor; i--) if (text.charCodeAt(i) === 0x20) return i;
  return -1;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
