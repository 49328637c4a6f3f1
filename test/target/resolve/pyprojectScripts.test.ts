import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPyprojectScripts } from '../../../src/target/resolve/pyprojectScripts.js';
import { fx } from './support.js';

describe('readPyprojectScripts (TOML subset)', () => {
  it('reads [project] name and [project.scripts] in order, ignoring other tables and multi-line strings', () => {
    const parsed = readPyprojectScripts(readFileSync(fx('python-pyproject/pyproject.toml'), 'utf8'));
    expect(parsed).toEqual({
      projectName: 'weather-mcp',
      scripts: [
        ['weather-admin', 'weather_mcp.admin:main'],
        ['weather-mcp', 'weather_mcp.server:main'],
      ],
    });
  });

  it('accepts literal strings, quoted keys, spaced dotted headers, comments and CRLF', () => {
    const text = "[ project . scripts ]  # console scripts\r\n'my srv' = 'pkg.cli:run'\r\nother=\"a.b:c\" # trailing\r\n[[tool.x]]\r\nname = \"no\"\r\n";
    expect(readPyprojectScripts(text)).toEqual({ scripts: [['my srv', 'pkg.cli:run'], ['other', 'a.b:c']] });
  });

  it('skips lines it does not understand instead of misreading them', () => {
    const text = '[project.scripts]\nbad = ["array"]\nok = "m:f"\nnum = 3\n';
    expect(readPyprojectScripts(text).scripts).toEqual([['ok', 'm:f']]);
  });
});
