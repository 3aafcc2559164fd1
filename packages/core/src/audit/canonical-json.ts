/**
 * Canonical JSON of an audit record, the exact bytes its MAC covers: object keys sorted by UTF-16
 * code unit order (the default `Array.prototype.sort`), no whitespace, strings and numbers as
 * `JSON.stringify` writes them, `undefined` members left out, non-finite numbers as `null`.
 * Parsing a written line and canonicalizing it again gives the same text, so a verifier needs
 * nothing but the line and the key.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, 'x'] }); // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown, omitTopLevelKey?: string): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      // Same digits as JSON.stringify for every finite number (both use Number::toString).
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += canonicalJson(value[i]);
        }
        return out + ']';
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined || key === omitTopLevelKey) continue;
        if (!first) out += ',';
        first = false;
        out += quote(key) + ':' + canonicalJson(member);
      }
      return out + '}';
    }
    default:
      // Functions, symbols and bigints never belong in an audit record.
      return 'null';
  }
}

/** `JSON.stringify` of a string, skipping the call when nothing needs escaping (the common case). */
function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters, quote, backslash, and surrogates (lone ones are escaped) take the slow path.
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0xd800) return JSON.stringify(text);
  }
  return '"' + text + '"';
}
