import { describe, expect, it } from 'vitest';
import { stripControl } from '../../src/util/controlChars.js';

describe('stripControl', () => {
  it('removes ANSI CSI sequences (colours, cursor moves) and keeps the text', () => {
    expect(stripControl('\u001b[31mred\u001b[0m and \u001b[2J\u001b[1;1Hcleared')).toBe('red and cleared');
  });
  it('removes OSC sequences ended by BEL or ST (terminal title, hyperlinks)', () => {
    expect(stripControl('a\u001b]0;owned\u0007b\u001b]8;;http://x\u001b\\c')).toBe('abc');
  });
  it('removes C0/C1 controls and bidi overrides but keeps tab and newline', () => {
    expect(stripControl('x\u0000y\u0008z\r\u0085\u202eevil\u2066')).toBe('xyzevil');
    expect(stripControl('one\ttwo\nthree')).toBe('one\ttwo\nthree');
  });
});
