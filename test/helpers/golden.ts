/**
 * Golden-file checks for reporters: output compared byte for byte with a reviewed file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Compare `actual` with the golden file exactly; a missing file is written and the test fails so it gets reviewed. */
export function expectGolden(file: string, actual: string): void {
  if (!existsSync(file)) {
    writeFileSync(file, actual);
    expect.fail(`Golden file ${file} did not exist and was written: review it, then run the test again.`);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
