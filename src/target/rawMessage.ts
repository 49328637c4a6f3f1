/**
 * A JSON-RPC message's id replaced in its text, without re-serialising the rest: what a proxy
 * forwards is then the peer's own bytes (unknown fields, `_meta`, number spellings such as 1.0 kept)
 * and costs no JSON.stringify of the whole message.
 *
 * Hand-written: JSON libraries that edit text (jsonc-parser's `modify`) build a tree of the whole
 * document first, which is the cost avoided here. Only the top-level "id" member is looked for, at
 * the two places encoders put it: near the start (`{"jsonrpc":"2.0","id":…`, mcp-opt, most servers)
 * or last (`…,"jsonrpc":"2.0","id":7}`, the TypeScript SDK's order). Anything else, or a value that
 * does not read back as the id the parser saw, returns null and the caller serialises the message.
 */

/** Characters scanned at most to prove a first `"id":` is a top-level member (before it, or after the last one). */
const SCAN_MAX = 512;
const KEY = '"id":';

/**
 * `raw` (one JSON object, as read) with its top-level "id" member's value replaced by `idJson`, or
 * null when it cannot be found cheaply or does not read back as `id` (then serialise the message).
 */
export function replaceRawId(raw: string, id: unknown, idJson: string): string | null {
  const span = rawIdSpan(raw, id);
  return span === null ? null : raw.slice(0, span[0]) + idJson + raw.slice(span[1]);
}

/**
 * [start, end) of the top-level "id" value in `raw` when it reads back as `id`, else null: found
 * once, it lets a text sent many times (a cached answer) get each client's id without a new search.
 */
export function rawIdSpan(raw: string, id: unknown): [number, number] | null {
  const span = idSpan(raw);
  if (span === null) return null;
  const text = raw.slice(span[0], span[1]);
  const same = typeof id === 'number' ? text.charCodeAt(0) !== 34 && Number(text) === id : typeof id === 'string' && text.charCodeAt(0) === 34 && parsesTo(text, id);
  return same ? span : null;
}

/** [start, end) of the top-level "id" value in `raw`, or null. */
function idSpan(raw: string): [number, number] | null {
  const first = raw.indexOf(KEY);
  if (first === -1) return null;
  let at = -1;
  if (first <= SCAN_MAX && keyQuote(raw, first) && netDepth(raw, 0, first) === 1) {
    at = first;
  } else {
    // Only now the last one (V8's lastIndexOf is a plain loop, its indexOf a fast search).
    const last = raw.lastIndexOf(KEY);
    if (raw.length - last <= SCAN_MAX && keyQuote(raw, last) && netDepth(raw, last, raw.length) === -1) at = last;
  }
  if (at === -1) return null;
  // With other "id" keys about, one may be a duplicate at the top level: the peer's parser would
  // read the last one, not the one spliced, so the whole text is scanned then.
  if (raw.indexOf(KEY, first + 1) !== -1 && topLevelIds(raw) !== 1) return null;
  return valueSpan(raw, at + KEY.length);
}

/** How many "id" members the top-level object has (more than one only in text with duplicate keys). */
function topLevelIds(raw: string): number {
  let depth = 0;
  let ids = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 34) {
      if (depth === 1 && raw.startsWith(KEY, i)) ids++;
      i = stringEnd(raw, i);
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return ids;
}

/**
 * True when the quote at `at` is not escaped. In valid JSON an unescaped quote followed by `id":`
 * can only open the key "id" (after a closing quote no letter may follow), so it is outside strings.
 */
function keyQuote(raw: string, at: number): boolean {
  let backslashes = 0;
  for (let k = at - 1; raw.charCodeAt(k) === 92; k--) backslashes++;
  return backslashes % 2 === 0;
}

/**
 * Containers opened minus closed over [from, to), skipping strings; `from` must be outside any
 * string. From 0 to a key: 1 when it is a member of the top-level object. From a key to the end:
 * −1 when it is, less when nested deeper.
 */
function netDepth(raw: string, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = raw.charCodeAt(i);
    if (c === 34) i = stringEnd(raw, i);
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return depth;
}

/** Index of the quote closing the string opened at `open` (or the text's end when unterminated). */
function stringEnd(raw: string, open: number): number {
  let i = raw.indexOf('"', open + 1);
  while (i !== -1) {
    let backslashes = 0;
    for (let k = i - 1; raw.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return i;
    i = raw.indexOf('"', i + 1);
  }
  return raw.length;
}

/** [start, end) of the value beginning at or after `at` (whitespace skipped): a string, number or literal. */
function valueSpan(raw: string, at: number): [number, number] | null {
  let start = at;
  while (start < raw.length && isSpace(raw.charCodeAt(start))) start++;
  if (raw.charCodeAt(start) === 34) {
    const close = stringEnd(raw, start);
    return close < raw.length ? [start, close + 1] : null;
  }
  let end = start;
  for (; end < raw.length; end++) {
    const c = raw.charCodeAt(end);
    if (c === 44 || c === 125 || c === 93 || isSpace(c)) break;
  }
  return end > start ? [start, end] : null;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function parsesTo(text: string, id: string): boolean {
  try {
    return JSON.parse(text) === id;
  } catch {
    return false;
  }
}
