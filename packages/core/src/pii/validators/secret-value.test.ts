import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { secretValueValid } from './secret-value.js';

// `secretValueValid` skips each pattern test that cannot match the value's characters. The verdict
// must be exactly that of running every pattern, on any value.
const PIECES = [
  'x',
  'X',
  '*',
  '.',
  '-',
  '_',
  '0',
  '9',
  'a',
  'F',
  'z',
  '(',
  ')',
  '/',
  './',
  'http://',
  'https:',
  '$',
  '{',
  '}',
  '{{',
  '[',
  ']',
  '<',
  '>',
  '%',
  'ſ',
  'K',
  'é',
  'null',
  'Secret',
  'your_',
  'my-',
  'test',
  'process.env.',
  'os.environ',
  'getenv',
  'env(',
  'changeme',
  '.json',
  '.py',
  '1.2.3',
  'v2',
  'jjwt-jackson-0.11.2',
  'aB3dE6gH9',
  'deadbeef',
  '123e4567-e89b-12d3-a456-426614174000',
  '9b2f4c1e-7d3a-4e8b-a5c6-0f1e2d3c4b5a',
];
const valueArb = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));

describe('secretValueValid', () => {
  it('gives the verdict of running every pattern, on any value', () => {
    fc.assert(
      fc.property(valueArb, fc.boolean(), (value, passwordLike) => {
        expect(secretValueValid(value, passwordLike)).toBe(secretValueValid(value, passwordLike, false));
      }),
      { numRuns: 5000 },
    );
  });

  it('still refuses placeholders, paths, identifiers, versions and time-based UUIDs', () => {
    for (const value of [
      'xxxxxxxxxxxxxxxxxx',
      'ſecretſecretſecret',
      'process.env.API_TOKEN',
      './config/secrets.json',
      'SOME_CONSTANT_NAME_HERE',
      'jjwt-jackson-0.11.2-final',
      '123e4567-e89b-12d3-a456-426614174000',
    ]) {
      expect(secretValueValid(value, false), value).toBe(false);
    }
    expect(secretValueValid('9b2f4c1e-7d3a-4e8b-a5c6-0f1e2d3c4b5a', false)).toBe(true);
    expect(secretValueValid('aB3dE6gH9kL2mN5pQ8', false)).toBe(true);
  });
});
