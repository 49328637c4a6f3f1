/**
 * Parse `--call` values: `name`, `name={json}` and `name:weight={json}`. The shell has already
 * removed the user's quotes, so `--call 'search={"q":"x"}'` arrives as `search={"q":"x"}`.
 * Tool names (SEP-986: letters, digits, `_`, `-`, `.`, `/`) contain neither `=` nor `:`, so the
 * first `=` starts the JSON and a `:` before it starts the weight.
 */
import { UsageError } from '../errors.js';

/** One `--call` value: which tool, how often relative to the others, with what arguments. */
export interface CallSpec {
  /** Tool name as the server lists it. */
  name: string;
  /** Relative weight in the call mix (positive; 1 when not given). */
  weight: number;
  /** The `arguments` object for `tools/call`. */
  args: Record<string, unknown>;
}

const EXAMPLE = `--call 'search:3={"query":"mcp"}' (weight and arguments are optional: --call search)`;
const WEIGHT = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Parse one `--call` value; throws UsageError (exit 2) naming the flag and the bad value. */
export function parseCallSpec(spec: string): CallSpec {
  const eq = spec.indexOf('=');
  const head = eq === -1 ? spec : spec.slice(0, eq);
  const json = eq === -1 ? undefined : spec.slice(eq + 1);
  const colon = head.indexOf(':');
  const name = colon === -1 ? head : head.slice(0, colon);
  const weightText = colon === -1 ? undefined : head.slice(colon + 1);

  if (name === '') fail(spec, 'the tool name before "=" or ":" is empty');
  // SEP-986 forbids spaces in tool names; a space here is almost always a quoting slip.
  if (/[\s\p{Cc}]/u.test(name)) {
    fail(spec, `the tool name ${quote(name)} contains whitespace or control characters`);
  }
  return { name, weight: parseWeight(spec, weightText), args: parseArgs(spec, json) };
}

function parseWeight(spec: string, text: string | undefined): number {
  if (text === undefined) return 1;
  if (/^\s*[{[]/.test(text)) {
    fail(spec, `the weight ${quote(text)} looks like JSON; arguments go after "=", as in name={...}`);
  }
  const weight = Number(text);
  if (!WEIGHT.test(text) || !Number.isFinite(weight) || weight <= 0) {
    fail(spec, `the weight ${quote(text)} after ":" must be a positive number such as 1, 3 or 0.5`);
  }
  return weight;
}

function parseArgs(spec: string, json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {};
  if (json.trim() === '') fail(spec, 'nothing follows "="; give a JSON object, or drop the "="');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    // Most often the shell ate the quotes: --call name={"a":1} without single quotes.
    const detail = err instanceof Error ? err.message : String(err);
    fail(spec, `the arguments after "=" are not valid JSON (${detail}); wrap the whole value in single quotes so the shell keeps the JSON's quotes`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    fail(spec, `the arguments after "=" must be a JSON object ({...}), not ${kind}`);
  }
  return value as Record<string, unknown>;
}

function fail(spec: string, problem: string): never {
  throw new UsageError(`--call ${quote(spec)} is not valid: ${problem}. Example: ${EXAMPLE}.`);
}

/** Longest part of a bad value echoed back; a pasted 1 MB JSON blob must not flood the terminal. */
const MAX_QUOTED_CHARS = 200;

/** Quote a value the way a user would retype it in a POSIX shell, cut when very long. */
export function quote(value: string): string {
  const shown = value.length > MAX_QUOTED_CHARS ? `${value.slice(0, MAX_QUOTED_CHARS)}…` : value;
  return shown.includes("'") ? JSON.stringify(shown) : `'${shown}'`;
}
