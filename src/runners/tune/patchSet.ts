/**
 * The recommendation as RFC 6902 JSON Patch and RFC 7396 merge patch documents, one pair per thing
 * it changes (each server config file, the server's launch entry, mcp-opt's config), named for files
 * beside the result (written by src/patch/patchFiles.ts) so CI or a reviewer can apply them with any
 * standard library.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { TuneOptions } from '../../options/tuneOptions.js';
import type { ValueChange } from '../../patch/valueChange.js';
import { formatOf, parseConfigText } from '../../patch/formats.js';
import { jsonPatchOf, mergePatchOf } from '../../patch/patches.js';
import { launchArgv } from '../../patch/proxyWrap.js';
import { benchChanges, recommendedChanges } from '../../patch/recommendedChanges.js';
import type { PatchSet, TuneResult } from '../../result/tuneResult.js';
import { selfArgv } from '../../selfCommand.js';
import { applyArgKnob } from './argKnob.js';

/** The patches of the recommendation, their files named beside `resultPath` (none when it is null: --no-save). */
export function patchSetOf(opts: TuneOptions, result: TuneResult, resultPath: string | null): PatchSet {
  const rec = recommendedChanges(result);
  const parts: Array<{ target: string; slug: string; doc: unknown; changes: ValueChange[] }> = [];
  for (const f of rec.files) {
    parts.push({ target: `server config ${f.path}`, slug: `server-config-${basename(f.path)}`, doc: parseConfigText(readFileSync(f.path, 'utf8'), formatOf(f.path), f.path), changes: f.changes });
  }
  if (Object.keys(rec.env).length || rec.args.length || rec.proxy) {
    // The server's entry in an MCP client config ({ command, args, env }): env values are strings.
    const command0 = opts.spec.kind === 'stdio' ? opts.spec.launch.command : '';
    const args0 = opts.spec.kind === 'stdio' ? opts.spec.launch.args : [];
    const args = rec.args.reduce<string[]>((a, { flag, value }) => applyArgKnob(a, flag, value), [...args0]);
    const changes: ValueChange[] = Object.entries(rec.env).map(([name, value]) => ({ pointer: `/env/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, value }));
    // Through the proxy (pool > 1), the entry launches `mcp-opt proxy … -- <server>` (proxyWrap.ts).
    const argv = launchArgv([command0, ...args], null, rec.proxy, selfArgv());
    if (argv[0] !== command0) changes.push({ pointer: '/command', value: argv[0] });
    if (rec.args.length || argv.length !== args0.length + 1) changes.push({ pointer: '/args', value: argv.slice(1) });
    const what = rec.proxy ? 'command, args, env' : 'env, args';
    // Through the proxy with a pool of 1 (and no env or arg knob) the entry stays as it is.
    if (changes.length) parts.push({ target: `server entry of an MCP client config (${what})`, slug: 'client-entry', doc: { command: command0, env: {}, args: [...args0] }, changes });
  }
  if (Object.keys(rec.bench).length || rec.proxy) {
    const cfg = opts.mcpOptConfig;
    parts.push({ target: `mcp-opt config ${cfg?.path ?? 'mcp-opt.config.json'}`, slug: 'mcp-opt-config', doc: cfg?.data ?? {}, changes: benchChanges(rec.bench, rec.proxy) });
  }
  const stem = resultPath?.replace(/\.json$/, '') ?? null;
  return {
    files: parts.map((p) => ({
      target: p.target,
      jsonPatch: jsonPatchOf(p.doc, p.changes),
      mergePatch: mergePatchOf(p.doc, p.changes),
      jsonPatchFile: stem ? `${stem}.${p.slug}.json-patch.json` : null,
      mergePatchFile: stem ? `${stem}.${p.slug}.merge-patch.json` : null,
    })),
  };
}
