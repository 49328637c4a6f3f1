/**
 * Secrets a user gives a server on its command line, found by where they stand rather than by
 * their value: `env NAME=VALUE …` wrappers (configuration exactly like a config entry's "env"),
 * `--token VALUE` / `--api-key=VALUE` / `API_KEY=VALUE`, bearer tokens, `Authorization` or API-key
 * headers (`-H 'X-Api-Key: k'`) and sensitive keys inside JSON (`{"Authorization":"Bearer …"}`).
 * The argv is still shown (the user must see what runs) with those values as `***`.
 */

/** Names (of variables, flags, headers, JSON keys) whose values are treated as secrets. */
export const SENSITIVE_NAME = /(TOKEN|SECRET|PASSW|PASSPHRASE|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE|AUTH|CREDENTIAL|COOKIE|SESSION)/i;
/** What a secret is shown as. */
export const MASK = '***';

/** An argv with its secrets found. */
export interface MaskedArgv {
  /** The argv with every secret value replaced by `***` (same length and order). */
  display: string[];
  /** The secret values found (for redacting them wherever else they appear). */
  secrets: string[];
  /** Names of variables set by `env NAME=VALUE` wrappers (values never reported). */
  envNames: string[];
}

/** Options of GNU/BSD env(1) that take a separate value (`-u NAME`, `-C DIR`; `-S STRING` is handled apart). */
const ENV_OPTIONS_WITH_VALUE = new Set(['-u', '--unset', '-C', '--chdir', '-a', '--argv0', '-P']);
const ENV_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
/** A bearer token, wherever it stands ("Bearer abc", "Authorization: Bearer abc", inside JSON). */
const BEARER = /\b(Bearer\s+)([A-Za-z0-9\-._~+/]+=*)/gi;
/** The password of a URL's userinfo (`postgres://user:password@host`). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)([^\s@/]+)(@)/gi;
/** An auth header written out in free text (`Authorization: Basic abc`, `x-api-key=abc`). */
const AUTH_HEADER_TEXT = /\b((?:proxy-)?authorization|x-api-key|api-key)(["']?\s*[:=]\s*["']?)(?!Bearer\s)((?:(?:Basic|Digest|Token)\s+)?[^\s"',;]+)/gi;
/** `Name: value`, a header as curl-like tools take it. */
const HEADER = /^(\s*)([!#$%&'*+.^_`|~0-9A-Za-z-]+)(\s*:\s*)(\S.*)$/s;
/** A JSON string member `"key": "value"`. */
const JSON_MEMBER = /("((?:[^"\\]|\\.)*)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;

/** Find and mask the secrets of `argv` (command first). */
export function maskArgv(argv: readonly string[]): MaskedArgv {
  const display = [...argv];
  const secrets: string[] = [];
  const envNames: string[] = [];
  const hide = (i: number, value: string, shown: string): void => {
    // The parts too: a server may print only the token of a JSON value it was given.
    if (value) secrets.push(value, ...maskText(value).secrets);
    display[i] = shown;
  };
  let i = 0;
  // `env [OPTION]… [NAME=VALUE]… COMMAND [ARG]…`, possibly nested (`env A=1 env -u B cmd`).
  while (i < argv.length && isEnvProgram(argv[i]!)) {
    i++;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      const assign = ENV_ASSIGNMENT.exec(a);
      if (assign) {
        envNames.push(assign[1]!);
        hide(i, assign[2]!, `${assign[1]}=${MASK}`);
        continue;
      }
      // -S STRING: a whole command line in one word, assignments included: hide all of it; the
      // words after it are the command's arguments.
      if (a === '-S' || a === '--split-string') {
        if (i + 1 < argv.length) hide(i + 1, argv[i + 1]!, MASK);
        i += 2;
        break;
      }
      const split = /^(-S|--split-string=)(.+)$/s.exec(a);
      if (split) {
        hide(i, split[2]!, `${split[1]}${MASK}`);
        i++;
        break;
      }
      if (ENV_OPTIONS_WITH_VALUE.has(a)) i++;
      else if (a === '--') {
        i++;
        break;
      } else if (!a.startsWith('-') || a === '-') {
        if (a === '-') continue; // `env -` is `env -i`
        break;
      }
    }
  }
  for (let j = i; j < argv.length; j++) {
    if (display[j] !== argv[j]) continue;
    const a = argv[j]!;
    const eq = /^(-{0,2}([A-Za-z][\w.-]*)=)(.+)$/s.exec(a);
    if (eq && SENSITIVE_NAME.test(eq[2]!)) {
      hide(j, eq[3]!, `${eq[1]}${MASK}`);
      continue;
    }
    const flag = /^--?([A-Za-z][\w.-]*)$/.exec(a);
    const next = argv[j + 1];
    if (flag && SENSITIVE_NAME.test(flag[1]!) && next !== undefined && !next.startsWith('-')) {
      hide(j + 1, next, MASK);
      j++;
      continue;
    }
    const masked = maskText(a);
    if (masked.text !== a) {
      secrets.push(...masked.secrets);
      display[j] = masked.text;
    }
  }
  return { display, secrets, envNames };
}

/**
 * Mask secrets inside one word: a `Name: value` header with a sensitive name, sensitive JSON
 * members, and bearer tokens anywhere.
 */
export function maskText(text: string): { text: string; secrets: string[] } {
  const secrets: string[] = [];
  const header = HEADER.exec(text);
  if (header && SENSITIVE_NAME.test(header[2]!)) {
    secrets.push(header[4]!, ...scrubText(header[4]!).secrets);
    return { text: `${header[1]}${header[2]}${header[3]}${MASK}`, secrets };
  }
  let out = text.replace(JSON_MEMBER, (whole, open: string, key: string, value: string, close: string) => {
    if (!SENSITIVE_NAME.test(key) || value === '' || value === MASK) return whole;
    secrets.push(value, jsonUnescape(value), ...scrubText(value).secrets);
    return `${open}${MASK}${close}`;
  });
  const scrubbed = scrubText(out);
  return { text: scrubbed.text, secrets: [...secrets, ...scrubbed.secrets] };
}

/**
 * Mask secrets recognisable by their shape in any text, e.g. a line a server printed: bearer
 * tokens, URL passwords, and values of Authorization / API-key headers written out.
 */
export function scrubText(text: string): { text: string; secrets: string[] } {
  const secrets: string[] = [];
  const keep = (prefix: string, value: string, suffix = ''): string => {
    if (value === MASK) return `${prefix}${value}${suffix}`;
    secrets.push(value);
    return `${prefix}${MASK}${suffix}`;
  };
  let out = text.replace(BEARER, (_w, prefix: string, token: string) => keep(prefix, token));
  out = out.replace(URL_PASSWORD, (_w, prefix: string, password: string, at: string) => keep(prefix, password, at));
  out = out.replace(AUTH_HEADER_TEXT, (_w, name: string, sep: string, value: string) => keep(`${name}${sep}`, value));
  return { text: out, secrets };
}

/** `env`, `/usr/bin/env`, `env.exe`. */
function isEnvProgram(word: string): boolean {
  return /(^|[\\/])env(\.exe)?$/i.test(word);
}

function jsonUnescape(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}
