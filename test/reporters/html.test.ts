/**
 * The HTML report without a browser: the CSP allows exactly the page's style sheet, the embedded
 * JSON cannot end its script element, and escapeHtml neutralises every character HTML gives
 * meaning to (plus control and bidi characters).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from '../../src/reporters/html/index.js';
import { jsonForScript } from '../../src/reporters/html/escape.js';
import { realAnalyze, realBench, XSS, xssAnalyze } from './htmlResults.js';
import { single } from './reportResults.js';
import { oneKnobTune } from './tuneResults.js';

describe('renderHtml', () => {
  const html = renderHtml(single('reports/bench.json', realBench()));

  it('sets a CSP meta whose style hash is the sha256 of the exact <style> text', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    expect(style).toBeDefined();
    expect(html.match(/<style>/g)).toHaveLength(1);
    const hash = createHash('sha256').update(style!, 'utf8').digest('base64');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    expect(csp).toBe(`default-src 'none'; style-src 'sha256-${hash}'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'`);
  });

  it('embeds the input as JSON with no "<" and parses back to the input', () => {
    const input = single('x.json', xssAnalyze());
    const page = renderHtml(input);
    const json = /<script type="application\/json" id="mcp-opt-data">([\s\S]*?)<\/script>/.exec(page)?.[1];
    expect(json).toBeDefined();
    expect(json).not.toContain('<');
    expect(JSON.parse(json!)).toEqual(JSON.parse(JSON.stringify(input)));
    expect(jsonForScript({ s: '</script>\u2028\u2029' })).toBe('{"s":"\\u003c/script\\u003e\\u2028\\u2029"}');
  });

  it("times an HTTP target's cold-start chart from connect, a launched server's from spawn", () => {
    const http = realAnalyze();
    http.coldStart!.mode = 'session';
    expect(renderHtml(single('x.json', http))).toContain('ms since connect');
    expect(renderHtml(single('x.json', http))).not.toContain('ms since spawn');
    expect(renderHtml(single('x.json', realAnalyze()))).toContain('ms since spawn');
  });

  it('never writes a hostile server string unescaped', () => {
    const page = renderHtml(single('x.json', xssAnalyze()));
    const outsideJson = page.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '');
    expect(outsideJson).not.toContain(XSS.tool);
    expect(outsideJson).not.toContain(XSS.server);
    expect(outsideJson).not.toMatch(/<(script|img)\b/i);
    // No tag carries an event handler, a link or a source (the hostile text stays text).
    expect(outsideJson).not.toMatch(/<[^>]*\s(on\w+|href|src)=/i);
    expect(outsideJson).toContain(escapeHtml(XSS.tool));
  });

  it('draws the bench charts from the decoded histograms', () => {
    for (const chart of ['latency-spectrum', 'latency-timeline', 'throughput-timeline', 'operations']) expect(html).toContain(`data-chart="${chart}"`);
    // 41 grid points per line when the histogram decodes, 6 summary points when it does not.
    const spectrum = /data-chart="latency-spectrum"[\s\S]*?<\/figure>/.exec(html)![0];
    expect(spectrum.match(/<circle class="mark dot s0"/g)).toHaveLength(41);
    const fallback = realBench();
    fallback.latency = { ...fallback.latency!, hdr: 'not base64 at all' };
    fallback.serviceTime = { ...fallback.serviceTime!, hdr: '' };
    const page = renderHtml(single('b.json', fallback));
    const fb = /data-chart="latency-spectrum"[\s\S]*?<\/figure>/.exec(page)![0];
    expect(fb.match(/<circle class="mark dot s0"/g)).toHaveLength(6);
    expect(fb.match(/<circle class="mark dot s1"/g)).toHaveLength(6);
  });
});

describe('escapeHtml', () => {
  it('escapes & < > " and \'', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(escapeHtml('<img src=x onerror="alert(1)">')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it('strips control, terminal-escape and bidi characters', () => {
    expect(escapeHtml('a\u202Eb\u2066c\u2069d\u0000e\u001b[31mf\u0007')).toBe('abcdef');
  });

  it('renders null and numbers as text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(12.5)).toBe('12.5');
  });
});

describe('renderHtml of a tune model', () => {
  it('draws the USL curve of a predictive fit, and none for a fit too poor to predict', () => {
    const good = renderHtml(single('tune.json', oneKnobTune()));
    expect(good).toContain('<title>USL fit</title>');
    const poor = oneKnobTune();
    poor.model = { ...poor.model!, r2: 0.31, peakN: null, peakThroughput: null, predictive: false, reading: 'Throughput does not follow the Universal Scalability Law against WORKERS (best fit R² 0.31, below 0.8), so no peak or trend is predicted.' };
    const page = renderHtml(single('tune.json', poor));
    expect(page).not.toContain('<title>USL fit</title>');
    expect(page).toContain('so no peak or trend is predicted');
  });
});
