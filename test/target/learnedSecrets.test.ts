/**
 * Session ids a server assigns mid-run are redacted like configured secrets, also by a Redactor
 * built before the id was learned (runCommand builds one before the transport opens).
 */
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/result/redact.js';
import { learnSecret, learnedSecrets } from '../../src/target/learnedSecrets.js';

describe('learned secrets', () => {
  it('a Redactor built earlier masks an id learned later, longest secrets first', () => {
    const r = new Redactor(['given-secret-value']);
    const id = `sess-${Math.random().toString(36).slice(2)}-long`;
    expect(r.text(`session ${id} expired`)).toBe(`session ${id} expired`);
    learnSecret(id);
    learnSecret(`${id}-x`);
    expect(r.text(`session ${id} expired; ${id}-x too; given-secret-value`)).toBe('session *** expired; *** too; ***');
    expect(r.value({ reason: `quota of ${id}` })).toEqual({ reason: 'quota of ***' });
  });

  it('counts a secret once and ignores the empty string', () => {
    const v = learnedSecrets().version;
    const id = `once-${Math.random().toString(36).slice(2)}`;
    learnSecret(id);
    learnSecret(id);
    learnSecret('');
    expect(learnedSecrets().version).toBe(v + 1);
    expect(learnedSecrets().values.has(id)).toBe(true);
  });
});
