import RE2 from 're2';

const cache = new Map<string, RE2>();

/**
 * A compiled RE2 for a constant pattern, built once and reused: validators run their small checks
 * on user text through RE2 too, never through the backtracking JS engine.
 *
 * @example
 * re2('^\\d{4}$').test('2024'); // true
 */
export function re2(source: string, flags = ''): RE2 {
  const key = `${flags}/${source}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = new RE2(source, flags.includes('u') ? flags : `${flags}u`);
    cache.set(key, compiled);
  }
  compiled.lastIndex = 0;
  return compiled;
}

/** Whether every character of `value` is the same one (`0000000000000`). */
export function isOneRepeatedChar(value: string): boolean {
  for (let i = 1; i < value.length; i++) if (value[i] !== value[0]) return false;
  return value.length > 0;
}
