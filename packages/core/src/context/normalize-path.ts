/**
 * Normalizes a request target for matching: drops an absolute-form scheme and authority
 * (`http://host/v1/x`, RFC 9112 §3.2.2 — Express routes those by their path, so the guard must see
 * the same path), drops the query and fragment, decodes percent-encoded characters (an encoded `/`
 * stays a separator here on purpose, so `%2F` cannot hide a prefix), turns `\` into `/`, collapses
 * repeated slashes, resolves `.` and `..` (RFC 3986 §5.2.4) without climbing above the root, and
 * removes a trailing slash. Case is kept; matchers that protect prefixes compare case-insensitively.
 * Plain string scanning, no regular expressions: linear in the input.
 *
 * @example
 * normalizePath('//v1/./chat/../chat/%63ompletions/?x=1'); // '/v1/chat/completions'
 */
export function normalizePath(target: string): string {
  let path = stripQuery(stripAbsoluteForm(target));
  if (isNormalPath(path)) return path;
  // Decode repeatedly (bounded) so double encoding such as %252e cannot survive as a dot segment.
  for (let i = 0; i < 3 && path.includes('%'); i++) {
    const decoded = decodePercent(path);
    if (decoded === path) break;
    path = decoded;
  }
  path = path.replaceAll('\\', '/');
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

/**
 * The common case, already in normal form: starts with `/`, no `%` or `\`, no empty, `.` or `..`
 * segment, no trailing slash. One scan, no allocation.
 */
function isNormalPath(path: string): boolean {
  const length = path.length;
  if (length < 2 || path.charCodeAt(0) !== 0x2f || path.charCodeAt(length - 1) === 0x2f) return false;
  let segmentStart = 1;
  for (let i = 1; i <= length; i++) {
    const c = i === length ? 0x2f : path.charCodeAt(i);
    if (c === 0x25 /* % */ || c === 0x5c /* \ */) return false;
    if (c !== 0x2f) continue;
    const size = i - segmentStart;
    if (size === 0) return false;
    if (path.charCodeAt(segmentStart) === 0x2e /* . */) {
      if (size === 1 || (size === 2 && path.charCodeAt(segmentStart + 1) === 0x2e)) return false;
    }
    segmentStart = i + 1;
  }
  return true;
}

/**
 * Removes `scheme://authority` from an absolute-form target; other targets are returned as they are.
 *
 * @example
 * stripAbsoluteForm('http://example.com/v1/chat?x'); // '/v1/chat?x'
 */
export function stripAbsoluteForm(target: string): string {
  if (target.startsWith('/')) return target;
  const colon = target.indexOf('://');
  if (colon <= 0) return target;
  for (let i = 0; i < colon; i++) {
    const c = target.charCodeAt(i) | 0x20;
    const isSchemeChar =
      (c >= 0x61 && c <= 0x7a) || (i > 0 && (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e));
    if (!isSchemeChar) return target;
  }
  const rest = target.slice(colon + 3);
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      end = i;
      break;
    }
  }
  const tail = rest.slice(end);
  return tail.startsWith('/') ? tail : `/${tail}`;
}

/**
 * Cuts the query and fragment off a request target.
 *
 * @example
 * stripQuery('/v1/chat?stream=1#x'); // '/v1/chat'
 */
export function stripQuery(target: string): string {
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === 0x3f || c === 0x23) return target.slice(0, i);
  }
  return target;
}

/**
 * Decodes `%XX` escapes once. Malformed escapes are kept as they are; well-formed ones that do not
 * make valid UTF-8 become the bytes' Latin-1 characters, so no escape can survive a decode to
 * hide a `.` or `/` from the matchers.
 *
 * @example
 * decodePercent('/%2e%2e/v1'); // '/../v1'
 */
export function decodePercent(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    let out = '';
    for (let i = 0; i < path.length; i++) {
      const c = path.charCodeAt(i);
      if (
        c === 0x25 &&
        i + 2 < path.length &&
        isHex(path.charCodeAt(i + 1)) &&
        isHex(path.charCodeAt(i + 2))
      ) {
        out += String.fromCharCode(Number.parseInt(path.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        out += path[i];
      }
    }
    return out;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  const lower = c | 0x20;
  return isDigit(c) || (lower >= 0x61 && lower <= 0x66);
}
