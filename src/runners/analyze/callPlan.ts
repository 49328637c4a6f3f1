/**
 * Which tools analyze calls and with what arguments: tools the user named (their arguments as given),
 * otherwise safe tools (read-only, not destructive, closed-world annotations) with arguments
 * synthesised from their inputSchema. Nothing when --no-calls.
 */
import type { AnalyzeOptions } from '../../options/analyzeOptions.js';
import type { Tool } from '../../target/protocol.js';
import { selectCallableTools } from '../../workload/safety.js';
import { synthesizeArgs, unsynthesisableReason } from '../../workload/synthArgs.js';
import type { PlannedCall } from './plannedCall.js';

/**
 * Plan calls for every callable tool of `tools`, in list order. A safe tool whose arguments cannot
 * be synthesised (a recursive schema) is left out and, when `unplanned` is given, added to it.
 */
export function planCalls(
  tools: readonly Tool[],
  opts: Pick<AnalyzeOptions, 'calls' | 'noCalls'>,
  unplanned?: Array<{ name: string; reason: string }>,
): PlannedCall[] {
  const named = new Map(opts.calls.map((c) => [c.name, c]));
  const { callable } = selectCallableTools([...tools], { named: [...named.keys()], noCalls: opts.noCalls });
  const index = new Map(tools.map((t, i) => [t.name, i]));
  const plans: PlannedCall[] = [];
  for (const tool of callable) {
    const given = named.get(tool.name);
    if (given) {
      plans.push({ name: tool.name, args: given.args, argsSource: 'given with --call', index: index.get(tool.name) ?? -1 });
      continue;
    }
    const synth = synthesizeArgs(tool.inputSchema);
    if (synth.unsatisfiable !== null) {
      unplanned?.push({ name: tool.name, reason: unsynthesisableReason(synth) });
      continue;
    }
    const argsSource = synth.complete
      ? 'synthesised from inputSchema'
      : `synthesised from inputSchema (guessed: ${synth.notes.join('; ').slice(0, 200)})`;
    plans.push({ name: tool.name, args: synth.args, argsSource, index: index.get(tool.name) ?? -1, schema: tool.inputSchema });
  }
  return plans;
}

/** The call for cold starts: a named tool first, else the first safe tool; null when none. */
export function pickFirstCall(tools: readonly Tool[], opts: Pick<AnalyzeOptions, 'calls' | 'noCalls'>): PlannedCall | null {
  const plans = planCalls(tools, opts);
  const namedFirst = opts.calls.map((c) => plans.find((p) => p.name === c.name)).find((p) => p !== undefined);
  return namedFirst ?? plans[0] ?? null;
}

/** Self-chosen tools sampled in the latency phase at most (named tools are always sampled). */
export const MAX_SAMPLED_TOOLS = 12;

/**
 * The plans to sample for steady latency: every named tool, plus up to MAX_SAMPLED_TOOLS safe ones
 * spread evenly over the list (a server with hundreds of tools would otherwise take minutes).
 */
export function samplePlans(plans: readonly PlannedCall[]): { sampled: PlannedCall[]; notSampled: number } {
  const named = plans.filter((p) => p.argsSource === 'given with --call');
  const safe = plans.filter((p) => p.argsSource !== 'given with --call');
  if (safe.length <= MAX_SAMPLED_TOOLS) return { sampled: [...plans], notSampled: 0 };
  const picks = new Set(Array.from({ length: MAX_SAMPLED_TOOLS }, (_, i) => Math.round((i * (safe.length - 1)) / (MAX_SAMPLED_TOOLS - 1))));
  const chosen = new Set([...named, ...[...picks].map((i) => safe[i]!)]);
  return { sampled: plans.filter((p) => chosen.has(p)), notSampled: safe.length - picks.size };
}
