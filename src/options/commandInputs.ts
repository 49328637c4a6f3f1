/**
 * What every measuring command shares when turning flags + config into options: the raw inputs,
 * the target (positional, `--`, `--mcp-config`, or the config's "target"), reading a flag or its
 * config key, and the output settings.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { LaunchSpec } from '../target/launchSpec.js';
import { parseEnvFlags, parseHeaderFlags } from '../target/resolve/extras.js';
import { resolveTarget } from '../target/resolve/index.js';
import { checkPidExists } from '../target/serverPid.js';
import type { OutputOptions } from './analyzeOptions.js';
import { field, type LoadedConfig } from './configFile.js';
import { parseDurationMs, parseIntIn } from './parse.js';

/** Raw inputs of a command. */
export interface CommandInputs {
  /** The positional target argument, if given. */
  target: string | undefined;
  /** argv after `--`. */
  command: string[] | undefined;
  /** Commander's parsed flags. */
  flags: Record<string, unknown>;
  /** mcp-opt's config file as loaded (--config, or ./mcp-opt.config.* when present), or null. */
  config: LoadedConfig | null;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Environment mcp-opt runs in. */
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal. */
  stdoutTTY: boolean;
  /** Whether stderr is a terminal. */
  stderrTTY: boolean;
  /** Width of stderr's terminal (0 or undefined when unknown). */
  stderrColumns?: number;
}

/** Reads a flag, else the key of the config's section for this command; errors name where the value came from. */
export class FlagReader {
  /** The config's section for the command (e.g. "bench"), or {}. */
  readonly section: Record<string, unknown>;
  private readonly where: string;
  /** Config keys ignored because a flag of their group was given (see `flagsWin`). */
  private readonly masked = new Set<string>();

