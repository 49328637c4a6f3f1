/**
 * How mcp-opt launches itself: the node running it and the absolute path of its bin/mcp-opt.js.
 * tune spawns `mcp-opt proxy` this way for each point of --via-proxy, and `tune --apply` writes
 * the same argv into an MCP client config's wrapper entry.
 *
 * Absolute paths rather than `npx -y mcp-opt` or a bare `mcp-opt`: clients launched from a
 * desktop (Claude Desktop, Cursor, VS Code) start servers with their own, often minimal PATH, in
 * which nvm's or volta's node, npx and global bins are missing (the server then fails with
 * ENOENT); npx would also fetch from the registry on a cold cache (seconds added to every cold
 * start) and run whatever package holds that name. The paths name exactly the mcp-opt that
 * measured the settings, with no network at launch.
 */
import { fileURLToPath } from 'node:url';

/** bin/mcp-opt.js of this package: src/ and dist/ both sit one level below the package root. */
const BIN_PATH = fileURLToPath(new URL('../bin/mcp-opt.js', import.meta.url));

/** The argv prefix that runs this mcp-opt: `node /abs/path/bin/mcp-opt.js`. */
export function selfArgv(): string[] {
  return [process.execPath, BIN_PATH];
}
