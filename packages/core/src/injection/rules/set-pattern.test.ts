import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from './builtin-rules.js';
import { MARKERS } from './rule-engine.js';
import { asciiSetPattern, type PatternNode, parseSetPattern, setPattern, WIDEN_MIN } from './set-pattern.js';

const PATTERNS = [...BUILTIN_RULES.map((r) => r.pattern), ...Object.values(MARKERS)];

const SYMBOLS = [
  ' ',
  ' ',
  ' ',
  '\n',
  '.',
  ',',
  ':',
  '"',
  "'",
  '-',
  '!',
  '?',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '|',
  '#',
  '*',
  '%',
  '`',
  '_',
  '/',
  '\\',
  '=',
  '{',
  '$',
];

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).concat([
  '\n',
  '\t',
  '\x00',
  '\x7f',
]);

const classCache = new Map<string, string[]>();
/** Characters (ASCII) a class node accepts, tested with RE2 itself so the sample is exact. */
function classChars(source: string): string[] {
  let chars = classCache.get(source);
  if (chars === undefined) {
    const re = new RE2(`^(?:${source})$`);
    chars = PRINTABLE.filter((c) => re.test(c));
    classCache.set(source, chars);
  }
  return chars;
}

/** Source of a one-character node, for `classChars`. */
function oneChar(node: PatternNode): string {
  if (node.t === 'dot') return '.';
  if (node.t === 'perl') return `\\${node.name}`;
  if (node.t === 'literal') return `\\x{${node.cp.toString(16)}}`;
  if (node.t !== 'class') throw new Error('not one character');
  const items = node.items.map((it) =>
    'perl' in it ? `\\${it.perl}` : `\\x{${it.lo.toString(16)}}-\\x{${it.hi.toString(16)}}`,
  );
  return `[${node.negated ? '^' : ''}${items.join('')}]`;
}

/**
 * A text generated from the tree of a pattern: mostly a match, with windows sometimes at or just
 * past their bound, and non-ASCII characters replaced, so it comes close even when it misses.
 */
function sampleText(node: PatternNode, next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  switch (node.t) {
    case 'alt':
      return pick(node.branches)
        .map((n) => sampleText(n, next))
        .join('');
    case 'group':
      return sampleText(node.body, next);
    case 'repeat': {
      const hi = Number.isFinite(node.max) ? node.max : node.min + 3;
      const edge = next() < 0.15;
      const count = edge
        ? hi + (next() < 0.5 ? 1 : 0)
        : node.min + Math.floor(next() * (Math.min(hi, node.min + 3) - node.min + 1));
      return Array.from({ length: count }, () => sampleText(node.node, next)).join('');
    }
    case 'literal':
      return node.cp < 0x80 ? String.fromCharCode(node.cp) : pick(PRINTABLE);
    case 'raw':
      return '';
    default: {
      const chars = classChars(oneChar(node));
      return chars.length === 0 ? '' : pick(chars);
    }
  }
}

/** Texts near one pattern: generated from its tree (with a little noise) or made of its words. */
function asciiTextFor(pattern: string): fc.Arbitrary<string> {
  const tree = parseSetPattern(pattern);
  const words = [...new Set(pattern.match(/[a-z]{2,}|\d/g) ?? ['a'])];
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...words) },
    { weight: 1, arbitrary: fc.constantFrom(...SYMBOLS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 2 }) },
  );
  const separator = fc.oneof(
    { weight: 4, arbitrary: fc.constant(' ') },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom(...SYMBOLS) },
  );
  const fromWords = fc
    .array(fc.tuple(piece, separator), { maxLength: 16 })
    .map((parts) => parts.flat().join(''));
  const fromTree = fc
    .tuple(
      fc.integer(),
      fc.constantFrom('', '', '', ' ', '.', '\n', 'x'),
      fc.nat(60),
      fc.string({ maxLength: 4 }),
    )
    .map(([seed, noise, at, around]) => {
      let state = seed;
      const next = () => {
        state = (Math.imul(state, 1103515245) + 12345) | 0;
        return ((state >>> 8) & 0xffff) / 0x10000;
      };
      const text = tree === undefined ? '' : sampleText(tree, next);
      const cut = Math.min(at, text.length);
      return `${around}${text.slice(0, cut)}${noise}${text.slice(cut)}${around}`;
    });
  return fc.oneof(fromTree, fromTree, fromWords).filter((text) => /^[\x00-\x7f]*$/.test(text));
}

