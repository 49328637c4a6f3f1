// What every benchmark script prints its figures with: the median of its rounds, and a goal line.

/** Median of numbers (the mean of the two middle ones for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Print "goal <text>: met|NOT met"; returns `ok`. */
export function goal(ok, text) {
  console.log(`  goal ${text}: ${ok ? 'met' : 'NOT met'}`);
  return ok;
}
