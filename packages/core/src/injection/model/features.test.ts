import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultInjectionModel } from './default-model.js';
import { createFeatureKernel } from './feature-kernel.js';
import {
  createFeatureScan,
  type FeatureScan,
  scanAsciiFeatures,
  scanAsciiFeaturesInJs,
  scanFeatures,
} from './features.js';

// `scanAsciiFeatures` is the fast path of `scanFeatures` for ASCII text (the scorer's common case):
// it must give exactly the same sum and count on any input, including texts long enough to be read
// in several blocks with a word cut by a block boundary, and texts that turn out not to be ASCII.
const weights = defaultInjectionModel().weights;

const reference = (text: string): FeatureScan => ({ ...scanFeatures(text, weights, createFeatureScan()) });

const PIECES = [
  'ignore',
  'previous',
  'instructions',
  "don't",
  "'",
  'a',
  'i',
  'x2',
  '404',
  ' ',
  '  ',
  '\n',
  '\t',
  '\r\n',
  '.',
  ', ',
  '-',
  '_',
  'UPPER',
  'MiXeD',
  'abcdefghijklmnopqrstuvwxyz0123456789',
];
const asciiText = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary-ascii', maxLength: 8 })), {
    maxLength: 80,
  })
  .map((parts) => parts.join(''));

const nonAscii = fc.oneof(
  fc.constantFrom('é', 'ß', '中文', '\u{1F600}', '\uD800', '\u00A0', 'ﬁ'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
);

/** Characters in a block of `scanAsciiFeatures` (8 KB): texts around it cross a block boundary. */
const BLOCK = 8192;

// Both implementations: the WebAssembly kernel (what `scanAsciiFeatures` runs in Node) and the
// JavaScript loops it falls back to.
describe.each([
  ['scanAsciiFeatures (WebAssembly kernel)', scanAsciiFeatures],
  ['scanAsciiFeaturesInJs', scanAsciiFeaturesInJs],
])('%s', (_name, scan) => {
  const fast = (text: string): FeatureScan => ({ ...scan(text, weights, createFeatureScan()) });

  it('finds the same features as scanFeatures on any ASCII text', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        expect(fast(text)).toEqual(reference(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('finds the same features across block boundaries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: BLOCK - 40, max: 2 * BLOCK + 40 }),
        asciiText,
        asciiText,
        (length, head, tail) => {
          const filler = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(length / 27) + 1);
          const text = `${head}${filler}`.slice(0, length) + tail;
          expect(fast(text)).toEqual(reference(text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds the same features when a word spans a block boundary exactly', () => {
    for (let cut = BLOCK - 3; cut <= BLOCK + 3; cut++) {
      const text = `${'w '.repeat(cut >> 1)}${cut % 2 === 0 ? '' : 'w'}boundaryword tail`;
      expect(fast(text)).toEqual(reference(text));
      expect(fast(text.replaceAll(' ', '.'))).toEqual(reference(text.replaceAll(' ', '.')));
    }
  });

  it('falls back to scanFeatures on text that is not ASCII', () => {
    fc.assert(
      fc.property(asciiText, nonAscii, asciiText, (a, b, c) => {
        const text = a + b + c;
        expect(fast(text)).toEqual(reference(text));
      }),
      { numRuns: 500 },
    );
    const late = `${'plain words '.repeat(1500)}naïve ${'x'.repeat(10)}`;
    expect(fast(late)).toEqual(reference(late));
  });

  it('counts nothing in empty or wordless text', () => {
    expect(fast('')).toEqual({ sum: 0, count: 0 });
    expect(fast(' .,;\n')).toEqual({ sum: 0, count: 0 });
  });
});

describe('feature kernel', () => {
  it('is available in Node', () => {
    expect(createFeatureKernel()).toBeDefined();
  });

  it('reads each model its own weights when scorers with different models alternate', () => {
    const other = Int8Array.from(weights, (w, i) => (i % 7 === 0 ? -w : (w + i) % 100));
    fc.assert(
      fc.property(asciiText, (text) => {
        for (const table of [other, weights, other]) {
          const expected = { ...scanFeatures(text, table, createFeatureScan()) };
          expect({ ...scanAsciiFeatures(text, table, createFeatureScan()) }).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
