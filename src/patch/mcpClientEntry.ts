/**
 * Edits of one server's entry in an MCP client config: Claude Desktop / Cursor keep servers under
 * `mcpServers`, VS Code under `servers`. `env` values and `args` flags are set; with proxy
 * settings the entry's `command` and `args` are wrapped in `mcp-opt proxy` (or unwrapped for a
 * pool of 1); every other key of the entry stays as it is.
 */
import { UsageError } from '../errors.js';
import { setEntryArgv } from './entryArgvText.js';
import { parseConfigText } from './formats.js';
import { formatPointer } from './jsonPointer.js';
import { setArg } from './argsEdit.js';
import { editConfigText } from './editText.js';
import { launchArgv, parseWrapped, type ProxySettings } from './proxyWrap.js';
import { selfArgv } from '../selfCommand.js';
import type { ValueChange } from './valueChange.js';

/** What to change in a server entry. */
export interface EntryChanges {
  /** Environment variables to set (created, with the `env` object, when missing). */
  env?: Record<string, string>;
  /** Flags to set in `args` (see setArg). */
  args?: Array<{
    /** The flag, e.g. '--workers'. */
    flag: string;
    /** Its value. */
    value: string;
  }>;
  /** Launch the server through `mcp-opt proxy` with these settings (pool 1: not, and an existing wrapper is removed). */
  proxy?: ProxySettings | null;
  /** The argv that runs mcp-opt in a new wrapper (default: this mcp-opt, see selfCommand.ts). */
  launcher?: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Find the server entry to edit; with no name, the only entry; otherwise a UsageError listing the names. */
export function findServerEntry(
  doc: unknown,
  serverName: string | undefined,
  path: string,
): { containerKey: 'mcpServers' | 'servers'; name: string } {
  const containerKey = isObject(doc) && isObject(doc.mcpServers) ? 'mcpServers' : isObject(doc) && isObject(doc.servers) ? 'servers' : null;
  if (!containerKey || !isObject(doc)) {
    throw new UsageError(`${path}: no "mcpServers" (Claude, Cursor) or "servers" (VS Code) object found; is this an MCP client config?`);
  }
  const names = Object.keys(doc[containerKey] as Record<string, unknown>);
  if (serverName !== undefined) {
    if (names.includes(serverName)) return { containerKey, name: serverName };
    throw new UsageError(`${path}: no server "${serverName}" under "${containerKey}"; servers there: ${names.join(', ') || '(none)'}`);
  }
  if (names.length === 1) return { containerKey, name: names[0]! };
  throw new UsageError(
    `${path}: ${names.length === 0 ? 'no servers' : `${names.length} servers (${names.join(', ')})`} under "${containerKey}"; pass --server NAME to choose one`,
  );
}

/** Set env values and args flags of one server entry in a client config's text, keeping the rest of the text. */
export function editMcpClientEntry(
  text: string,
  format: 'json' | 'jsonc' | 'yaml',
  serverName: string | undefined,
  changes: EntryChanges,
  path: string,
): string {
  const doc = parseConfigText(text, format, path);
  const { containerKey, name } = findServerEntry(doc, serverName, path);
  const entry = (doc as Record<string, Record<string, unknown>>)[containerKey]![name];
  if (!isObject(entry)) throw new UsageError(`${path}: server "${name}" under "${containerKey}" is not an object`);
  const base = [containerKey, name];
  const edits: ValueChange[] = [];
  for (const [key, value] of Object.entries(changes.env ?? {})) {
    edits.push({ pointer: formatPointer([...base, 'env', key]), value });
  }
  const argsOk = entry.args === undefined || (Array.isArray(entry.args) && entry.args.every((a) => typeof a === 'string'));
  if ((changes.args?.length || changes.proxy) && !argsOk) {
    throw new UsageError(`${path}: "args" of server "${name}" is not an array of strings; fix it by hand`);
  }
  const where = `${path}: server "${name}"`;
  if (changes.proxy && typeof entry.command !== 'string') {
    throw new UsageError(`${where} has no "command" (a server reached by "url" is not launched by the client), so it cannot be run through mcp-opt proxy. Apply to the entry of a stdio server.`);
  }
  const wrapped = typeof entry.command === 'string' && argsOk ? parseWrapped([entry.command, ...((entry.args as string[] | undefined) ?? [])], where) : null;
  if (changes.proxy || wrapped) {
    // The launch argv as a whole: arg knobs go to the server's own arguments (after `--` in a wrapper).
    const server = wrapped?.server ?? [entry.command as string, ...((entry.args as string[] | undefined) ?? [])];
    let serverArgs = server.slice(1);
    for (const { flag, value } of changes.args ?? []) serverArgs = setArg(serverArgs, flag, value);
    const launcher = changes.launcher ?? selfArgv();
    const withEnv = editConfigText(text, format, edits, { path, allowCreate: true });
    // Two steps, the server's own arguments and then the wrapper, so that each is one short text edit.
    const withArgs = setEntryArgv(withEnv, format, base, launchArgv([server[0]!, ...serverArgs], wrapped, null, launcher), path);
    return setEntryArgv(withArgs, format, base, launchArgv([server[0]!, ...serverArgs], wrapped, changes.proxy ?? null, launcher), path);
  }
  if (changes.args?.length) {
    const before = (entry.args as string[] | undefined) ?? [];
    let after = [...before];
    for (const { flag, value } of changes.args) after = setArg(after, flag, value);
    if (entry.args === undefined) edits.push({ pointer: formatPointer([...base, 'args']), value: after });
    else {
      // Item by item, so a multi-line args array keeps its layout and the diff shows one line.
      after.forEach((arg, i) => {
        if (i >= before.length) edits.push({ pointer: formatPointer([...base, 'args', '-']), value: arg });
        else if (arg !== before[i]) edits.push({ pointer: formatPointer([...base, 'args', String(i)]), value: arg });
      });
    }
  }
  return editConfigText(text, format, edits, { path, allowCreate: true });
}
