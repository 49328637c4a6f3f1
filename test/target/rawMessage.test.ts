import { describe, expect, it } from 'vitest';
import { replaceRawId } from '../../src/target/rawMessage.js';

/** The splice, checked against what a parse and re-serialisation would give. */
function splice(raw: string, newId: number | string): string | null {
  const parsed = JSON.parse(raw) as { id: unknown };
  const out = replaceRawId(raw, parsed.id, JSON.stringify(newId));
  if (out !== null) expect(JSON.parse(out)).toEqual({ ...parsed, id: newId });
  return out;
}

describe('replaceRawId', () => {
  it('replaces a leading id and keeps every other byte (spacing, 1.0, unknown fields)', () => {
    const raw = '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"x":1.0,"id":9}},"extra":  true}';
    expect(splice(raw, 123)).toBe(raw.replace('"id":5', '"id":123'));
  });

  it('replaces a trailing id (the TypeScript SDK writes it last), also behind nested "id" keys', () => {
    const raw = `{"result":{"items":[{"id":1},{"id":2}],"text":"${'x'.repeat(2000)}"},"jsonrpc":"2.0","id":77}`;
    expect(splice(raw, 4)).toBe(raw.replace('"id":77}', '"id":4}'));
  });

  it('replaces string ids, escapes included, and puts a string id in', () => {
    expect(splice('{"jsonrpc":"2.0","id":"a\\"b\\\\","method":"ping"}', 3)).toBe('{"jsonrpc":"2.0","id":3,"method":"ping"}');
    expect(splice('{"jsonrpc":"2.0","id":3,"result":{}}', 'req-"1"')).toBe('{"jsonrpc":"2.0","id":"req-\\"1\\"","result":{}}');
  });

  it('is not fooled by "id": inside a string or a key that ends in an escaped quote', () => {
    const raw = '{"jsonrpc":"2.0","method":"x","params":{"q":"\\"id\\":5","a\\"id":5},"id":5}';
    expect(splice(raw, 8)).toBe(raw.replace(/"id":5}$/, '"id":8}'));
    const inString = '{"jsonrpc":"2.0","params":{"text":"say \\"id\\": 1"},"id":1}';
    expect(splice(inString, 2)).toBe(inString.replace(/"id":1}$/, '"id":2}'));
  });

  it('gives up (null: serialise instead) when the id is not found cheaply or does not read back as the parsed one', () => {
    // Whitespace before the colon.
    expect(replaceRawId('{"jsonrpc":"2.0","id" : 5,"method":"ping"}', 5, '6')).toBeNull();
    // The top-level id in the middle, behind a long nested object holding "id" keys.
    const middle = `{"params":{"id":1,"pad":"${'x'.repeat(1000)}"},"id":5,"tail":"${'y'.repeat(1000)}"}`;
    expect(replaceRawId(middle, 5, '6')).toBeNull();
    // Only nested ids: the message has none of its own.
    expect(replaceRawId('{"jsonrpc":"2.0","method":"n","params":{"id":5}}', undefined, '6')).toBeNull();
    // The parser saw another id (a number spelled as a string is not the number).
    expect(replaceRawId('{"jsonrpc":"2.0","id":"5","result":{}}', 5, '6')).toBeNull();
    expect(replaceRawId('{"jsonrpc":"2.0","id":null,"error":{}}', null, '6')).toBeNull();
    // Duplicate top-level ids (a parser keeps the last): splicing one would leave the other for the peer to read.
    expect(replaceRawId('{"jsonrpc":"2.0","id":5,"method":"ping","params":{"id":1},"id":5}', 5, '6')).toBeNull();
    expect(replaceRawId(`{"id":5,"params":{"text":"${'x'.repeat(2000)}"},"id":5,"jsonrpc":"2.0","method":"ping"}`, 5, '6')).toBeNull();
  });

  it('agrees with JSON.parse + JSON.stringify on generated messages', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const value = (depth: number): unknown => {
      const k = rnd(depth > 2 ? 3 : 6);
      if (k === 0) return rnd(1000) - 500;
      if (k === 1) return ['id', '"id":1', 'a\\"b', '{[', 'x'.repeat(rnd(40))][rnd(5)];
      if (k === 2) return rnd(2) === 0;
      if (k === 3) return Array.from({ length: rnd(4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, (_, i) => [['id', 'x', 'y"', 'params'][(i + rnd(4)) % 4]!, value(depth + 1)]));
    };
    for (let n = 0; n < 500; n++) {
      const id = rnd(3) === 0 ? `s${rnd(100)}` : rnd(100000);
      const body = { result: value(0), params: value(0) };
      const order = rnd(2) === 0 ? { jsonrpc: '2.0', id, ...body } : { ...body, jsonrpc: '2.0', id };
      const raw = JSON.stringify(order);
      const out = replaceRawId(raw, id, '424242');
      // Every generated message is short: the splice must find its id.
      expect(out).not.toBeNull();
      expect(JSON.parse(out!)).toEqual({ ...order, id: 424242 });
    }
  });
});
