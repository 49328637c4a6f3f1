/**
 * `tune --apply FILE` / `--apply-from RESULT FILE`: write the recommendation into the files the
 * user names (what changes in each is decided by src/patch/applyEditor.ts). A diff is printed and
 * nothing is written unless --yes/--write; writes are atomic with a backup, refused if the file
 * changed since it was read.
 */
import { resolve } from 'node:path';
import { UsageError, EXIT_CODES } from '../errors.js';
import type { ApplyOptions } from '../options/tuneOptions.js';
import { planApply, refuseReadOnly, writePlan, type ApplyPlan } from '../patch/apply.js';
import { editorFor } from '../patch/applyEditor.js';
import { recommendedChanges } from '../patch/recommendedChanges.js';
import type { TuneResult } from '../result/tuneResult.js';
import { settingsLabel } from '../runners/tune/recommend.js';
import { selfArgv } from '../selfCommand.js';

/** Apply the recommendation of `result` to each file; returns the exit code. `out` prints (stdout, or stderr under --json). */
export function applyRecommendation(result: TuneResult, apply: ApplyOptions, cwd: string, out: (text: string) => void): number {
  const rec = result.recommendation;
  if (!rec) throw new UsageError('Nothing to apply: no point of this tune was measured successfully. Fix the failures it reports and tune again.');
  if (!rec.meetsSlo) {
    out(`mcp-opt: not applying: no point met ${result.objective.slo}; the closest (${settingsLabel(rec.settings)}) would not meet it either. Relax --slo or widen the knobs' ranges.\n`);
    return EXIT_CODES.BUDGET_FAILED;
  }
  const changes = recommendedChanges(result);
  const proxy = changes.proxy;
  if (proxy && proxy.pool > 1 && proxy.affinity === 'none') {
    out(`mcp-opt: the proxy settings spread one client's requests over ${proxy.pool} instances (--affinity none): right for a server that keeps no state between requests. For one that does, use --affinity session, which keeps each client on one instance (a pool then serves several clients, not one faster).\n`);
  }
  const bin = selfArgv()[1]!;
  if (proxy && proxy.pool > 1 && /[\\/]_npx[\\/]/.test(bin)) {
    out(`mcp-opt: ! a client config entry wrapped now would launch this mcp-opt from npx's cache (${bin}), which npm may clean: apply with an installed mcp-opt so that the entry keeps working.\n`);
  }
  const plans: ApplyPlan[] = [];
  for (const file of apply.files) {
    const path = resolve(cwd, file);
    const { edit, mask } = editorFor(path, changes, apply.serverName);
    const plan = planApply(path, edit, { force: apply.force, mask });
    for (const w of plan.warnings) out(`mcp-opt: ! ${w}\n`);
    if (!plan.changed) {
      out(`mcp-opt: ${plan.realPath} already holds the recommended values; nothing to change.\n`);
      continue;
    }
    out(plan.diff.endsWith('\n') ? plan.diff : `${plan.diff}\n`);
    plans.push(plan);
  }
  if (apply.write) {
    // A read-only file among several is refused before any is written (writePlan checks again).
    if (!apply.force) for (const plan of plans) refuseReadOnly(plan.realPath);
    for (const plan of plans) {
      const { written, backup } = writePlan(plan, { force: apply.force });
      out(`mcp-opt: wrote ${written} (backup: ${backup})\n`);
    }
  }
  if (!apply.write) out('mcp-opt: dry run: nothing was written. Add --yes (or --write) to write these changes.\n');
  return EXIT_CODES.OK;
}
