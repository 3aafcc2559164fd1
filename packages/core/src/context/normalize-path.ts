/**
 * Normalizes a request target for matching: drops the query and fragment, decodes percent-encoded
 * characters (an encoded `/` stays a separator here on purpose, so `%2F` cannot hide a prefix),
 * turns `\` into `/`, collapses repeated slashes, resolves `.` and `..` (RFC 3986 §5.2.4) without
 * climbing above the root, and removes a trailing slash. Case is kept; matchers that protect
 * prefixes compare case-insensitively.
 *
 * @example
 * normalizePath('//v1/./chat/../chat/%63ompletions/?x=1'); // '/v1/chat/completions'
 */
export function normalizePath(target: string): string {
  let path = target;
  const cut = path.search(/[?#]/);
  if (cut !== -1) path = path.slice(0, cut);
  // Decode repeatedly (bounded) so double encoding such as %252e cannot survive as a dot segment.
  for (let i = 0; i < 3 && path.includes('%'); i++) {
    const decoded = safeDecode(path);
    if (decoded === path) break;
    path = decoded;
  }
  path = path.replace(/\\/g, '/');
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      out.pop();
      continue;
    }
    out.push(segment);
  }
  return '/' + out.join('/');
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    // Malformed escapes: decode the well-formed ones only.
    return path.replace(/%[0-9a-f]{2}/gi, (m) => String.fromCharCode(Number.parseInt(m.slice(1), 16)));
  }
}
