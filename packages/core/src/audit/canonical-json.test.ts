import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: undefined, b: -0.5 } })).toBe(
      '{"a":{"b":-0.5,"d":[true,null,"x"]},"b":1}',
    );
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":3,"z":2,"é":1}');
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY, undefined])).toBe('[null,null,null]');
  });

  it('writes strings and numbers exactly as JSON.stringify does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.double(), (text, n) => {
        expect(canonicalJson(text)).toBe(JSON.stringify(text));
        expect(canonicalJson({ [text]: n })).toBe(JSON.stringify({ [text]: n }));
      }),
      { numRuns: 500 },
    );
  });

  it('is stable through a JSON round trip, whatever the key order (what the verifier relies on)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const written = canonicalJson(value);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(written);
        expect(JSON.parse(written)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});
