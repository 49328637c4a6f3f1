/**
 * Which tools analyze calls and with what arguments: tools the user named (their arguments as given),
 * otherwise safe tools (read-only, not destructive, closed-world annotations) with arguments
 * synthesised from their inputSchema. Nothing when --no-calls.
 */
import type { AnalyzeOptions } from '../../options/analyzeOptions.js';
import type { Tool } from '../../target/protocol.js';
import { selectCallableTools } from '../../workload/safety.js';
import { synthesizeArgs } from '../../workload/synthArgs.js';
import type { PlannedCall } from './plannedCall.js';

/** Plan calls for every callable tool of `tools`, in list order. */
export function planCalls(tools: readonly Tool[], opts: Pick<AnalyzeOptions, 'calls' | 'noCalls'>): PlannedCall[] {
  const named = new Map(opts.calls.map((c) => [c.name, c]));
  const { callable } = selectCallableTools([...tools], { named: [...named.keys()], noCalls: opts.noCalls });
  const index = new Map(tools.map((t, i) => [t.name, i]));
  return callable.map((tool) => {
    const given = named.get(tool.name);
    if (given) return { name: tool.name, args: given.args, argsSource: 'given with --call', index: index.get(tool.name) ?? -1 };
    const synth = synthesizeArgs(tool.inputSchema);
    const argsSource = synth.complete
      ? 'synthesised from inputSchema'
      : `synthesised from inputSchema (guessed: ${synth.notes.join('; ').slice(0, 200)})`;
    return { name: tool.name, args: synth.args, argsSource, index: index.get(tool.name) ?? -1 };
  });
}

/** The call for cold starts: a named tool first, else the first safe tool; null when none. */
export function pickFirstCall(tools: readonly Tool[], opts: Pick<AnalyzeOptions, 'calls' | 'noCalls'>): PlannedCall | null {
  const plans = planCalls(tools, opts);
  const namedFirst = opts.calls.map((c) => plans.find((p) => p.name === c.name)).find((p) => p !== undefined);
  return namedFirst ?? plans[0] ?? null;
}
