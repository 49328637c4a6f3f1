import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, DASHBOARD_HTML } from '../../src/proxy/dashboardPage.js';

/** The text of the page's one element of this tag. */
function only(tag: string): string {
  const all = [...DASHBOARD_HTML.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))];
  expect(all, tag).toHaveLength(1);
  return all[0]![1]!;
}
const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('the dashboard page', () => {
  it('sets a CSP that lets only its own script and style run (by hash) and connect only to itself', () => {
    expect(DASHBOARD_HTML).toContain(`<meta http-equiv="Content-Security-Policy" content="${DASHBOARD_CSP}">`);
    expect(DASHBOARD_CSP).toBe(`default-src 'none'; script-src ${sha256(only('script'))}; style-src ${sha256(only('style'))}; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'`);
  });

  it('loads nothing from elsewhere: no external script, style, font or URL', () => {
    expect(DASHBOARD_HTML).not.toMatch(/https?:\/\//);
    expect(DASHBOARD_HTML).not.toMatch(/<script [^>]*src|<link rel="stylesheet"|@import|@font-face|url\(/);
    expect([...DASHBOARD_HTML.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1])).toEqual(['data:,']);
  });

  it('inserts data as text only: no HTML sinks in its script', () => {
    const script = only('script');
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'setAttribute']) expect(script, sink).not.toContain(sink);
    expect(script).toContain('textContent');
    expect(script).toContain("fetch('dashboard.json'");
  });
});
