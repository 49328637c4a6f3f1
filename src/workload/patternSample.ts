/**
 * Build a short string for a JSON Schema `pattern`. Handles the simple regexes tool schemas use
 * (literals, classes, escapes, groups, alternation, quantifiers) by taking the first alternative
 * and the minimum repetition; the caller always checks the result with the real RegExp, so a
 * wrong guess here is caught, never sent as "complete".
 */

/** Patterns longer than this are not sampled (they are rare and costly to explore). */
const MAX_PATTERN_CHARS = 2000;
/** Samples longer than this are abandoned: `{100000}` must not allocate megabytes. */
const MAX_SAMPLE_CHARS = 10_000;
/** Characters tried against a class or escape, in order of how plain they look in a report. */
const CANDIDATE_CHARS = ['a', 'x', 'm', 'A', 'Z', '0', '1', '9', '_', '-', '.', ' ', '@', '/', ':', '+'];

/**
 * Compile a schema pattern as ECMA-262 (JSON Schema's dialect): with `u` when it parses so.
 * The pattern comes from the server and runs on V8's backtracking engine, so a crafted one
 * (`(x+x+)+y`) can take exponential time even on our short samples and block the event loop.
 * Accepted for now: a stdio server already runs its own code on this machine. A remote target
 * would need the test moved to a worker with a deadline.
 */
export function compilePattern(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // Not valid in this mode; try the next.
    }
  }
  return undefined;
}

/** A string that probably matches `pattern`, or undefined when the pattern is beyond this parser. */
export function sampleForPattern(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_CHARS) return undefined;
  const unicode = compilePattern(pattern)?.unicode ?? false;
  try {
    const parser = new Parser(pattern, unicode ? 'u' : '');
    const out = parser.alternation();
    return parser.pos === pattern.length ? out : undefined;
  } catch {
    return undefined;
  }
}

class Parser {
  pos = 0;
  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {}

  /** First alternative of `a|b|c`; the others are skipped up to the enclosing `)` or the end. */
  alternation(): string {
    const first = this.sequence();
    while (this.src[this.pos] === '|') {
      this.pos++;
      this.sequence(); // parsed only to find where it ends
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.atom();
      const count = this.quantifier();
      out += atom.repeat(count);
      if (out.length > MAX_SAMPLE_CHARS) throw new Error('sample too long');
    }
    return out;
  }

  private atom(): string {
    const ch = this.src[this.pos]!;
    if (ch === '^' || ch === '$') {
      this.pos++;
      return '';
    }
    if (ch === '(') return this.group();
    if (ch === '[') return this.pick(this.take(this.classEnd()));
    if (ch === '\\') {
      const text = this.take(this.escapeEnd());
      if (/^\\[bB]$/.test(text) || /^\\[1-9]/.test(text) || /^\\k</.test(text)) return '';
      return this.pick(text);
    }
    if (ch === '.') return this.pick(this.take(this.pos + 1));
    if ('*+?{'.includes(ch)) throw new Error('quantifier without atom');
    const cp = String.fromCodePoint(this.src.codePointAt(this.pos)!);
    this.pos += cp.length;
    return cp;
  }

  private group(): string {
    this.pos++; // (
    let lookaround = false;
    if (this.src.startsWith('?:', this.pos)) this.pos += 2;
    else if (/^\?<?[=!]/.test(this.src.slice(this.pos, this.pos + 3))) {
      lookaround = true;
      this.pos += this.src[this.pos + 1] === '<' ? 3 : 2;
    } else if (this.src.startsWith('?<', this.pos)) this.pos = this.src.indexOf('>', this.pos) + 1;
    const inner = this.alternation();
    if (this.src[this.pos] !== ')') throw new Error('unclosed group');
    this.pos++;
    return lookaround ? '' : inner;
  }

  /** Index just past the `]` closing the class that starts at `pos`. */
  private classEnd(): number {
    let i = this.pos + 1;
    if (this.src[i] === '^') i++;
    if (this.src[i] === ']') i++; // a leading ] is a literal
    while (i < this.src.length && this.src[i] !== ']') i += this.src[i] === '\\' ? 2 : 1;
    if (i >= this.src.length) throw new Error('unclosed class');
    return i + 1;
  }

  /** Index just past the escape sequence that starts at `pos`. */
  private escapeEnd(): number {
    const rest = this.src.slice(this.pos);
    const m = /^\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[pP]\{[^}]*\}|c[A-Za-z]|k<[^>]*>|\d+|[\s\S])/.exec(rest);
    if (!m) throw new Error('bad escape');
    return this.pos + m[0].length;
  }

  private take(end: number): string {
    const text = this.src.slice(this.pos, end);
    this.pos = end;
    return text;
  }

  /** Repetition count to emit: the quantifier's minimum (`+` → 1, `{2,5}` → 2). */
  private quantifier(): number {
    const rest = this.src.slice(this.pos);
    const m = /^(?:([*?])|(\+)|\{(\d+)(?:,\d*)?\})\??/.exec(rest);
    if (!m) return 1;
    this.pos += m[0].length;
    if (m[1]) return 0;
    if (m[2]) return 1;
    return Number(m[3]);
  }

  /** A character the single-character atom accepts, found by testing candidates. */
  private pick(atomSource: string): string {
    const single = new RegExp(`^(?:${atomSource})$`, this.flags);
    const literal = /^\\([^A-Za-z0-9])$/.exec(atomSource)?.[1];
    const fromClass = /^\[([^\\^\]])/.exec(atomSource)?.[1];
    for (const c of [literal, fromClass, ...CANDIDATE_CHARS]) {
      if (c !== undefined && single.test(c)) return c;
    }
    throw new Error(`no candidate for ${atomSource}`);
  }
}
