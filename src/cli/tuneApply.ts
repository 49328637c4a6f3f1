/**
 * `tune --apply FILE` / `--apply-from RESULT FILE`: write the recommendation into the files the
 * user names. What changes depends on the file: the server's config file (the file knobs' JSON
 * Pointers), an MCP client config (env and args of the server's entry), an .env file (env knobs),
 * or mcp-opt's own config (its "bench" settings). A diff is printed and nothing is written unless
 * --yes/--write; writes are atomic with a backup, refused if the file changed since it was read.
 */
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError, EXIT_CODES } from '../errors.js';
import type { ApplyOptions } from '../options/tuneOptions.js';
import { planApply, refuseReadOnly, writePlan, type ApplyPlan } from '../patch/apply.js';
import { editConfigText } from '../patch/editText.js';
import { formatOf, parseConfigText } from '../patch/formats.js';
import { maskConfigSecrets } from '../patch/maskSecrets.js';
import { editMcpClientEntry, findServerEntry } from '../patch/mcpClientEntry.js';
import type { TuneResult } from '../result/tuneResult.js';
import { benchChanges, recommendedChanges, type RecommendedChanges } from '../runners/tune/recommendedChanges.js';
import { settingsLabel } from '../runners/tune/recommend.js';

/** Apply the recommendation of `result` to each file; returns the exit code. `out` prints (stdout, or stderr under --json). */
export function applyRecommendation(result: TuneResult, apply: ApplyOptions, cwd: string, out: (text: string) => void): number {
  const rec = result.recommendation;
  if (!rec) throw new UsageError('Nothing to apply: no point of this tune was measured successfully. Fix the failures it reports and tune again.');
  if (!rec.meetsSlo) {
    out(`mcp-opt: not applying: no point met ${result.objective.slo}; the closest (${settingsLabel(rec.settings)}) would not meet it either. Relax --slo or widen the knobs' ranges.\n`);
    return EXIT_CODES.BUDGET_FAILED;
  }
  const changes = recommendedChanges(result);
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

/** An edit of a file's text, and what its diff may show of a text (secrets masked), if anything is masked. */
interface Editor {
  edit: (text: string) => string;
  mask?: (text: string) => string;
}

/** The edit for one file, by what the file is; a file the recommendation has nothing for is an error. */
function editorFor(path: string, rec: RecommendedChanges, serverName: string | undefined): Editor {
  const real = safeRealpath(path);
  const serverFile = rec.files.find((f) => safeRealpath(f.path) === real);
  if (serverFile) return { edit: (text) => editConfigText(text, formatOf(path), serverFile.changes, { path }) };
  const format = formatOf(path);
  const hasEnvOrArgs = Object.keys(rec.env).length > 0 || rec.args.length > 0;
  const envNames = Object.keys(rec.env);
  if (format === 'env') {
    if (!envNames.length) throw nothingFor(path, 'an .env file takes env:NAME knobs', rec);
    const envChanges = Object.entries(rec.env).map(([name, value]) => ({ pointer: `/${name}`, value }));
    return {
      edit: (text) => editConfigText(text, 'env', envChanges, { path, allowCreate: true }),
      mask: (text) => maskConfigSecrets(text, 'env', { envNames }, path),
    };
  }
  // A client config's neighbouring entries hold tokens in env, headers and args: the diff's
  // context lines must not print them (only the tuned entry's written env values stay visible).
  const mask = (text: string): string => {
    const doc = parseConfigText(text, format, path);
    if (!isClientConfigDoc(doc)) return text;
    return maskConfigSecrets(text, format, { serverName: findServerEntry(doc, serverName, path).name, envNames }, path);
  };
  const edit = (text: string): string => {
    const doc = parseConfigText(text, format, path) as Record<string, unknown> | null;
    if (isClientConfigDoc(doc)) {
      if (!hasEnvOrArgs) throw nothingFor(path, 'an MCP client config takes env:NAME and arg:--flag knobs', rec);
      return editMcpClientEntry(text, format as 'json' | 'jsonc' | 'yaml', serverName, { env: rec.env, args: rec.args }, path);
    }
    const isOwnConfig = /^mcp-opt\.config\.(json|ya?ml)$/.test(basename(path)) || (!!doc && typeof doc === 'object' && ('bench' in doc || 'budgets' in doc || 'tune' in doc));
    if (isOwnConfig) {
      if (!Object.keys(rec.bench).length) throw nothingFor(path, "mcp-opt's config takes the pool, concurrency, balance, batch and batchDelay knobs", rec);
      return editConfigText(text, format, benchChanges(rec.bench), { path, allowCreate: true });
    }
    throw new UsageError(
      `--apply ${path}: mcp-opt cannot tell what this file configures. It writes into the server's config file named by a file: knob, ` +
        'an MCP client config (mcpServers or servers), an .env file, or mcp-opt.config.json/.yaml.',
    );
  };
  return { edit, mask };
}

/** An MCP client config: servers under "mcpServers" (Claude, Cursor) or "servers" (VS Code). */
function isClientConfigDoc(doc: unknown): boolean {
  return !!doc && typeof doc === 'object' && ('mcpServers' in doc || 'servers' in doc);
}

/** A file of a known kind that the tuned knobs do not touch. */
function nothingFor(path: string, what: string, rec: RecommendedChanges): UsageError {
  const has = [
    rec.files.length ? `file knobs of ${rec.files.map((f) => f.path).join(', ')}` : '',
    Object.keys(rec.env).length ? 'env knobs' : '', rec.args.length ? 'arg knobs' : '', Object.keys(rec.bench).length ? 'client knobs (pool, concurrency…)' : '',
  ].filter(Boolean);
  return new UsageError(`--apply ${path}: ${what}, but this tune's recommendation has ${has.join(', ') || 'nothing'} to write. Apply it to a file of the matching kind.`);
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
