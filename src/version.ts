/**
 * mcp-opt's own name and version, read once from package.json (no import of the JSON module so that
 * `mcp-opt --version` stays one small file read).
 */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/** Package name. */
export const TOOL_NAME: string = pkg.name;
/** Package version. */
export const TOOL_VERSION: string = pkg.version;
