/**
 * What a server's tool list costs a model's context: every host forwards the tool definitions
 * with each request, so their bytes and tokens are paid on every turn, before any tool is called.
 */
import { createRequire } from 'node:module';
import { countTokensBounded, LONG_RUN_CHARS, LONG_RUN_TOKENIZED_CHARS, type CountTokens } from './tokenCount.js';

/**
 * A tool definition as a server lists it (the protocol's Tool), by the fields the cost reads; the
 * whole object, other fields included, is what gets serialised and counted.
 */
export interface ToolDefinition {
  /** The tool's name. */
  name: string;
  /** What the model reads to choose the tool. */
  description?: unknown;
  /** JSON Schema of the arguments. */
  inputSchema?: unknown;
  /** JSON Schema of structured results. */
  outputSchema?: unknown;
}

/** Size of a tool list as a model would receive it. */
export interface ToolListCost {
  /** Number of tools in the list. */
  count: number;
  /** Bytes of the tools array serialised as JSON (what a host forwards to the model), UTF-8. */
  bytes: number;
  /** Bytes of each tool serialised alone: mean, median (nearest rank) and largest. */
  bytesPerTool: {
    /** Mean bytes of one tool. */
    mean: number;
    /** Median (nearest rank) bytes of one tool. */
    p50: number;
    /** Bytes of the largest tool. */
    max: number;
  };
  /** Estimated model tokens of the whole list. */
  tokens: number;
  /** Which tokenizer produced `tokens`, and why the number is an estimate. */
  tokenizer: {
    /** npm package that counted the tokens ('gpt-tokenizer'). */
    library: string;
    /** Its version, from its package.json. */
    version: string;
    /** Encoding used ('o200k_base'). */
    encoding: string;
    /** Why `tokens` is an estimate, and which part of it was not tokenized at all. */
    note: string;
    /** Characters of the list whose tokens were estimated from a measured rate, not tokenized (long unbroken runs); 0 normally. */
    estimatedChars: number;
  };
  /** Largest tools by bytes, with their schema share. */
  largest: Array<{
    /** Tool name. */
    name: string;
    /** Bytes of this tool serialised as JSON. */
    bytes: number;
    /** Estimated tokens of this tool serialised as JSON. */
    tokens: number;
    /** Bytes of its inputSchema plus outputSchema as JSON. */
    schemaBytes: number;
    /** UTF-8 bytes of its description text. */
    descriptionBytes: number;
  }>;
}

/** How many of the largest tools are listed (and tokenized one by one) unless told otherwise. */
export const DEFAULT_LARGEST_TOOLS = 5;

const TOKENIZER_LIBRARY = 'gpt-tokenizer';
const TOKENIZER_ENCODING = 'o200k_base';
const TOKENIZER_NOTE =
  'Counted with the OpenAI o200k_base encoding (GPT-4o and later). Other model families, ' +
  'Claude among them, tokenize differently, so treat this as an estimate.';

/**
 * Measure a tool list. Tokenizes the whole list once and only the `top` largest tools one by
 * one, so a 5 MB list costs one pass of the tokenizer rather than one per tool. Long unbroken
 * runs are partly estimated (tokenCount.ts), so the time stays bounded whatever the server sends;
 * an aborted `signal` stops the count with its reason.
 */
export async function toolListCost(tools: readonly ToolDefinition[], opts?: { top?: number; signal?: AbortSignal }): Promise<ToolListCost> {
  const top = Math.max(0, Math.floor(opts?.top ?? DEFAULT_LARGEST_TOOLS));
  const countTokens = await loadTokenCounter();
  const count = (text: string) => countTokensBounded(text, countTokens, opts?.signal);
  const listJson = JSON.stringify(tools);
  const perToolBytes = tools.map((t) => Buffer.byteLength(JSON.stringify(t)));

  const ranked = perToolBytes.map((bytes, index) => ({ bytes, index })).sort((a, b) => b.bytes - a.bytes);
  const largest: ToolListCost['largest'] = [];
  for (const { bytes, index } of ranked.slice(0, top)) {
    const tool = tools[index]!;
    largest.push({
      name: tool.name,
      bytes,
      tokens: (await count(JSON.stringify(tool))).tokens,
      schemaBytes: jsonBytes(tool.inputSchema) + jsonBytes(tool.outputSchema),
      descriptionBytes: typeof tool.description === 'string' ? Buffer.byteLength(tool.description) : 0,
    });
  }
  const whole = await count(listJson);

  return {
    count: tools.length,
    bytes: Buffer.byteLength(listJson),
    bytesPerTool: summarize(perToolBytes),
    tokens: whole.tokens,
    tokenizer: {
      library: TOKENIZER_LIBRARY,
      version: tokenizerVersion(),
      encoding: TOKENIZER_ENCODING,
      note: whole.estimatedChars > 0 ? `${TOKENIZER_NOTE} ${estimatedNote(whole.estimatedChars)}` : TOKENIZER_NOTE,
      estimatedChars: whole.estimatedChars,
    },
    largest,
  };
}

/** The sentence saying which part of the count was estimated, and why. */
function estimatedNote(chars: number): string {
  return `Partly estimated: ${chars} characters in unbroken runs of ${LONG_RUN_CHARS}+ characters were not tokenized ` +
    `(the tokenizer's time grows with the square of a run's length); they were counted at the rate measured on the first ` +
    `${LONG_RUN_TOKENIZED_CHARS} characters of such runs.`;
}

function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

function summarize(bytes: number[]): ToolListCost['bytesPerTool'] {
  if (bytes.length === 0) return { mean: 0, p50: 0, max: 0 };
  const sorted = [...bytes].sort((a, b) => a - b);
  const total = sorted.reduce((sum, b) => sum + b, 0);
  return {
    mean: total / sorted.length,
    p50: sorted[Math.ceil(sorted.length / 2) - 1]!,
    max: sorted[sorted.length - 1]!,
  };
}

let counter: Promise<CountTokens> | undefined;

/**
 * Load o200k_base on first use: importing it costs ~160 ms (measured on Node 20 with
 * `performance.now()` around the import), which commands that never report tokens must not pay.
 */
function loadTokenCounter(): Promise<CountTokens> {
  counter ??= import('gpt-tokenizer/encoding/o200k_base').then(({ countTokens }) => {
    // Server strings may contain "<|endoftext|>"; by default the encoder throws on special
    // tokens. A host sends them as plain text, so count them as plain text.
    const options = { disallowedSpecial: new Set<string>() };
    return (text: string) => countTokens(text, options);
  });
  return counter;
}

let version: string | undefined;

/** gpt-tokenizer's installed version, read from its package.json so reports name what counted. */
function tokenizerVersion(): string {
  if (version === undefined) {
    try {
      // gpt-tokenizer exports "./package.json" in its exports map.
      version = (createRequire(import.meta.url)(`${TOKENIZER_LIBRARY}/package.json`) as { version: string }).version;
    } catch {
      version = 'unknown'; // say so rather than fail a measurement over a label
    }
  }
  return version;
}
