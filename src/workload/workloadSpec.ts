/**
 * What `bench` sends, before it is tied to a server: methods, named tool calls with (possibly
 * templated) arguments, and `auto` (every tool annotated safe). Built from flags here or from a
 * workload file (workloadFile.ts), then resolved against the server's tool list (operations.ts).
 * Arguments are compiled here, so a bad template is a usage error before anything is launched.
 */
import { UsageError } from '../errors.js';
import { parseCallSpec, quote } from './callSpec.js';
import { compileArgsTemplate, type ArgsTemplate } from './templates.js';

/** Methods bench can send without a tool: `discover` is the 2026-07-28 `server/discover`. */
export const BENCH_METHODS = ['ping', 'tools/list', 'discover'] as const;
/** One of BENCH_METHODS. */
export type BenchMethod = (typeof BENCH_METHODS)[number];
/** The `--call` value (and `call:` in a file) meaning "every tool annotated safe". */
export const AUTO_CALL = 'auto';

/** A request without a tool. */
export interface MethodEntry {
  /** Discriminant: a request without a tool. */
  kind: 'method';
  /** The method to send ('discover' is the 2026-07-28 server/discover). */
  method: BenchMethod;
  /** Relative weight in the mix (positive). */
  weight: number;
  /** Where it was asked for, for errors: "--method ping" or "Workload file w.yaml, operations[0]". */
  origin: string;
}

/** A call of one named tool; naming a tool is consent to call it whatever its annotations. */
export interface CallEntry {
  /** Discriminant: a call of one named tool. */
  kind: 'call';
  /** Tool name as the server lists it. */
  name: string;
  /** Relative weight in the mix (positive). */
  weight: number;
  /** The arguments as written (templates not expanded), for reports. */
  args: Record<string, unknown>;
  /** The arguments compiled for rendering per request. */
  template: ArgsTemplate;
  /** Where it was asked for, for errors. */
  origin: string;
}

/** `--call auto`: every tool annotated safe, arguments synthesised from its inputSchema, weight 1 each. */
export interface AutoEntry {
  /** Discriminant: every tool annotated safe. */
  kind: 'auto';
  /** Where it was asked for, for errors. */
  origin: string;
  /** With no tool annotated safe, send the default method instead of failing (tune's default workload). */
  orDefault?: boolean;
}

/** One entry of a workload. */
export type WorkloadEntry = MethodEntry | CallEntry | AutoEntry;

/** A workload not yet tied to a server. No entries means the era's default (see resolveWorkload). */
export interface WorkloadSpec {
  /** The requests to mix, in the order given. */
  entries: WorkloadEntry[];
  /** Seed for argument templates; undefined when a workload file gives none (the caller decides). */
  seed: number | undefined;
}

/** True when `value` names a method bench can send. */
export function isBenchMethod(value: unknown): value is BenchMethod {
  return (BENCH_METHODS as readonly unknown[]).includes(value);
}

/**
 * The workload of `--method` and `--call` flags (raw values, in order). A method and calls may be
 * combined; the method then has weight 1. `--call auto` takes neither weight nor arguments.
 */
export function workloadFromFlags(flags: { method?: string | undefined; calls: readonly string[]; seed: number }): WorkloadSpec {
  const entries: WorkloadEntry[] = [];
  if (flags.method !== undefined) {
    if (!isBenchMethod(flags.method)) {
      const hint = flags.method === 'tools/call' ? ' To call a tool, use --call <name>.' : flags.method === 'server/discover' ? ' Write it as discover.' : '';
      throw new UsageError(`--method ${quote(flags.method)} is not a method bench sends; use ping, tools/list or discover.${hint}`);
    }
    entries.push({ kind: 'method', method: flags.method, weight: 1, origin: `--method ${flags.method}` });
  }
  for (const raw of flags.calls) {
    const origin = `--call ${quote(raw)}`;
    if (raw === AUTO_CALL) {
      if (!entries.some((e) => e.kind === 'auto')) entries.push({ kind: 'auto', origin });
      continue;
    }
    if (raw.startsWith(`${AUTO_CALL}:`) || raw.startsWith(`${AUTO_CALL}=`)) {
      throw new UsageError(`${origin}: "auto" takes neither a weight nor arguments; it calls every tool annotated safe with arguments synthesised from its inputSchema, equally weighted. For a weighted mix name the tools, as in --call 'search:3={"q":"x"}'.`);
    }
    const { name, weight, args } = parseCallSpec(raw);
    const template = compileArgsTemplate(args, (path) => `${origin}, ${path}`);
    entries.push({ kind: 'call', name, weight, args, template, origin });
  }
  return { entries, seed: flags.seed };
}

/** Tool names the workload calls explicitly, first occurrence order (to check budgets before launch). */
export function toolNamesOf(spec: WorkloadSpec): string[] {
  return [...new Set(spec.entries.flatMap((e) => (e.kind === 'call' ? [e.name] : [])))];
}
