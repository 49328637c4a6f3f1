/**
 * Text from a server (stderr lines, error messages, tool names) made safe to print: a server must
 * not be able to move the cursor, retitle the terminal or reorder text with bidi controls through
 * mcp-opt's output. Used by target/ for what it keeps, and by reporters and the CLI for what they print.
 */

/** Remove ANSI/OSC escape sequences and other control characters (terminal-safe text). */
export function stripControl(text: string): string {
  return text
    .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g, '')
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}