/** Runs `check` on texts made for each pattern; fails unless enough of them matched the pattern. */
function forEachPattern(
  patterns: readonly string[],
  check: (index: number, text: string) => boolean,
  runs = 400,
): void {
  let matched = 0;
  patterns.forEach((pattern, i) => {
    fc.assert(
      fc.property(asciiTextFor(pattern), (text) => {
        if (check(i, text)) matched++;
      }),
      { numRuns: runs, seed: 7 + i },
    );
  });
  // The texts must exercise the patterns, not only miss them.
  expect(matched).toBeGreaterThan(patterns.length * runs * 0.05);
}

const globalCache = new Map<string, RE2>();
/** Every match of `pattern` in `text` (compiled with the `g` flag once): [index, text]. */
function matches(pattern: string, text: string): Array<[number, string]> {
  const re = globalCache.get(pattern) ?? new RE2(pattern, 'g');
  globalCache.set(pattern, re);
  re.lastIndex = 0;
  const out: Array<[number, string]> = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push([m.index, m[0]]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

describe('asciiSetPattern', () => {
  const compiled = PATTERNS.map((p) => {
    const ascii = asciiSetPattern(p).source;
    return {
      original: new RE2(p),
      ascii: ascii === undefined ? undefined : new RE2(ascii),
      source: p,
      asciiSource: ascii,
    };
  });

  it('writes no non-ASCII character into a set pattern', () => {
    for (const p of PATTERNS) expect(asciiSetPattern(p).source ?? '').toMatch(/^[\x00-\x7f]*$/);
  });

  it('matches exactly where the original does on ASCII text', () => {
    forEachPattern(PATTERNS, (i, text) => {
      const { original, ascii, source, asciiSource } = compiled[i]!;
      const found = original.test(text);
      // Widened windows match more (a set hit is confirmed); the rest must agree span for span.
      if (ascii === undefined || asciiSource === undefined) expect(found).toBe(false);
      else if (asciiSetPattern(source).widened) {
        if (found) expect(ascii.test(text)).toBe(true);
      } else expect(matches(asciiSource, text)).toEqual(matches(source, text));
      return found;
    });
  });

  it('matches exactly where the original does before widening', () => {
    // Windows shortened below the widening length: the ASCII form must then be equal span for span.
    const narrow = (p: string) =>
      p.replace(/\{0,(\d+)\}/g, (m, n) => (Number(n) >= WIDEN_MIN ? '{0,19}' : m));
    const narrowed = PATTERNS.map(narrow);
    const pairs = narrowed.map((p) => {
      const form = asciiSetPattern(p);
      return [new RE2(p), form] as const;
    });
    forEachPattern(narrowed, (i, text) => {
      const [original, form] = pairs[i]!;
      expect(form.widened).toBe(false);
      if (form.source === undefined) expect(original.test(text)).toBe(false);
      else expect(matches(form.source, text)).toEqual(matches(narrowed[i]!, text));
      return original.test(text);
    });
  });

  it('drops non-ASCII alternatives and characters, and rejects what cannot match ASCII', () => {
    expect(asciiSetPattern(String.raw`[a-z'’-]+\s+`).source).toBe(String.raw`[a-z\x{27}\x{2d}]+\s+`);
    expect(asciiSetPattern('(?:忽略|ignore) all').source).toBe(String.raw`(?:ignore)\x{20}all`);
    expect(asciiSetPattern(String.raw`[^。!\n]\S`).source).toBe(
      String.raw`[^\x{21}\x{a}\x{80}-\x{10ffff}][^\s\x{80}-\x{10ffff}]`,
    );
    expect(asciiSetPattern('忽略').source).toBeUndefined();
    expect(asciiSetPattern('a(?:忽略)?b').source).toBe('ab');
  });

  it('keeps patterns it does not model as they are', () => {
    for (const p of ['(?i)abc', String.raw`\pL+`, 'a{,3}', '(?P<x>a)']) {
      expect(asciiSetPattern(p)).toEqual({ source: p, widened: false });
      expect(setPattern(p)).toEqual({ source: p, widened: false });
    }
  });
});

describe('setPattern', () => {
  it('widens long one-character windows and only those', () => {
    expect(setPattern(String.raw`\bspell\b[^.\n]{0,60}\bpassword\b`)).toEqual({
      source: String.raw`\bspell\b[^\x{2e}\x{a}]*\bpassword\b`,
      widened: true,
    });
    expect(setPattern(String.raw`(?:\w+\s+){0,40}x[^\n]{0,19}`)).toEqual({
      source: String.raw`(?:\w+\s+){0,40}x[^\n]{0,19}`,
      widened: false,
    });
  });

  it('matches wherever the original does', () => {
    const pairs = PATTERNS.map((p) => [new RE2(p), new RE2(setPattern(p).source!)] as const);
    forEachPattern(PATTERNS, (i, text) => {
      const [original, widened] = pairs[i]!;
      const found = original.test(text);
      if (found) expect(widened.test(text)).toBe(true);
      return found;
    });
  });
});
