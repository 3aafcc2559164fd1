import { describe, expect, it } from 'vitest';
import { PII_DETECTORS } from './detectors/pii-detectors.js';
import { SECRET_DETECTORS } from './detectors/secret-detectors.js';
import { createPiiScanner } from './scanner.js';
import { expectSameScans, piecesText } from './test-fixtures/same-scans.js';

// Detectors that declare anchors are searched only in the whitespace-free runs around them. The
// same detectors without anchors search the whole text; both must report exactly the same
// detections and the same raw candidates, from any starting offset.
const ALL = [...PII_DETECTORS, ...SECRET_DETECTORS];
const anchored = createPiiScanner(ALL);
const whole = createPiiScanner(ALL.map(({ anchors: _anchors, ...detector }) => detector));

const PIECES = [
  'jane.doe@example.com',
  'a@b.co',
  'x@y',
  '@',
  '.',
  '://',
  'https://docs.example.org/a/b?c=d.',
  'www.example.com',
  'example.com',
  'e.g.',
  'mailto:bob@mail.example.net',
  '(see example.org)',
  'user@host.example.',
  '"quoted@example.com"',
  'é',
  '\u{1F600}',
  '\uD800',
  ' ',
  '\n',
  '\t',
  ', ',
  'report. ',
  'foo',
  '12.34',
];
const textArb = piecesText(PIECES, 6, 60);

describe('anchored detectors', () => {
  it('declare anchors only where the type has them', () => {
    expect(ALL.filter((d) => d.anchors !== undefined).map((d) => d.type)).toEqual(['EMAIL', 'URL']);
  });

  it('find exactly what a whole-text search finds', () => {
    expectSameScans(anchored, whole, textArb, 600);
  });

  it('find the same around runs too long to walk, which send the scan to the whole text', () => {
    const texts = [
      `${'a'.repeat(1500)}@example.com and bob@example.org`,
      `mail x@y.io${'b'.repeat(2000)} then https://example.com/path`,
      `lead ${'c.'.repeat(800)}example.com tail www.example.net`,
    ];
    for (const text of texts) {
      for (const from of [0, 3, 700, 1600]) expect(anchored.scan(text, from)).toEqual(whole.scan(text, from));
    }
  });

  it('never start a URL candidate inside an email address or a longer name (address boundary)', () => {
    const text = 'Mail a@b.co, x.y@sub.example.org or my_site.example.com; see example.com. Bye';
    const { matches, raw } = anchored.scan(text);
    expect(matches.map((m) => [m.type, text.slice(m.start, m.end)])).toEqual([
      ['EMAIL', 'a@b.co'],
      ['EMAIL', 'x.y@sub.example.org'],
      ['URL', 'example.com'],
    ]);
    // The domains of the two addresses and the tail of `my_site…` are not even candidates.
    expect(raw.filter((span) => text[span.start - 1] === '@' || text[span.start - 1] === '_')).toEqual([]);
    // An address flood yields one candidate per address, none for the domains inside them.
    const flood = 'a@b.co '.repeat(2000);
    expect(anchored.scan(flood).raw).toHaveLength(2000);
  });

  it('find the same in text dense with runs, where the whole text is searched in one pass', () => {
    const dense = 'Mail a@b.co, c@d.io, e@f.org or visit x.example.com, y.example.net, z.example.io. '.repeat(
      20,
    );
    const result = anchored.scan(dense);
    expect(result).toEqual(whole.scan(dense));
    expect(result.matches.filter((m) => m.type === 'EMAIL')).toHaveLength(60);
  });
});
