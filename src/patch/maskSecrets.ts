/**
 * The text of a config as `tune --apply` shows it in a diff: every `env` and `headers` value of an
 * MCP client config's entries, secret-looking `args` (argvSecrets.ts) and every .env value shown
 * as `***`, keys kept, so the context lines around a change never print a neighbour's token.
 * Values the recommendation writes stay visible: they are the change, and they came from the
 * tune's own knobs. The file itself is written unmasked; this text is for display only.
 */
import { maskArgv, MASK } from '../target/argvSecrets.js';
import { editConfigText } from './editText.js';
import type { ValueChange } from './valueChange.js';
import { parseConfigText, type ConfigFormat } from './formats.js';
import { formatPointer } from './jsonPointer.js';

/** What stays visible: the entry being edited and the env names the recommendation sets. */
export interface ShownValues {
  /** Name of the client config entry the recommendation edits (undefined: none). */
  serverName?: string;
  /** Env names whose values are written (visible in that entry, or in a .env file). */
  envNames: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `text` with the secrets of a client config or .env file masked (other files unchanged). */
export function maskConfigSecrets(text: string, format: ConfigFormat, shown: ShownValues, path: string): string {
  const doc = parseConfigText(text, format, path);
  const keep = new Set(shown.envNames);
  const changes: ValueChange[] = [];
  if (format === 'env') {
    for (const [name, value] of Object.entries(doc as Record<string, string>)) {
      if (!keep.has(name) && value !== MASK) changes.push({ pointer: formatPointer([name]), value: MASK });
    }
  } else if (isObject(doc)) {
    for (const container of ['mcpServers', 'servers'] as const) {
      const servers = doc[container];
      if (!isObject(servers)) continue;
      for (const [name, entry] of Object.entries(servers)) {
        if (!isObject(entry)) continue;
        const edited = name === shown.serverName;
        for (const field of ['env', 'headers'] as const) {
          const map = entry[field];
          if (!isObject(map)) continue;
          for (const [key, value] of Object.entries(map)) {
            if (value === null || isObject(value) || Array.isArray(value) || value === MASK) continue;
            if (edited && field === 'env' && keep.has(key)) continue;
            changes.push({ pointer: formatPointer([container, name, field, key]), value: MASK });
          }
        }
        if (Array.isArray(entry.args) && entry.args.every((a) => typeof a === 'string')) {
          const args = entry.args as string[];
          const display = maskArgv([String(entry.command ?? ''), ...args]).display.slice(1);
          display.forEach((shownArg, i) => {
            if (shownArg !== args[i]) changes.push({ pointer: formatPointer([container, name, 'args', String(i)]), value: shownArg });
          });
        }
      }
    }
  }
  return changes.length ? editConfigText(text, format, changes, { path }) : text;
}
