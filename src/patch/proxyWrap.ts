/**
 * A server's launch argv wrapped in `mcp-opt proxy`: `node server.js` becomes
 * `<mcp-opt> proxy --pool 4 --affinity none --balance least-inflight -- node server.js`. How the
 * wrapper is built from tuned settings, recognised in an existing argv (whichever way mcp-opt is
 * launched: its absolute bin, `mcp-opt`, or `npx mcp-opt`), updated in place and removed again,
 * so `tune --apply` can run on the same client config entry any number of times.
 */
import { UsageError } from '../errors.js';
import { baseName, isMcpOptSpec } from '../util/mcpOptBin.js';
import { setArg } from './argsEdit.js';

/** The proxy settings a tune measured (the `mcp-opt proxy` flags of the same names). */
export interface ProxySettings {
  /** --pool: warm instances. */
  pool: number;
  /** --affinity: none, session or client. */
  affinity: string;
  /** --balance: how requests spread over instances. */
  balance: string;
  /** --max-inflight-per-instance (0: no cap, the proxy's default). */
  maxInflightPerInstance: number;
}

/** An argv (command first) seen as a wrapper: what launches mcp-opt, the proxy's flags, the server's argv. */
export interface WrappedArgv {
  /** The argv before `proxy` (e.g. node and mcp-opt's bin, or npx -y mcp-opt). */
  launcher: string[];
  /** The proxy's flags, between `proxy` and `--`. */
  flags: string[];
  /** The server's own argv after `--` (command first). */
  server: string[];
}

/** The proxy flags of `s`: pool, affinity and balance always (what was measured), the cap when set. */
export function proxyFlags(s: ProxySettings): string[] {
  const flags = ['--pool', String(s.pool), '--affinity', s.affinity, '--balance', s.balance];
  if (s.maxInflightPerInstance > 0) flags.push('--max-inflight-per-instance', String(s.maxInflightPerInstance));
  return flags;
}


/** Whether `prefix` (an argv before `proxy`) launches mcp-opt. */
function launchesMcpOpt(prefix: readonly string[]): boolean {
  const [cmd, ...rest] = prefix;
  if (cmd === undefined) return false;
  const name = baseName(cmd);
  if (/^mcp-opt(\.cmd|\.exe)?$/.test(name)) return rest.length === 0;
  if (/^node(\.exe)?$/.test(name)) return rest.length === 1 && /^mcp-opt(\.js|\.mjs)?$/.test(baseName(rest[0]!));
  if (/^npx(\.cmd)?$/.test(name)) {
    const words = rest.filter((a) => a !== '-y' && a !== '--yes');
    return words.length === 1 && isMcpOptSpec(words[0]!);
  }
  return false;
}

/** The wrapper in `argv` (command first), or null when the argv does not launch `mcp-opt proxy`. */
export function parseWrapped(argv: readonly string[], where: string): WrappedArgv | null {
  const at = argv.findIndex((a, i) => a === 'proxy' && launchesMcpOpt(argv.slice(0, i)));
  if (at < 0) return null;
  const dashes = argv.indexOf('--', at + 1);
  if (dashes < 0 || dashes === argv.length - 1) {
    throw new UsageError(`${where} already runs \`mcp-opt proxy\`, but not with the server's command after \`--\`; mcp-opt cannot tell the server from the proxy's flags. Write it as \`mcp-opt proxy [flags] -- <server command>\` and apply again.`);
  }
  return { launcher: argv.slice(0, at), flags: argv.slice(at + 1, dashes), server: argv.slice(dashes + 1) };
}

/** `flags` with `flag` set to `value`: `flag=x` or the word after `flag` replaced, else `flag value` appended. */
function setFlag(flags: readonly string[], flag: string, value: string): string[] {
  if (flags.some((f) => f.startsWith(`${flag}=`)) || flags.slice(0, -1).includes(flag)) return setArg(flags, flag, value);
  return [...flags, flag, value];
}

/**
 * The argv (command first) a server entry should have: `server` (its own argv, already with the
 * tune's arg knobs) wrapped for `proxy` (pool > 1), or bare (no proxy settings, or pool 1: the
 * wrapper is removed). An existing wrapper keeps its launcher and its other flags; the tuned
 * flags are set in place.
 */
export function launchArgv(server: readonly string[], existing: WrappedArgv | null, proxy: ProxySettings | null, launcher: readonly string[]): string[] {
  if (proxy === null) return existing ? [...existing.launcher, 'proxy', ...existing.flags, '--', ...server] : [...server];
  if (proxy.pool <= 1) return [...server];
  if (!existing) return [...launcher, 'proxy', ...proxyFlags(proxy), '--', ...server];
  let flags = [...existing.flags];
  const wanted = proxyFlags(proxy);
  for (let i = 0; i < wanted.length; i += 2) flags = setFlag(flags, wanted[i]!, wanted[i + 1]!);
  // A cap written by an earlier apply is set back to 0 (no cap) when this tune measured without one.
  if (proxy.maxInflightPerInstance === 0 && flags.some((f) => f === '--max-inflight-per-instance' || f.startsWith('--max-inflight-per-instance='))) {
    flags = setFlag(flags, '--max-inflight-per-instance', '0');
  }
  return [...existing.launcher, 'proxy', ...flags, '--', ...server];
}
