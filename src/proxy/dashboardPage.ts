/**
 * GET /dashboard: one self-contained page (no network but its own /dashboard.json, no external
 * script, style or font) that polls /dashboard.json every second and shows it. Everything the
 * server or a client chose (tool names, error classes, the server's name) arrives as JSON and is
 * inserted with textContent, never as markup (OWASP XSS cheat sheet, "safe sinks"), as the HTML
 * report escapes every such string (reporters/html/escape.ts). Its CSP allows the page's own
 * script and style by hash rather than 'unsafe-inline', as the report's does for its style: an
 * injected <script> or style attribute would not run even if markup ever slipped in.
 */
import { createHash } from 'node:crypto';
import { TOOL_ROWS } from './liveWindow.js';

/** The page's style sheet (the CSP hash covers every byte of it). */
const STYLE = `
:root{color-scheme:light;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#fff}
body{max-width:1100px;margin:0 auto;padding:20px}
h1{font-size:20px;margin:0}h2{font-size:16px;margin:24px 0 6px;border-bottom:2px solid #e5e7eb;padding-bottom:3px}
.note{color:#4b5563;font-size:13px;margin:4px 0}.stale .note#status{color:#b91c1c}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px 14px;margin:10px 0}
.figures div{border-left:3px solid #e5e7eb;padding-left:8px}.figures dt{font-size:12px;color:#6b7280}
.figures dd{margin:0;font-size:20px;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:0 24px}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border-bottom:1px solid #e5e7eb;padding:3px 8px;text-align:left;overflow-wrap:anywhere}
th{background:#f9fafb;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.empty{color:#6b7280}td.firing{color:#fff;background:#b91c1c;font-weight:600}td.ok{color:#15803d}
td.ready{color:#15803d}td.starting,td.draining{color:#b45309}
`;

/** The page's script: poll, then put each figure in place as text. */
const SCRIPT = `
'use strict';
(() => {
  const byId = (id) => document.getElementById(id);
  const num = (v, digits) => (v === null || v === undefined ? '\\u2013' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits }));
  const set = (id, text) => { byId(id).textContent = text; };
  const cell = (text, cls) => ({ text: String(text), cls: cls || '' });
  const fill = (id, rows, empty) => {
    const body = byId(id);
    const trs = rows.map((cells) => {
      const tr = document.createElement('tr');
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = c.text;
        if (c.cls) td.className = c.cls;
        tr.appendChild(td);
      }
      return tr;
    });
    if (trs.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = body.parentElement.querySelectorAll('th').length;
      td.className = 'empty';
      td.textContent = empty;
      tr.appendChild(td);
      trs.push(tr);
    }
    body.replaceChildren(...trs);
  };
  const render = (d) => {
    const w = d.window;
    const lat = w.latencyMs;
    const name = [d.server.name, d.server.version].filter((s) => s).join(' ');
    set('server', name ? name + (d.server.era ? ' (' + d.server.era + ' era)' : '') : 'server not ready');
    document.title = 'mcp-opt proxy' + (d.server.name ? ' \\u2014 ' + d.server.name : '');
    set('window', num(w.windowS, 0));
    set('rps', num(w.rps, 1));
    set('received', num(w.received, 0));
    set('p50', num(lat && lat.p50, 2));
    set('p95', num(lat && lat.p95, 2));
    set('p99', num(lat && lat.p99, 2));
    set('errors', d.errorPct === null ? '\\u2013' : num(d.errorPct, 2) + ' %');
    set('hit-ratio', d.cacheHitRatio === null ? '\\u2013' : num(100 * d.cacheHitRatio, 1) + ' %');
    set('coalesced', num(w.cache.coalesced, 0));
    set('queue', num(w.queueDepth, 0));
    set('inflight', num(w.inflight, 0));
    set('sessions', num(w.sessions, 0));
    fill('alerts', d.alerts.map((a) => [
      cell(a.alert),
      a.firing ? cell('firing since ' + new Date(a.sinceMs).toLocaleTimeString(), 'firing') : cell('ok', 'ok'),
      cell(a.value === null ? '\\u2013' : num(a.value, 2) + (a.unit === 'pct' ? ' %' : ' ' + a.unit), 'num'),
      cell(a.samples + ' / ' + a.minSamples, 'num'),
    ]), 'no --alert given');
    const classes = Object.entries(w.byClass).sort((a, b) => b[1] - a[1]);
    fill('classes', classes.map(([cls, n]) => [cell(cls), cell(num(n, 0), 'num')]), 'no errors');
    fill('instances', d.instances.map((i) => [
      cell(i.slot, 'num'), cell(i.state, i.state), cell(i.pid === null ? '\\u2013' : i.pid, 'num'), cell(num(i.served, 0), 'num'),
    ]), 'no instance');
    fill('tools', w.tools.map((t) => [cell(t.tool), cell(num(t.requests, 0), 'num'), cell(num(t.p95Ms, 2), 'num'), cell(num(t.errors, 0), 'num')]), 'no tools/call yet');
  };
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const res = await fetch('dashboard.json', { cache: 'no-store' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      render(await res.json());
      set('status', 'updated ' + new Date().toLocaleTimeString());
      document.body.classList.remove('stale');
    } catch (err) {
      set('status', 'no answer from the proxy (' + err.message + '); trying again every second');
      document.body.classList.add('stale');
    } finally {
      busy = false;
    }
  };
  void poll();
  setInterval(poll, 1000);
})();
`;

