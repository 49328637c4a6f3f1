/**
 * The report's only style sheet, and its CSP hash. The page allows exactly this text
 * (style-src 'sha256-…'), so no injected <style> or style attribute could apply; SVG colours come
 * from classes here through one custom property, --c, set by the series class (s0…s3, p50…).
 */
import { createHash } from 'node:crypto';

/** The exact text of the page's <style> element (the CSP hash covers every byte of it). */
export const REPORT_STYLE = `
:root{color-scheme:light;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#fff}
body{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:2px solid #e5e7eb;padding-bottom:4px}h3{font-size:15px;margin:20px 0 8px}
table{border-collapse:collapse;margin:8px 0 12px;font-size:13px;width:100%}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f9fafb;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{margin:0;font-size:12px;white-space:pre-wrap}
table.profile-stacks td:not(:first-child){white-space:nowrap}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:6px 16px;margin:8px 0}
.figures div{border-left:3px solid #e5e7eb;padding-left:8px}.figures dt{font-size:12px;color:#6b7280}.figures dd{margin:0;overflow-wrap:anywhere}
.note{color:#4b5563;font-size:13px}
.badge{display:inline-block;border-radius:9px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;background:#6b7280;white-space:nowrap}
.badge.pass,.badge.improved{background:#15803d}.badge.fail,.badge.regressed,.badge.critical,.badge.incomplete{background:#b91c1c}
.badge.warning{background:#b45309}.badge.info{background:#1d4ed8}.badge.unchanged{background:#6b7280}
.banner{border:2px solid #b91c1c;background:#fef2f2;padding:8px 12px;margin:8px 0}
.findings{list-style:none;padding:0}.finding{border-left:4px solid #6b7280;padding:4px 12px;margin:8px 0}
.finding.critical{border-color:#b91c1c}.finding.warning{border-color:#b45309}.finding.info{border-color:#1d4ed8}
.finding p{margin:2px 0}.finding .meta{font-size:12px;color:#6b7280}
figure.chart{margin:12px 0}figure.chart svg{width:100%;height:auto;display:block}figcaption{font-size:12px;color:#4b5563}
svg text{font-size:11px;fill:#374151}svg .axis-label{font-size:12px;fill:#111827}svg .rule-label{fill:#b91c1c}
.axis{stroke:#6b7280}.grid{stroke:#eef0f3}.rule{stroke:#b91c1c;stroke-dasharray:6 4}
.s0{--c:#2563eb}.s1{--c:#ea580c}.s2{--c:#9333ea}.s3{--c:#0d9488}.p50{--c:#111827}.p95{--c:#dc2626}.outlier{--c:#f59e0b}
.line,.swatch-line{fill:none;stroke:var(--c);stroke-width:2}.dashed{stroke-dasharray:7 4}
.dot,.bar,.swatch-dot,.swatch-bar{fill:var(--c)}.dot{fill-opacity:.85}
.marker{stroke:var(--c);stroke-width:2.5}
.band{fill:#94a3b8;fill-opacity:.2}.winner{fill:none;stroke:#16a34a;stroke-width:2.5}
.cross,.swatch-cross{fill:none;stroke:#dc2626;stroke-width:2.5}
@media print{body{max-width:none;padding:0}section,figure{break-inside:avoid}}
`;

/** The CSP source allowing REPORT_STYLE: 'sha256-<base64 of its UTF-8 bytes>'. */
export const STYLE_HASH_SOURCE = `'sha256-${createHash('sha256').update(REPORT_STYLE, 'utf8').digest('base64')}'`;
