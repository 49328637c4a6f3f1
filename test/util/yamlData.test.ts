import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { yamlToData } from '../../src/util/yamlData.js';

/** Nine-fold nesting `depth` deep. */
function laughs(depth: number): string {
  const names = 'abcdefghij';
  const lines = [`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i < depth; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

describe('yamlToData', () => {
  it('expands the few aliases a config uses', () => {
    const doc = parseDocument('base: &b { timeout: 5s }\ndev: *b\nprod: *b\n');
    expect(yamlToData(doc, 'cfg.yaml')).toEqual({ base: { timeout: '5s' }, dev: { timeout: '5s' }, prod: { timeout: '5s' } });
  });

  it('refuses a billion-laughs document (9^7 nodes expanded) with a UsageError naming the file', () => {
    expect(() => yamlToData(parseDocument(laughs(7)), 'bomb.yaml')).toThrow(UsageError);
    expect(() => yamlToData(parseDocument(laughs(7)), 'bomb.yaml')).toThrow(/^bomb\.yaml: its aliases expand past 100 uses/);
  });
});
