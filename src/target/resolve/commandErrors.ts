/**
 * Errors for a command that cannot be run, phrased as test/target/resolve/command.test.ts checks: "not found" and
 * "not executable" are distinct, both exit 2, and both name where the command came from.
 */
import { UsageError } from '../../errors.js';
import { isDirectory } from './fsProbe.js';
import { lookupCommand, type CommandLookup, type LookupOptions } from './which.js';

/** Look `cmd` up and return its absolute path, or throw a UsageError naming `from`. */
export function requireCommand(cmd: string, opts: LookupOptions, from: string): string {
  const found = lookupCommand(cmd, opts);
  if (found.kind === 'found') return found.path;
  throw commandError(cmd, found, from);
}

/** The UsageError for a failed lookup. */
export function commandError(cmd: string, lookup: Exclude<CommandLookup, { kind: 'found' }>, from: string): UsageError {
  if (lookup.kind === 'not-executable') {
    return new UsageError(
      `Permission denied: ${lookup.path} is not executable (${from}). ` +
        'Make it executable (chmod +x) or run it through its interpreter, e.g. -- node <file>.',
    );
  }
  // A folder after "--" is a target given in the wrong place: say what to give instead.
  if (cmd.includes('/') && isDirectory(lookup.searched[0]!)) {
    const what = from.includes('--')
      ? `To measure the server in that folder, give the folder as the target, without "--" (as in mcp-opt analyze ${cmd}); ` +
        `or give its command after "--", e.g. -- node ${cmd.replace(/\/+$/, '')}/server.js.`
      : 'Name the server\'s executable there, or its interpreter and file (e.g. node server.js).';
    return new UsageError(`${cmd} (${from}) is a folder, not a command. ${what}`);
  }
  const hint = cmd.includes('/')
    ? `No file at ${lookup.searched[0]}; check the path.`
    : `It is not in any PATH folder (${lookup.searched.length} searched); install it or give its full path.`;
  return new UsageError(`Command not found: ${cmd} (${from}). ${hint}`);
}
