/**
 * Keeps secrets out of reports, logs and error messages: values of configured environment variables,
 * of sensitive-looking variables in mcp-opt's own environment, HTTP header values, URL
 * credentials and the session ids servers assign during the run (learnedSecrets.ts). Every string value of a result goes through it before it is written or printed.
 */
import { MASK, maskArgv, scrubText, SENSITIVE_NAME } from '../target/argvSecrets.js';
import type { LaunchSpec } from '../target/launchSpec.js';
import { learnedSecrets } from '../target/learnedSecrets.js';
/** Shorter values are too likely to occur by chance ("1", "true"); they are not searched for. */
const MIN_SECRET_LENGTH = 6;
/** A cut secret's beginning this long or longer is hidden (shorter ones match too much by chance). */
const MIN_CUT_PREFIX = 3;
/** What a secret is replaced with. */
export const REDACTED = MASK;

/** Replaces known secrets in strings with REDACTED. */
export class Redactor {
  private readonly given: string[];
  /** `given` plus the secrets servers handed out so far (learnedSecrets.ts), longest first. */
  private secrets: string[];
  private learnedVersion = -1;

  constructor(secrets: Iterable<string>) {
    this.given = [...secrets];
    this.secrets = sortSecrets(this.given);
  }

  /** Secrets of a target and of mcp-opt's environment. */
  static forSpec(spec: LaunchSpec | null, env: NodeJS.ProcessEnv): Redactor {
    const found: string[] = [];
    for (const [name, value] of Object.entries(env)) if (value && SENSITIVE_NAME.test(name)) found.push(value);
    if (spec?.kind === 'stdio') {
      for (const name of spec.configuredEnvNames) {
        const v = spec.launch.env[name];
        if (v) found.push(v);
      }
      found.push(...secretArgs([spec.launch.command, ...spec.launch.args]));
    } else if (spec?.kind === 'http') {
      found.push(...Object.values(spec.headers));
      let u: URL | null = null;
      try {
        u = new URL(spec.url);
      } catch {
        /* not a URL: nothing to add */
      }
      if (u) {
        // Both forms: the encoded one appears in URLs, the decoded one in messages.
        for (const raw of [u.username, u.password]) if (raw) found.push(raw, safeDecode(raw));
        for (const [, v] of u.searchParams) found.push(v, encodeURIComponent(v));
      }
    }
    return new Redactor(found);
  }

  /**
   * Replace every secret in a string, and whatever looks like one whoever it came from (a bearer
   * token, a URL password, an Authorization header the server printed).
   */
  text(s: string): string {
    const learned = learnedSecrets();
    if (learned.version !== this.learnedVersion) {
      this.learnedVersion = learned.version;
      this.secrets = sortSecrets([...this.given, ...learned.values]);
    }
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return scrubText(cutSecret(out, this.secrets)).text;
  }

  /** Copy of a JSON-like value with every string value redacted (keys are left alone). */
  value<T>(v: T): T {
    const walk = (x: unknown): unknown => {
      if (typeof x === 'string') return this.text(x);
      if (Array.isArray(x)) return x.map(walk);
      if (x && typeof x === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, val] of Object.entries(x)) out[k] = walk(val);
        return out;
      }
      return x;
    };
    return walk(v) as T;
  }
}

/** Distinct secrets long enough to search for, longest first (so one containing another is replaced whole). */
function sortSecrets(secrets: readonly string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

/**
 * Excerpts and stderr lines are cut at a length and end with "…": a secret cut there would show
 * its beginning, which matching whole secrets cannot see. Such a tail (of a known secret, or of a
 * URL password whose "@" was cut off) becomes ***.
 */
function cutSecret(s: string, secrets: readonly string[]): string {
  if (!s.endsWith('…')) return s;
  const body = s.slice(0, -1);
  for (const secret of secrets) {
    for (let k = secret.length - 1; k >= MIN_CUT_PREFIX; k--) {
      if (body.endsWith(secret.slice(0, k))) return `${body.slice(0, body.length - k)}${REDACTED}…`;
    }
  }
  const password = /(:\/\/[^\s:@/]*:)[^\s@/]+$/.exec(body);
  return password ? `${body.slice(0, password.index)}${password[1]}${REDACTED}…` : s;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Secret values of an argv (command first): `env NAME=VALUE` wrapper values, `--api-key=VALUE`,
 * `--token VALUE`, `API_KEY=VALUE`, bearer tokens and auth headers (see argvSecrets.ts).
 */
export function secretArgs(argv: readonly string[]): string[] {
  return maskArgv(argv).secrets;
}
