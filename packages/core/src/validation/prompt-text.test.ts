import { describe, expect, it } from 'vitest';
import { stripControlChars } from './prompt-text.js';

describe('stripControlChars', () => {
  it('keeps tab, line feed and carriage return and ordinary text', () => {
    const text = 'line one\tcol\r\nline two — ünïcödé 😀';
    expect(stripControlChars(text)).toBe(text);
  });

  it('removes C0, DEL, C1 and bidi controls', () => {
    expect(
      stripControlChars('\u0000a\u0008b\u000bc\u001fd\u007fe\u0080f\u009fg\u202ah\u202ei\u2066j\u2069k'),
    ).toBe('abcdefghijk');
  });

  it('returns the same string when there is nothing to remove', () => {
    const text = 'plain';
    expect(stripControlChars(text)).toBe(text);
    expect(stripControlChars('')).toBe('');
    expect(stripControlChars('\u0000\u0001')).toBe('');
  });
});
