/** How an HTTP error that is not a JSON-RPC error is summarised: status, type, visible text; never markup. */
import { describe, expect, it } from 'vitest';
import { httpSummary, visibleText } from '../../src/target/http/wire.js';

const EXPRESS_404 = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot POST /wrong</pre>\n</body>\n</html>\n';

describe('httpSummary', () => {
  it('turns an Express 404 page into one line of its visible text', () => {
    expect(httpSummary(404, 'text/html; charset=utf-8', EXPRESS_404)).toBe('HTTP 404 (text/html): "Cannot POST /wrong"');
  });

  it('says when there is no text, and leaves the type out when there is none', () => {
    expect(httpSummary(502, '', '')).toBe('HTTP 502: (no text)');
    expect(httpSummary(404, 'text/html', '<html><body></body></html>')).toBe('HTTP 404 (text/html): (no text)');
  });
});

describe('visibleText', () => {
  it('drops scripts, styles, comments and tags, and keeps escaped angle brackets escaped', () => {
    const page = '<html><head><style>p{}</style></head><body><script>alert(1)</script><!-- x --><h1>Not&nbsp;Found</h1><p>a &lt;b&gt; &amp; c</p></body></html>';
    expect(visibleText(page)).toBe('Not Found a &lt;b&gt; & c');
  });

  it('removes control and bidi-override characters and an unclosed tag cut off at the end', () => {
    expect(visibleText('bad\u001b[2J\u0007 \u202egnirts\u202c<div class="x')).toBe('bad [2J gnirts');
  });

  it('cuts long text at a word, near the limit', () => {
    const t = visibleText('word '.repeat(100), 20);
    expect(t).toBe('word word word word…');
  });
});
