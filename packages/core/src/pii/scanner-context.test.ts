import { describe, expect, it } from 'vitest';
import { PII_DETECTORS } from './detectors/pii-detectors.js';
import { SECRET_DETECTORS } from './detectors/secret-detectors.js';
import { compileScanner, createPiiScanner } from './scanner.js';
import { expectSameScans, piecesText } from './test-fixtures/same-scans.js';

// A context-gated detector (dates of birth, unseparated SSNs, passport and licence numbers) searches
// for its context words only when its value pattern also occurs somewhere in the text. Without that
// gate, every context word costs a pass over the whole text. Both scanners must report exactly the
// same detections and raw candidates, from any starting offset.
const ALL = [...PII_DETECTORS, ...SECRET_DETECTORS];
const gated = createPiiScanner(ALL);
const ungated = compileScanner(ALL, 4, false);

const PIECES = [
  'born ',
  'Date of birth: ',
  'DOB ',
  'd.o.b. ',
  'SSN ',
  'social security number ',
  'passport no. ',
  'Passport: ',
  "driver's license ",
  'DL# ',
  '12/05/1990',
  '1990-05-12',
  '3 March 1985',
  'March 3rd, 1985',
  '123456789',
  '078051120',
  '536224567',
  'X1234567',
  'AB1234567',
  'D123-4567-8901',
  '2024-01-15',
  ' ',
  '\n',
  ', ',
  'the ',
  'é',
  '\uD800',
];
const textArb = piecesText(PIECES, 5);

describe('context-gated detectors', () => {
  it('find exactly what they find when every context word is searched', () => {
    expectSameScans(gated, ungated, textArb, 800);
  });

  it('find a value after its context word far into a long text, and skip a context word alone', () => {
    const blob = 'QmFzZTY0IGJsb2IgZG9iIHRleHQ'.repeat(400);
    const text = `${blob} patient dob 12/05/1990 ${blob} SSN 536224567`;
    const found = gated.scan(text).matches.map((m) => [m.type, text.slice(m.start, m.end)]);
    expect(found).toEqual([
      ['DATE_OF_BIRTH', '12/05/1990'],
      ['US_SSN', '536224567'],
    ]);
    expect(gated.scan(`${blob} dob and born, but no date`).matches).toEqual([]);
  });
});
