/**
 * The Markdown report's "CPU profile" lines (--profile): only the top of the profile, sized for a
 * pull-request comment: busy time, the top functions with their share and file:line, the top
 * packages and the start-up's heaviest imports. The HTML report has the rest (flame graph, stacks,
 * per-tool figures). Every name and path is the server's text and goes through mdText.
 */
import type { ProfileSection } from '../result/profileResult.js';
import { fmtMs, fmtPct, fmtUs } from './format.js';
import { mdTable, mdText } from './markdownText.js';
import { frameLocation, tailClip } from './profileText.js';

/** Functions, packages and start-up imports listed, each. */
const TOP = 5;

/** The "CPU profile" block of one result; `scope` says what was profiled when not the whole run. */
export function profileMarkdown(p: ProfileSection, scope?: string): string {
  const s = p.summary;
  const head = s
    ? `Busy ${fmtMs(s.busyMs)} of ${fmtMs(s.sampledMs)} sampled (${s.samples.toLocaleString('en-US')} samples every ${fmtUs(p.intervalUs)}` +
      `${p.windowMs > 0 ? ` over ${fmtMs(p.windowMs)}` : ''}).`
    : p.windowMs > 0 ? 'Nothing was sampled in the measured window.' : 'Start-up only.';
  const blocks = [`**CPU profile**${scope ? ` (${mdText(scope, 120)})` : ''}\n\n${head}`];
  if (s?.functions.length) {
    const rows = s.functions.slice(0, TOP).map((f) => [mdText(f.name, 60), mdText(tailClip(frameLocation(f), 80), 80), mdText(f.package, 40), fmtMs(f.selfMs), fmtPct(f.pct, 1)]);
    blocks.push(mdTable(['function', 'file:line', 'package', 'self', 'of busy'], ['l', 'l', 'l', 'r', 'r'], rows));
  }
  if (s?.packages.length) {
    blocks.push(`Packages (self time, of busy): ${s.packages.slice(0, TOP).map((k) => `${mdText(k.name, 60)} ${fmtPct(k.pct, 1)}`).join(' · ')}`);
  }
  const st = p.startup;
  if (st) {
    const top = st.packages.slice(0, TOP).map((i) => `${mdText(i.name, 60)} ${fmtMs(i.ms)} (${fmtPct(i.pct, 1)})`).join(' · ');
    blocks.push(`Start-up (${mdText(st.source, 40)}): loading modules took ${fmtMs(st.importMs)} of ${fmtMs(st.readyMs)} spawn → ready${top ? `; heaviest: ${top}` : ''}.`);
  }
  if (p.files.length) {
    blocks.push(`<sub>Profiles: ${p.files.map((f) => mdText(tailClip(f.path, 120), 120)).join(', ')} (open in Chrome DevTools or speedscope).</sub>`);
  }
  return blocks.join('\n\n');
}
