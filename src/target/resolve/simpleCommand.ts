/**
 * Split an npm `start` script into argv without a shell, and only when doing so is exact: the
 * script is a single simple command of words and quotes. Anything a shell would interpret
 * (operators, expansions, redirects, globs, assignments) makes it "not simple", because
 * mcp-opt never runs a shell (MCP 2026-07-28 security best practices: no shell execution) and guessing its meaning would run the wrong thing.
 */

/** Either the argv, or why the script is not a simple command. */
export type SplitResult = {
  /** The words of the command, unquoted. */
  argv: string[];
} | {
  /** Why it is not a simple command, in words. */
  reason: string;
};

/** Characters that mean something to sh outside quotes, with a name for the message. */
const UNQUOTED_SPECIAL: Record<string, string> = {
  '&': '"&" (background or &&)',
  '|': '"|" (pipe or ||)',
  ';': '";" (command list)',
  '<': '"<" (redirect)',
  '>': '">" (redirect)',
  '(': '"(" (subshell)',
  ')': '")" (subshell)',
  $: '"$" (expansion)',
  '`': 'a backtick (command substitution)',
  '*': '"*" (glob)',
  '?': '"?" (glob)',
  '[': '"[" (glob)',
  '{': '"{" (brace expansion)',
  '\n': 'a newline (several commands)',
  '\r': 'a carriage return',
};

/** Split `script` into argv, or say why it needs a shell. */
export function splitSimpleCommand(script: string): SplitResult {
  const argv: string[] = [];
  let word: string | null = null;
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== null) argv.push(word);
      word = null;
      i++;
      continue;
    }
    if (word === null && (c === '#' || c === '~')) {
      return { reason: c === '#' ? 'a "#" comment' : 'a "~" (home directory expansion)' };
    }
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) return { reason: 'an unterminated single quote' };
      word = (word ?? '') + script.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      const quoted = readDoubleQuoted(script, i + 1);
      if ('reason' in quoted) return quoted;
      word = (word ?? '') + quoted.text;
      i = quoted.end + 1;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= script.length) return { reason: 'a trailing backslash' };
      // The shell joins lines at a backslash-newline; refuse rather than emulate it.
      if (script[i + 1] === '\n') return { reason: 'a line continuation' };
      word = (word ?? '') + script[i + 1];
      i += 2;
      continue;
    }
    const special = UNQUOTED_SPECIAL[c];
    if (special) return { reason: special };
    word = (word ?? '') + c;
    i++;
  }
  if (word !== null) argv.push(word);
  if (argv.length === 0) return { reason: 'an empty script' };
  // `NAME=value cmd` sets the environment through the shell; reject rather than emulate.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(firstRawWord(script))) return { reason: 'an environment assignment' };
  return { argv };
}

/** Body of a "…" string starting at `start` (just after the opening quote). */
function readDoubleQuoted(script: string, start: number): { text: string; end: number } | { reason: string } {
  let text = '';
  for (let i = start; i < script.length; i++) {
    const c = script[i]!;
    if (c === '"') return { text, end: i };
    if (c === '$') return { reason: '"$" (expansion) inside double quotes' };
    if (c === '`') return { reason: 'a backtick (command substitution) inside double quotes' };
    if (c === '\\') {
      const next = script[i + 1];
      // In sh, backslash escapes only $ ` " \ and newline inside double quotes; else it is literal.
      if (next === '"' || next === '\\') {
        text += next;
        i++;
        continue;
      }
      if (next === '$' || next === '`' || next === '\n') return { reason: 'an escape inside double quotes' };
    }
    text += c;
  }
  return { reason: 'an unterminated double quote' };
}

/** The first word as written (before quote removal), to spot `NAME=value` prefixes. */
function firstRawWord(script: string): string {
  return script.trimStart().split(/[ \t]/, 1)[0] ?? '';
}
