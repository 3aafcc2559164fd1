/**
 * Character-level filters for values that reach the audit log from requests or from other guards.
 * Plain loops, no regular expressions: linear on any input and nothing to backtrack.
 */

function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46
  );
}

/**
 * `value` when it is a short identifier (letters, digits, `_ - . : /`), else `undefined`.
 * Used for model names, finding kinds and rule ids, so a guard that puts matched text into a
 * finding by mistake still cannot leak it into the log.
 *
 * @example
 * safeToken('gpt-4o-mini', 100); // 'gpt-4o-mini'
 * safeToken('john@example.com', 100); // undefined
 */
export function safeToken(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isWordChar(c) && c !== 58 && c !== 47) return undefined;
  }
  return value;
}

function isVersionSegment(s: string): boolean {
  if (s.length < 2 || s.length > 4 || s.charCodeAt(0) !== 118) return false; // v1, v1beta is not
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isWordSegment(s: string): boolean {
  if (s.length === 0 || s.length > 40) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Letters and separators only: digits are how ids, phone numbers and SSNs end up in paths.
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter && c !== 95 && c !== 45 && c !== 46) return false;
  }
  return true;
}

/**
 * The route shape of a normalized path: segments made of letters (and `v1`-style versions) stay,
 * every other segment becomes `*`. `/v1/chat/completions` stays as it is; `/v1/users/123-45-6789`
 * becomes `/v1/users/*`.
 *
 * @example
 * routeShape('/v1/files/file-abc123/content'); // '/v1/files/* /content' (without the space)
 */
export function routeShape(path: string): string {
  const parts = path.split('/').slice(0, 16);
  const out: string[] = [];
  for (const part of parts) {
    out.push(part === '' || isVersionSegment(part) || isWordSegment(part) ? part : '*');
  }
  return out.join('/');
}

/** Rounds a duration to microseconds (ms with 3 decimals). */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
