/**
 * HTML building blocks shared by the report's sections: tables, badges, key figures, budgets,
 * findings, warnings. Cells are text by default and escaped here; only a value marked as HTML
 * (built by these helpers from escaped parts) is inserted as is, so forgetting to escape is not
 * possible by omission.
 */
import { SEVERITY_ORDER, type Finding } from '../../result/finding.js';
import { budgetStatus, fmtBudgetValue, type BudgetStatus, type ShownBudget } from '../reportInput.js';
import { escapeHtml as esc } from './escape.js';

/** Markup already made safe by these helpers. */
export interface Html {
  /** The markup, inserted as is. */
  html: string;
}

/** A table cell: text (escaped), a number, null (shown as –) or safe markup. */
export type Cell = string | number | null | undefined | Html;

/** Mark markup built from escaped parts as safe. */
export const markup = (html: string): Html => ({ html });

/** A cell's markup. */
export function cell(c: Cell): string {
  if (c === null || c === undefined) return '–';
  if (typeof c === 'object') return c.html;
  return esc(c);
}

/** A table; numeric columns (those whose cells are numbers) align right through the `num` class. */
export function htmlTable(head: readonly string[], rows: ReadonlyArray<readonly Cell[]>, cls = ''): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td${typeof c === 'number' ? ' class="num"' : ''}>${cell(c)}</td>`).join('')}</tr>`).join('');
  return `<table${cls ? ` class="${esc(cls)}"` : ''}><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A section with a heading; `body` is markup. */
export function section(title: string, body: string, cls = ''): string {
  return `<section class="block${cls ? ` ${esc(cls)}` : ''}"><h3>${esc(title)}</h3>${body}</section>`;
}

/** Kinds of badge, each a CSS class. */
export type BadgeKind = 'pass' | 'fail' | 'critical' | 'warning' | 'info' | 'regressed' | 'improved' | 'unchanged' | 'incomplete';

/** A coloured label. */
export function badge(text: string, kind: BadgeKind): Html {
  return markup(`<span class="badge ${kind}">${esc(text)}</span>`);
}

/** Key figures as a definition list. */
export function figures(pairs: ReadonlyArray<readonly [string, Cell]>): string {
  return `<dl class="figures">${pairs.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${cell(v)}</dd></div>`).join('')}</dl>`;
}

/** A paragraph of text. */
export const para = (text: string, cls = ''): string => `<p${cls ? ` class="${esc(cls)}"` : ''}>${esc(text)}</p>`;

/** Badge text of each budget status. */
const STATUS_TEXT: Record<BudgetStatus, string> = { pass: 'pass', fail: 'fail', missed: 'missed (advice)', unmeasured: 'not measured' };
const STATUS_BADGE: Record<BudgetStatus, BadgeKind> = { pass: 'pass', fail: 'fail', missed: 'warning', unmeasured: 'unchanged' };

/**
 * Budgets with status badges, read as markdown and junit read them (budgetStatus): a missed
 * default target is advice, not a failure. '' when there are none.
 */
export function budgetsBlock(budgets: readonly ShownBudget[], title = 'Budgets'): string {
  if (!budgets.length) return '';
  const failed = budgets.filter((b) => budgetStatus(b) === 'fail').length;
  const rows = budgets.map((s) => {
    const b = s.budget;
    const status = budgetStatus(s);
    return [badge(STATUS_TEXT[status], STATUS_BADGE[status]), b.expression, b.metric, `${b.op} ${fmtBudgetValue(b.threshold, b.unit)}`,
      fmtBudgetValue(b.actual, b.unit), s.from === 'report' ? 'report gate' : b.source, b.note ?? ''];
  });
  const summary = para(failed ? `${failed} of ${budgets.length} budgets failed.` : `No budget failed (${budgets.length} checked).`);
  return section(title, summary + htmlTable(['', 'budget', 'metric', 'threshold', 'actual', 'source', 'note'], rows, 'budgets'), 'budgets');
}

/** Findings, most severe first, each with its severity badge, evidence and fix. */
export function findingsBlock(findings: readonly Finding[]): string {
  if (!findings.length) return section('Findings', para('Nothing to fix was found.'), 'findings');
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const items = sorted.map((f) =>
    `<li class="finding ${esc(f.severity)}">${badge(f.severity, f.severity).html} <strong>${esc(f.title)}</strong>` +
    `<p class="evidence">${esc(f.evidence)}</p><p class="fix">${esc(f.recommendation)}</p>` +
    `<p class="meta">${esc(f.id)}${f.metric ? ` · ${esc(f.metric)}` : ''}</p></li>`).join('');
  return section('Findings', `<ul class="findings">${items}</ul>`, 'findings');
}

/** Warnings of a result; '' when there are none. */
export function warningsBlock(warnings: readonly string[]): string {
  if (!warnings.length) return '';
  return section('Warnings', `<ul class="warnings">${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`, 'warnings');
}

/** Counts by class (errors) as a table, largest first; '' when empty. */
export function countsTable(title: string, counts: Record<string, number>, head = ['class', 'count']): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, n]);
  return rows.length ? section(title, htmlTable(head, rows, 'counts')) : '';
}
