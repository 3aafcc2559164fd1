import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PII_DETECTORS } from './detectors/pii-detectors.js';
import { SECRET_DETECTORS } from './detectors/secret-detectors.js';
import { compileScanner, createPiiScanner, groupEndsPattern } from './scanner.js';
import { expectSameScans, piecesText } from './test-fixtures/same-scans.js';

// A detector whose value group ends its pattern gets every match's value from one `replace` pass.
// Appending an empty group (`(?:)`) keeps the pattern's meaning but hides that shape, which sends
// the same detector through a per-match `exec`: both scanners must report exactly the same.
// Neither reads repeated matches once (`Infinity`); the default scanner does, and is compared below.
const ALL = [...PII_DETECTORS, ...SECRET_DETECTORS];
const fast = compileScanner(ALL, Number.POSITIVE_INFINITY);
const slow = compileScanner(
  ALL.map((detector) =>
    detector.valueGroup === undefined ? detector : { ...detector, pattern: `${detector.pattern}(?:)` },
  ),
  Number.POSITIVE_INFINITY,
);
const shipped = createPiiScanner(ALL);

const PIECES = [
  'api_key = "',
  'secret: "',
  'password=',
  'PASSWORD: ',
  'client_secret',
  '"token": "',
  'Authorization: Bearer ',
  'aws_secret_access_key = ',
  'DATADOG_API_KEY=',
  'curl -u ',
  '--user ',
  ':',
  '=',
  '"',
  "'",
  ' ',
  '\n',
  'AccountKey=',
  '?sig=',
  '//registry.npmjs.org/:_authToken=',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'Zx9Qp2Lm7Vb4Nc8Rt1Yw',
  'hunter2!',
  'a1b2c3d4e5f6a7b8c9d0',
  'é',
  '\u{1F600}',
  '\uD800',
];
const textArb = piecesText(PIECES, 8);

describe('value groups read in one pass', () => {
  it('give exactly the detections and candidates of a per-match search', () => {
    expectSameScans(fast, slow, textArb, 800);
  });

  it('give the same on texts dense with assignments, where one pass takes every value', () => {
    const dense = fc
      .array(fc.constantFrom(...PIECES), { minLength: 20, maxLength: 90 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(dense, (text) => {
        expect(fast.scan(text)).toEqual(slow.scan(text));
      }),
      { numRuns: 400 },
    );
  });

  it('reject a run longer than any value without reading its groups', () => {
    const keys = [
      'Zx9Qp2Lm7Vb4Nc8Rt1Yw3',
      'Kq7Wm2Xp9Lr4Tz8Vn3Bc6',
      'Hd5Jf8Ns2Qw7Ev4Ry9Pu1',
      'Mb3Gk6Td9Wq2Lx5Zc8Vr4',
    ];
    const text = `${keys.map((key) => `api_key=${key}\n`).join('')}${'api_key='.repeat(2000)}`;
    const result = fast.scan(text);
    expect(result.matches.map((m) => m.value)).toEqual(keys);
    expect(result).toEqual(slow.scan(text));
  });

  it('find assigned secrets after a lone surrogate and astral characters', () => {
    const text = '\uD800 \u{1F600} api_key = "Zx9Qp2Lm7Vb4Nc8Rt1Yw3" and password=hunter2!';
    const found = fast.scan(text).matches.map((m) => [m.type, m.value]);
    expect(found).toEqual([
      ['GENERIC_SECRET', 'Zx9Qp2Lm7Vb4Nc8Rt1Yw3'],
      ['GENERIC_SECRET', 'hunter2!'],
    ]);
    expect(found).toEqual(slow.scan(text).matches.map((m) => [m.type, m.value]));
  });
});

describe('repeated matches', () => {
  it('give exactly what reading every match does, when a few lines repeat many times', () => {
    const line = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
    const repeated = fc
      .tuple(
        fc.array(line, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 60 }),
      )
      .map(([pool, picks]) => picks.map((pick) => pool[pick % pool.length]).join('\n'));
    fc.assert(
      fc.property(repeated, (text) => {
        expect(shipped.scan(text)).toEqual(fast.scan(text));
      }),
      { numRuns: 400 },
    );
  });

  it('report every copy of a pasted secret and nothing in a flood of names', () => {
    const key = 'Zx9Qp2Lm7Vb4Nc8Rt1Yw3';
    const line = `api_key = "${key}"\n`;
    const text = `${line.repeat(50)}${'secret: "'.repeat(5000)}`;
    const { matches } = shipped.scan(text);
    expect(matches).toHaveLength(50);
    matches.forEach((match, i) => {
      expect(match).toMatchObject({ type: 'GENERIC_SECRET', start: i * line.length + 11, value: key });
    });
  });
});

describe('groupEndsPattern', () => {
  it('is true when the group closes the pattern at the top level', () => {
    expect(groupEndsPattern('key=([a-z]+)', 1)).toBe(true);
    expect(groupEndsPattern('(?i:key)[:=]["\']?([^\\s"\']{6,})', 1)).toBe(true);
    expect(groupEndsPattern('(a)(b)', 2)).toBe(true);
    expect(groupEndsPattern('(?P<name>a)=(?<v>b+)', 2)).toBe(true);
    expect(groupEndsPattern('x=((a)(b))', 1)).toBe(true);
  });

  it('is false when anything may follow the group or it sits under an alternation', () => {
    expect(groupEndsPattern('(a+)b*', 1)).toBe(false);
    expect(groupEndsPattern('"(a+)"', 1)).toBe(false);
    expect(groupEndsPattern('(a)(b)', 1)).toBe(false);
    expect(groupEndsPattern('x|y=(a+)', 1)).toBe(false);
    expect(groupEndsPattern('(?:x=(a+))+', 1)).toBe(false);
    expect(groupEndsPattern('(?:x=(a+))', 1)).toBe(false);
    expect(groupEndsPattern('k=(a+)(?:)', 1)).toBe(false);
  });

  it('skips escaped parentheses and parentheses inside classes', () => {
    expect(groupEndsPattern('\\(k\\)=(v+)', 1)).toBe(true);
    expect(groupEndsPattern('[(]k=(v+)', 1)).toBe(true);
    expect(groupEndsPattern('[^)]]k=(v+)', 1)).toBe(true);
    expect(groupEndsPattern('[]()]k=(v+)', 1)).toBe(true);
    expect(groupEndsPattern('[[:alpha:](]=(v+)', 1)).toBe(true);
    expect(groupEndsPattern('[\\]|(]=(v+)', 1)).toBe(true);
  });
});