  /** `known` lists the section's keys; any other key is a usage error (a typo must not pass silently). */
  constructor(private readonly i: CommandInputs, readonly sectionName: string, known: readonly string[] = []) {
    this.where = i.config ? `config ${i.config.path}` : '';
    this.section = i.config ? field<Record<string, unknown>>(i.config.data, sectionName, 'object', this.where) ?? {} : {};
    const unknown = known.length ? Object.keys(this.section).filter((k) => !known.includes(k)) : [];
    if (unknown.length) {
      throw new UsageError(`${this.where}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${sectionName}.${k}"`).join(', ')}. Known keys: ${known.join(', ')}.`);
    }
  }

  /**
   * Keys that exclude each other (e.g. rps and concurrency): when any of them is given as a flag,
   * the config's values for all of them are ignored, so a flag wins over the config as documented.
   */
  flagsWin(...group: string[]): void {
    if (group.some((k) => this.i.flags[k] !== undefined)) for (const k of group) this.masked.add(k);
  }

  /** The flag's value, else the config key's (same name unless given). */
  raw(flag: string, key = flag): unknown {
    return this.i.flags[flag] ?? (this.masked.has(key) ? undefined : this.section[key]);
  }

  /** Where a value comes from, for error messages: `--flag`, or `config <path> "section.key"`. */
  private source(flag: string, key = flag): string {
    return this.i.flags[flag] !== undefined ? `--${kebab(flag)}` : `${this.where} "${this.sectionName}.${key}"`;
  }

  /** A whole number in [min, max]; `fallback` when absent. */
  int(flag: string, fallback: number, min: number, max: number): number;
  int(flag: string, fallback: null, min: number, max: number): number | null;
  int(flag: string, fallback: number | null, min: number, max: number): number | null {
    const v = this.raw(flag);
    if (v === undefined) return fallback;
    if (typeof v !== 'string' && typeof v !== 'number') throw new UsageError(`${this.source(flag)} must be a number.`);
    return parseIntIn(v, this.source(flag), min, max);
  }

  /** A duration (flag text like 10s, or a config number of ms); `fallback` when absent. */
  durationMs(flag: string, fallback: number, allowZero?: boolean): number;
  durationMs(flag: string, fallback: null, allowZero?: boolean): number | null;
  durationMs(flag: string, fallback: number | null, allowZero = false): number | null {
    const v = this.raw(flag);
    return v === undefined ? fallback : parseDurationMs(String(v), this.source(flag), allowZero);
  }

  /** A boolean switch (a flag, or a config true/false). */
  bool(flag: string): boolean {
    const v = this.raw(flag);
    if (v === undefined) return false;
    if (typeof v !== 'boolean') throw new UsageError(`${this.source(flag)} must be true or false.`);
    return v;
  }

  /** A list of strings (repeatable flag, or a config array). */
  strings(flag: string, key: string): string[] {
    if (this.i.flags[flag] !== undefined) return (this.i.flags[flag] as unknown[]).map(String);
    if (this.masked.has(key)) return [];
    return (field<unknown[]>(this.section, key, 'array', `${this.where} "${this.sectionName}"`) ?? []).map(String);
  }
}

/**
 * The target of a command: positional, `--` command, --mcp-config, else the config's "target";
 * with the --header and --env values (parsed first, so bad syntax is an error before any lookup).
 */
export function resolveCommandTarget(i: CommandInputs): Promise<LaunchSpec> {
  const f = i.flags;
  const extras = {
    headers: parseHeaderFlags((f['header'] as string[] | undefined) ?? []),
    env: parseEnvFlags((f['env'] as string[] | undefined) ?? []),
  };
  return resolveTarget({
    extras,
    target: i.target ?? (i.command || f['mcpConfig'] ? undefined : configTarget(i.config)),
    command: i.command,
    mcpConfig: f['mcpConfig'] as string | undefined,
    server: f['server'] as string | undefined,
    cwd: i.cwd,
    env: i.env,
  });
}

/** --pid: the pid of a server reached by URL, checked to exist (exit 2 otherwise); null when not given. */
export function serverPidOption(i: CommandInputs, spec: LaunchSpec): number | null {
  const raw = i.flags['pid'];
  if (raw === undefined) return null;
  if (spec.kind === 'stdio') throw new UsageError('--pid names the process of a server reached by URL; mcp-opt measures the stdio servers it launches itself.');
  // 2^22 is Linux's largest pid_max.
  const pid = parseIntIn(String(raw), '--pid', 1, 4_194_304);
  checkPidExists(pid);
  return pid;
}

/** Output settings: --json, --out, --no-save, colour and spinners. */
export function outputOptions(i: CommandInputs, kind: string): OutputOptions {
  const f = i.flags;
  const json = f['json'] === true;
  const outFile = typeof f['out'] === 'string' ? resolve(i.cwd, f['out']) : null;
  if (outFile !== null && existsSync(outFile) && statSync(outFile).isDirectory()) {
    throw new UsageError(`--out ${f['out']} is a directory. Give a file path, e.g. --out ${join(String(f['out']), `${kind}.json`)}.`);
  }
  return {
    json,
    save: f['save'] !== false,
    outFile,
    reportsDir: resolve(i.cwd, 'reports'),
    color: f['color'] !== false && !i.env['NO_COLOR'] && i.stdoutTTY,
    // A terminal of unknown width (a pty without size, e.g. under `script`) makes ora's line
    // accounting spin; plain progress lines are used there.
    spinners: i.stderrTTY && (i.stderrColumns ?? 0) > 0 && !json,
  };
}

/** The config's `target` (a path or URL string), if any. */
function configTarget(config: LoadedConfig | null): string | undefined {
  if (!config) return undefined;
  const t = config.data['target'];
  if (t === undefined) return undefined;
  if (typeof t !== 'string') throw new UsageError(`config ${config.path}: "target" must be a string (a directory, file or URL).`);
  return resolve(config.path, '..', t);
}

/** camelCase flag key → its --kebab-case spelling. */
export function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
