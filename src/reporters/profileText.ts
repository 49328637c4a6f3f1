/**
 * Words every reporter uses about a `profile` section (--profile): where a function lives, a long
 * path cut from the left (the file name is the part worth keeping), and the categories in the
 * order they are printed. Pure; the figures themselves are read from the result as they are.
 */
import type { CategoryTime, CpuCategory, FunctionTime } from '../result/profileResult.js';
import { stripControl } from '../util/controlChars.js';

/** Categories in the order reports list them: the server's own work first, waiting last. */
export const CATEGORY_ORDER: readonly CpuCategory[] = ['your code', 'packages', 'runtime', 'gc', 'program', 'idle'];

/** A function's place: 'file:line', 'file' when the line is unknown, '(native)' for a builtin without a file. */
export function frameLocation(f: Pick<FunctionTime, 'file' | 'line'>): string {
  if (!f.file) return '(native)';
  return f.line === null ? f.file : `${f.file}:${f.line}`;
}

/** `text` without control characters, in at most `max` characters, cut from the left with '…' (paths keep their file name). */
export function tailClip(text: string, max: number): string {
  const s = stripControl(text);
  return s.length <= max ? s : `…${s.slice(s.length - max + 1)}`;
}

/** The categories in CATEGORY_ORDER (unknown ones after), leaving out those with no time. */
export function orderedCategories(categories: readonly CategoryTime[]): CategoryTime[] {
  const rank = (c: CpuCategory): number => {
    const i = CATEGORY_ORDER.indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return categories.filter((c) => c.ms > 0).sort((a, b) => rank(a.category) - rank(b.category));
}
