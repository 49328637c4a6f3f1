/**
 * mcp-opt's own flags written after `--` (`mcp-opt bench -- node s.js --rps 100`): everything after
 * `--` is the server's argv and is passed on unchanged, but a flag mcp-opt would have read there
 * is almost always a mistake, so it is named in a warning.
 */
import { isMcpOptBin, isMcpOptSpec } from '../util/mcpOptBin.js';

/**
 * The warning for the words of `command` (argv after `--`) that are flags of `commandName`
 * (`ownFlags`, e.g. ['--rps', '--duration']); null when there are none. Never quotes the other
 * words: they may hold the server's secrets.
 */
export function ownFlagsAfterDashes(command: readonly string[] | undefined, ownFlags: readonly string[], commandName: string): string | null {
  if (!command) return null;
  // A server launched through mcp-opt itself (`bench -- mcp-opt proxy --pool 4 -- node s.js`):
  // the words after it are that mcp-opt's, which reads them (and warns about its own `--`).
  const inner = command.findIndex((w) => isMcpOptBin(w) || isMcpOptSpec(w));
  const words = inner === -1 ? command : command.slice(0, inner);
  const own = new Set(ownFlags);
  const found = [...new Set(words.filter((w) => w.startsWith('-')).map((w) => w.split('=')[0]!).filter((w) => own.has(w)))];
  if (!found.length) return null;
  const list = found.join(', ');
  const example = found.map((f) => `${f} …`).join(' ');
  return `${list} after -- ${found.length > 1 ? 'were' : 'was'} passed to the server, not read by mcp-opt (everything after -- is the server's command). ` +
    `If ${found.length > 1 ? 'they were' : 'it was'} meant for mcp-opt, write ${found.length > 1 ? 'them' : 'it'} before the --: mcp-opt ${commandName} ${example} -- <server command>.`;
}
