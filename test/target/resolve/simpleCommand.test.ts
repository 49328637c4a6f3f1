import { describe, expect, it } from 'vitest';
import { splitSimpleCommand } from '../../../src/target/resolve/simpleCommand.js';

describe('splitSimpleCommand', () => {
  it.each([
    ['node dist/index.js', ['node', 'dist/index.js']],
    ['  node   server.js  --port=0 ', ['node', 'server.js', '--port=0']],
    [`node "src/my server.js" --name 'a b'`, ['node', 'src/my server.js', '--name', 'a b']],
    [`node --title="it's" '$HOME' "say \\"hi\\""`, ['node', `--title=it's`, '$HOME', 'say "hi"']],
    ['node a\\ b.js', ['node', 'a b.js']],
    ['tsx src/index.ts', ['tsx', 'src/index.ts']],
    [`node ''`, ['node', '']],
    ['node --x=a=b', ['node', '--x=a=b']],
  ])('%s → argv', (script, argv) => {
    expect(splitSimpleCommand(script)).toEqual({ argv });
  });

  it.each([
    ['npm run build && node dist/index.js', '"&"'],
    ['node a.js || true', '"|"'],
    ['node a.js | tee log', '"|"'],
    ['node a.js; echo done', '";"'],
    ['node a.js > out.log', 'redirect'],
    ['node a.js < in', 'redirect'],
    ['node $SERVER', 'expansion'],
    ['node "$SERVER"', 'inside double quotes'],
    ['node `which server`', 'backtick'],
    ['node $(which server)', 'expansion'],
    ['node dist/*.js', 'glob'],
    ['node ~/server.js', 'home directory'],
    ['NODE_ENV=production node server.js', 'environment assignment'],
    ['node a.js &', '"&"'],
    ['node a.js\nnode b.js', 'newline'],
    ['node a\\\nb.js', 'line continuation'],
    ['node "unterminated', 'unterminated double quote'],
    ["node 'unterminated", 'unterminated single quote'],
    ['', 'empty'],
    ['# comment', 'comment'],
    ['(node a.js)', 'subshell'],
  ])('%j is not simple (%s)', (script, reason) => {
    const result = splitSimpleCommand(script);
    expect('reason' in result && result.reason).toContain(reason);
  });
});