/** 'sha256-…' of a text, as a CSP source. */
const hashSource = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The page's policy: nothing loads but its own JSON (connect-src 'self') and its empty data: icon,
 * only its own script and style run (by hash), no <base> or form can send anything elsewhere.
 */
export const DASHBOARD_CSP = `default-src 'none'; script-src ${hashSource(SCRIPT)}; style-src ${hashSource(STYLE)}; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'`;

/** A card of one figure. */
const figure = (id: string, label: string): string => `<div><dt>${label}</dt><dd id="${id}">\u2013</dd></div>`;
/** A table with its head and an empty body to fill. */
const table = (id: string, heads: readonly string[]): string =>
  `<table><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody id="${id}"></tbody></table>`;

/** The whole page (the same bytes every time: nothing of the proxy's data is in it). */
export const DASHBOARD_HTML = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
  `<meta http-equiv="Content-Security-Policy" content="${DASHBOARD_CSP}">` +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  // An empty icon, so the browser does not ask for /favicon.ico (which the CSP would refuse, with a console error).
  '<link rel="icon" href="data:,">' +
  `<title>mcp-opt proxy</title><style>${STYLE}</style></head><body>` +
  '<header><h1>mcp-opt proxy: <span id="server">connecting\u2026</span></h1>' +
  '<p class="note">Figures over the last <span id="window">\u2013</span> s (a sliding window, by the second; latency is queue wait + service time of requests an instance answered), refreshed every second. <span id="status"></span></p></header>' +
  '<dl class="figures">' +
  figure('rps', 'requests / s') + figure('received', 'requests in window') + figure('p50', 'p50 latency, ms') + figure('p95', 'p95 latency, ms') +
  figure('p99', 'p99 latency, ms') + figure('errors', 'errors') + figure('hit-ratio', 'cache hit ratio') + figure('coalesced', 'coalesced requests') +
  figure('queue', 'queue depth') + figure('inflight', 'in flight') + figure('sessions', 'sessions') +
  '</dl>' +
  '<h2>Alerts</h2>' + table('alerts', ['alert', 'state', 'value', 'samples / needed']) +
  '<div class="cols"><section><h2>Errors by class</h2>' + table('classes', ['class', 'count']) + '</section>' +
  '<section><h2>Instances</h2>' + table('instances', ['slot', 'state', 'pid', 'served']) + '</section></div>' +
  `<h2>Tools (top ${TOOL_ROWS} by requests)</h2>` + table('tools', ['tool', 'requests', 'p95, ms', 'errors']) +
  `<script>${SCRIPT}</script></body></html>\n`;
