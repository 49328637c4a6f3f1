/**
 * The workload of bench and tune: a workload file (flag or config), else --method/--call.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { loadWorkloadFile } from '../workload/workloadFile.js';
import { workloadFromFlags, type WorkloadSpec } from '../workload/workloadSpec.js';
import type { CommandInputs, FlagReader } from './commandInputs.js';

/** The workload: a workload file (flag or config), else --method/--call. Not both. */
export async function workloadOf(i: CommandInputs, r: FlagReader, seed: number): Promise<WorkloadSpec> {
  const file = r.raw('workload');
  const method = r.raw('method');
  const calls = r.strings('call', 'calls');
  if (file !== undefined) {
    if (method !== undefined || calls.length) throw new UsageError('--workload and --method/--call both describe the requests: give one.');
    const base = i.flags['workload'] !== undefined || !i.config ? i.cwd : resolve(i.config.path, '..');
    const spec = await loadWorkloadFile(resolve(base, String(file)));
    return { ...spec, seed: spec.seed ?? seed };
  }
  return workloadFromFlags({ method: method === undefined ? undefined : String(method), calls, seed });
}
