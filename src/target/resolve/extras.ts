/**
 * `--header 'Name: value'` and `--env NAME=VALUE`: request headers for a URL target, variables for
 * a launched server. Masked exactly like a config entry's "headers" and "env": the names are
 * recorded, the values never printed or saved (result/redact.ts).
 */
import { UsageError } from '../../errors.js';
import type { LaunchSpec } from '../launchSpec.js';

/** RFC 9110 token characters, the only ones a header name may hold. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A portable environment variable name (POSIX: letters, digits, underscore; no leading digit). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Headers and variables given on the command line. */
export interface TargetExtras {
  /** From --header, in order (a later one of the same name, any case, wins). */
  headers: Record<string, string>;
  /** From --env, in order (a later one of the same name wins). */
  env: Record<string, string>;
}

/** Parse --header values; a UsageError names the flag but never echoes a value (it may be a token). */
export function parseHeaderFlags(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, raw] of values.entries()) {
    const which = values.length > 1 ? `--header (the ${ordinal(i + 1)})` : '--header';
    const colon = raw.indexOf(':');
    const name = colon === -1 ? '' : raw.slice(0, colon).trim();
    const value = colon === -1 ? '' : raw.slice(colon + 1).trim();
    if (colon === -1 || !HEADER_NAME.test(name)) {
      throw new UsageError(`${which} expects 'Name: value', e.g. --header 'Authorization: Bearer <token>'; ${colon === -1 ? "the value given has no ':'" : 'the part before the first \':\' is not a header name (letters, digits and -)'}.`);
    }
    if (value === '' || /[\r\n\0]/.test(value)) {
      throw new UsageError(`${which} ${name}: the value is ${value === '' ? 'empty' : 'split over lines'}; give it on one line after the ':', e.g. --header '${name}: <value>'.`);
    }
    for (const k of Object.keys(out)) if (k.toLowerCase() === name.toLowerCase()) delete out[k];
    out[name] = value;
  }
  return out;
}

/** Parse --env values; a UsageError names the flag and the variable but never echoes a value. */
export function parseEnvFlags(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, raw] of values.entries()) {
    const which = values.length > 1 ? `--env (the ${ordinal(i + 1)})` : '--env';
    const eq = raw.indexOf('=');
    if (eq === -1) throw new UsageError(`${which} expects NAME=VALUE, e.g. --env API_KEY=<key>; the value given has no '='.`);
    const name = raw.slice(0, eq);
    if (!ENV_NAME.test(name)) {
      throw new UsageError(`${which}: ${JSON.stringify(name.slice(0, 40))} is not a variable name (letters, digits and _, not starting with a digit); expected NAME=VALUE.`);
    }
    out[name] = raw.slice(eq + 1);
  }
  return out;
}

/** Add the extras to a resolved target; a UsageError when they do not fit its kind. */
export function applyTargetExtras(spec: LaunchSpec, extras: TargetExtras): LaunchSpec {
  const headerNames = Object.keys(extras.headers);
  const envNames = Object.keys(extras.env);
  if (spec.kind === 'stdio') {
    if (headerNames.length) {
      throw new UsageError(
        `--header sets HTTP request headers, but the target is a stdio server (${spec.origin}), which mcp-opt talks to over a pipe. ` +
          'Give it its secrets with --env NAME=VALUE, or drop --header.',
      );
    }
    if (!envNames.length) return spec;
    return {
      ...spec,
      launch: { ...spec.launch, env: { ...spec.launch.env, ...extras.env } },
      configuredEnvNames: [...new Set([...spec.configuredEnvNames, ...envNames])],
    };
  }
  if (envNames.length) {
    throw new UsageError(
      `--env sets environment variables of a server mcp-opt starts, but the target is a URL: mcp-opt does not start that server. ` +
        "Set them where the server runs, or send what it needs as request headers with --header 'Name: value'.",
    );
  }
  if (!headerNames.length) return spec;
  // The flag wins over the config entry's header of the same name (header names ignore case).
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers)) if (!headerNames.some((n) => n.toLowerCase() === k.toLowerCase())) headers[k] = v;
  return { ...spec, headers: { ...headers, ...extras.headers } };
}

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
