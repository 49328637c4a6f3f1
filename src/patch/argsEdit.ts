/**
 * Setting a flag in a server's argv (`args` in an MCP client config), whichever of the two
 * spellings the user wrote: `--flag=value` or `--flag value`.
 */

/** A copy of `args` with `flag` set to `value`: replaces `flag=…` or the word after `flag`, else appends `flag=value`. */
export function setArg(args: readonly string[], flag: string, value: string): string[] {
  const out = [...args];
  const joined = out.findIndex((a) => a.startsWith(`${flag}=`));
  if (joined >= 0) {
    out[joined] = `${flag}=${value}`;
    return out;
  }
  const split = out.indexOf(flag);
  if (split >= 0 && split + 1 < out.length) {
    out[split + 1] = value;
    return out;
  }
  // A bare flag at the end (a boolean switch) is left alone; the value form is appended.
  out.push(`${flag}=${value}`);
  return out;
}
