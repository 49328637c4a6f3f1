/** Shared state of one argument synthesis: the root schema for $ref and what had to be guessed. */

/** A JSON Schema object (boolean schemas are handled before anything sees this type). */
export type SchemaObject = Record<string, unknown>;

/** State threaded through one `synthesizeArgs` call. */
export interface SynthContext {
  /** The whole input schema, against which local `$ref`s resolve. */
  root: unknown;
  /** One line per guess, prefixed with the argument path it concerns. */
  notes: string[];
  /** False once anything was guessed: the arguments may be rejected by the server. */
  complete: boolean;
  /** True once a local $ref was followed (a budget run out on such a schema is recursion). */
  sawRef: boolean;
  /** Schema nodes visited and values made so far (see spend). */
  steps: number;
  /** Why no valid arguments can exist, once found (e.g. a required value that contains itself); null until then. */
  unsatisfiable: string | null;
}

/**
 * Most schema nodes visited and values made for one tool. A schema requiring itself twice
 * (`{"$ref": "#"}` in two required properties) doubles the work at every level: 2^24 values at the
 * depth cap, minutes of CPU and gigabytes before this budget existed. Real schemas need a few hundred.
 */
export const MAX_SYNTH_STEPS = 20_000;

/** Thrown when a synthesis runs out of budget; caught by synthesizeArgs. */
export class SynthBudgetExceeded extends Error {}

/** Count one unit of work; throws SynthBudgetExceeded past MAX_SYNTH_STEPS. */
export function spend(ctx: SynthContext): void {
  if (++ctx.steps > MAX_SYNTH_STEPS) throw new SynthBudgetExceeded();
}

/** Record a guess: the arguments may not validate, and the note says where and why. */
export function guess(ctx: SynthContext, path: string, message: string): void {
  ctx.complete = false;
  ctx.notes.push(`${path === '' ? '(root)' : path}: ${message}`);
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property of a schema object; `properties.constructor` must not find Object.prototype's. */
export function own(obj: SchemaObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Stable key for comparing JSON values (enum membership, uniqueItems). */
export function jsonKey(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return String(value);
  }
}

/** Cut long strings from a server before they go into notes. */
export function clip(text: string, maxChars = 60): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

/** Define an own data property; plain assignment would treat a "__proto__" key as the prototype. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
