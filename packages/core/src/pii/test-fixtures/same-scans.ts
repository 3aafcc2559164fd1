import fc from 'fast-check';
import { expect } from 'vitest';
import type { PiiScanner } from '../scanner.js';

/**
 * Texts joined from `pieces` (the values, separators and look-alikes a test is about) and random
 * strings of up to `noise` characters, up to `parts` of them.
 */
export function piecesText(pieces: readonly string[], noise: number, parts = 40): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: noise })), { maxLength: parts })
    .map((parts) => parts.join(''));
}

/**
 * Property: two scanners that differ only in a shortcut report exactly the same detections and raw
 * candidates on every generated text, scanned from any offset.
 */
export function expectSameScans(
  scanner: PiiScanner,
  reference: PiiScanner,
  texts: fc.Arbitrary<string>,
  numRuns: number,
): void {
  fc.assert(
    fc.property(texts, fc.nat(), (text, offset) => {
      const from = text.length === 0 ? 0 : offset % (text.length + 1);
      expect(scanner.scan(text, from)).toEqual(reference.scan(text, from));
    }),
    { numRuns },
  );
}
