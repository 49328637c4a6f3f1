import { describe, expect, it } from 'vitest';
import { applyArgKnob } from '../../../src/runners/tune/argKnob.js';

describe('applyArgKnob', () => {
  it('rewrites flag=value', () => {
    expect(applyArgKnob(['server.js', '--threads=1', '-v'], '--threads', 4)).toEqual(['server.js', '--threads=4', '-v']);
  });
  it('replaces the value after a bare flag', () => {
    expect(applyArgKnob(['server.js', '--threads', '1', '-v'], '--threads', 8)).toEqual(['server.js', '--threads', '8', '-v']);
  });
  it('appends flag=value when absent, before a -- separator', () => {
    expect(applyArgKnob(['server.js'], '--threads', 2)).toEqual(['server.js', '--threads=2']);
    expect(applyArgKnob(['server.js', '--', 'x'], '--fast', true)).toEqual(['server.js', '--fast=true', '--', 'x']);
  });
  it('appends the value after a trailing bare flag, and leaves the input alone', () => {
    const args = ['server.js', '--threads'];
    expect(applyArgKnob(args, '--threads', 2)).toEqual(['server.js', '--threads', '2']);
    expect(args).toEqual(['server.js', '--threads']);
  });
  it('does not touch a longer flag sharing the prefix', () => {
    expect(applyArgKnob(['--threadsMax=9'], '--threads', 2)).toEqual(['--threadsMax=9', '--threads=2']);
  });
});
