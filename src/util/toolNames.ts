/**
 * Tool names as the proxy sees them from clients: suggestions for a call of a tool the server does
 * not have ("Did you mean `search_docs`?"), and the allow/deny filter on which tools are exposed.
 * Names come from clients, so every routine here bounds its work whatever their length.
 */

/** Characters of a name compared when suggesting; beyond this a name is no typo of a real tool. */
export const MAX_COMPARED_CHARS = 200;
/** Longest tool pattern accepted, and the longest prefix of an unknown name quoted in a message. */
export const MAX_PATTERN_CHARS = 200;

// A typo (one key off, two swapped) is the commonest miss, so spelling weighs more; token overlap
// catches reordered or re-cased names (docs_search, searchDocs) that edit distance scores poorly.
const EDIT_WEIGHT = 0.6;
const TOKEN_WEIGHT = 0.4;
// Above any combined score (at most EDIT_WEIGHT + TOKEN_WEIGHT = 1): a case-insensitive match
// is what the client meant.
const EXACT_SCORE = 2;
// A shared token or a contained name shorter than this ("a", "id") says nothing about intent.
const MIN_SIGNIFICANT_CHARS = 3;

/** The closest known tool names to an unknown one (best first, ties by name), at most `max`; [] when none is close. */
export function suggestTools(unknown: string, known: readonly string[], max = 3): string[] {
  const limit = Math.floor(max);
  if (!(limit > 0)) return [];
  const target = unknown.slice(0, MAX_COMPARED_CHARS).toLowerCase();
  const targetTokens = tokenSet(unknown.slice(0, MAX_COMPARED_CHARS));
  // The typed name's length sets how many slips it can hold: two in a short name, a third of a long one.
  const threshold = Math.max(2, Math.floor(target.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(known)) {
    const capped = name.slice(0, MAX_COMPARED_CHARS);
    const candidate = capped.toLowerCase();
    if (candidate === target) {
      scored.push({ name, score: EXACT_SCORE });
      continue;
    }
    const tokens = tokenSet(capped);
    const related = sharesSignificantToken(targetTokens, tokens) || contains(target, candidate);
    const longer = Math.max(target.length, candidate.length);
    // Without a shared token or containment only spelling can qualify, and the length gap is a
    // lower bound on the distance, so most of 1,000 names are dismissed without any DP.
    if (!related && Math.abs(target.length - candidate.length) > threshold) continue;
    const distance = osaDistance(target, candidate, related ? longer : threshold);
    // distance === longer is a complete rewrite (`ab` → `xy`): within the threshold, still no typo.
    if (!related && (distance > threshold || distance >= longer)) continue;
    const editSimilarity = longer === 0 ? 1 : 1 - Math.min(distance, longer) / longer;
    const score = EDIT_WEIGHT * editSimilarity + TOKEN_WEIGHT * jaccard(targetTokens, tokens);
    scored.push({ name, score });
  }
  scored.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.name);
}

/** The error text for a call of an unknown tool, naming the suggestions when there are any. */
export function unknownToolMessage(name: string, suggestions: string[]): string {
  const head = `Unknown tool: ${name.slice(0, MAX_PATTERN_CHARS)}`;
  if (suggestions.length === 0) return head;
  const quoted = suggestions.map((s) => `\`${s}\``);
  const list = quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]!}`;
  return `${head}. Did you mean ${list}?`;
}

/** Whether a tool name is exposed through the proxy. */
export type ToolFilter = (name: string) => boolean;

/** A filter passing names that match an allow pattern (any, when `allow` is undefined; none, when it is []) and no deny pattern. */
export function makeToolFilter(allow: readonly string[] | undefined, deny: readonly string[] | undefined): ToolFilter {
  const allowed = allow === undefined ? null : compilePatterns(allow);
  const denied = compilePatterns(deny ?? []);
  return (name) => (allowed === null || allowed(name)) && !denied(name);
}

/** null when a tool pattern is usable, else a one-line reason it is not. */
export function validateToolPattern(p: string): string | null {
  if (p.length === 0) return 'the tool pattern is empty: give a tool name or a glob such as get_*';
  if (p.length > MAX_PATTERN_CHARS) return `the tool pattern is ${p.length} characters long; at most ${MAX_PATTERN_CHARS} are allowed`;
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(p);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `the tool pattern contains a control character (U+${code}) at position ${control.index + 1}`;
  }
  return null;
}

/** Lower-cased words of a name: split on _ - . / whitespace and camelCase boundaries (HTTPServer → http, server). */
function tokenSet(name: string): Set<string> {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return new Set(spaced.toLowerCase().split(/[_\-./\s]+/).filter((t) => t.length > 0));
}

function sharesSignificantToken(a: Set<string>, b: Set<string>): boolean {
  for (const t of a) if (t.length >= MIN_SIGNIFICANT_CHARS && b.has(t)) return true;
  return false;
}

function contains(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= MIN_SIGNIFICANT_CHARS && long.includes(short);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring),
 * or a value above `bound` as soon as the distance is known to exceed it. Three rolling rows: a
 * transposition reads the row two back, which a two-row DP has already overwritten. The early exit
 * is sound because a row's minimum never falls below the previous row's (each cell comes from the
 * row above plus 0 or 1, or from two rows above plus 1, which is no less than the deletion path).
 */
function osaDistance(a: string, b: string, bound: number): number {
  if (a.length < b.length) [a, b] = [b, a];
  const n = b.length;
  let before = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > bound) return bound + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[n]!;
}

/**
 * One matcher for a list of patterns: exact names in a Set, globs walked by hand. Not a RegExp:
 * V8's backtracking makes `*a*b` quadratic in the name (cubic with three stars), and the names
 * matched come from clients, so a 100,000-character name would stall the proxy. The greedy walk
 * below backtracks only to the last `*`, O(name × pattern) at worst.
 */
function compilePatterns(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const globs: string[][] = [];
  for (const p of patterns) {
    if (p.includes('*') || p.includes('?')) globs.push(Array.from(p.replace(/\*+/g, '*')));
    else exact.add(p);
  }
  return (name) => {
    if (exact.has(name)) return true;
    if (globs.length === 0) return false;
    // `?` is one character, not one UTF-16 unit, so a name with surrogate pairs is walked by code point.
    const chars: ArrayLike<string> = /[\uD800-\uDFFF]/.test(name) ? Array.from(name) : name;
    return globs.some((g) => globMatch(g, chars));
  };
}

function globMatch(pattern: readonly string[], name: ArrayLike<string>): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '?' || (c !== undefined && c !== '*' && c === name[n])) {
      p++;
      n++;
    } else if (c === '*') {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
