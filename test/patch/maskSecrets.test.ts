import { describe, expect, it } from 'vitest';
import { maskConfigSecrets } from '../../src/patch/maskSecrets.js';

const client = `{
  // Claude Desktop
  "mcpServers": {
    "github": { "command": "npx", "args": ["-y", "srv", "--token", "ghp_neighbour"], "env": { "GITHUB_TOKEN": "ghp_secret", "DEBUG": "1" } },
    "remote": { "url": "https://x.example/mcp", "headers": { "Authorization": "Bearer rem_secret" } },
    "pool": { "command": "node", "args": ["tunable.mjs"], "env": { "WORKERS": "1", "API_KEY": "pool_secret" } }
  }
}
`;

describe('maskConfigSecrets', () => {
  it('masks every env and headers value and secret args of a client config, keeping keys and layout; the tuned env names stay visible', () => {
    const masked = maskConfigSecrets(client, 'jsonc', { serverName: 'pool', envNames: ['WORKERS'] }, 'claude.json');
    expect(masked).toBe(`{
  // Claude Desktop
  "mcpServers": {
    "github": { "command": "npx", "args": ["-y", "srv", "--token", "***"], "env": { "GITHUB_TOKEN": "***", "DEBUG": "***" } },
    "remote": { "url": "https://x.example/mcp", "headers": { "Authorization": "***" } },
    "pool": { "command": "node", "args": ["tunable.mjs"], "env": { "WORKERS": "1", "API_KEY": "***" } }
  }
}
`);
  });

  it('keeps a tuned env name visible only in the entry being edited', () => {
    const text = '{"servers": {"a": {"env": {"WORKERS": "2"}}, "b": {"env": {"WORKERS": "9"}}}}';
    expect(maskConfigSecrets(text, 'jsonc', { serverName: 'b', envNames: ['WORKERS'] }, 'mcp.json'))
      .toBe('{"servers": {"a": {"env": {"WORKERS": "***"}}, "b": {"env": {"WORKERS": "9"}}}}');
  });

  it('masks YAML client configs and .env files the same way', () => {
    const yaml = 'mcpServers:\n  db:\n    command: node\n    env:\n      DATABASE_URL: postgres://u:pw@h/db # prod\n  pool:\n    command: node\n    env:\n      WORKERS: "1"\n';
    expect(maskConfigSecrets(yaml, 'yaml', { serverName: 'pool', envNames: ['WORKERS'] }, 'c.yaml'))
      .toBe('mcpServers:\n  db:\n    command: node\n    env:\n      DATABASE_URL: "***" # prod\n  pool:\n    command: node\n    env:\n      WORKERS: "1"\n');
    expect(maskConfigSecrets('# s\nAPI_KEY=sk-123\nWORKERS=1\n', 'env', { envNames: ['WORKERS'] }, '.env')).toBe('# s\nAPI_KEY=***\nWORKERS=1\n');
  });
});
