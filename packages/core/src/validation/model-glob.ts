/** Tells whether a model id is on a compiled allowlist. */
export type ModelMatcher = (model: string) => boolean;

/**
 * Compiles a model allowlist once. Globs support `*` (any run of characters, including none) and
 * `?` (exactly one character); everything else matches literally and case-sensitively, as provider
 * model ids are. Matching runs in O(text × pattern) at worst with no backtracking explosion, and
 * never builds a regular expression from configuration or request data. The returned matcher
 * allocates nothing per call.
 *
 * @example
 * const allowed = compileModelGlobs(['gpt-4o*', 'claude-*-4-?']);
 * allowed('gpt-4o-mini'); // true
 */
export function compileModelGlobs(globs: readonly string[]): ModelMatcher {
  const exact = new Set<string>();
  const patterns: string[] = [];
  for (const glob of globs) {
    if (glob.includes('*') || glob.includes('?')) patterns.push(collapseStars(glob));
    else exact.add(glob);
  }
  return function matchesModelGlob(model: string): boolean {
    if (exact.has(model)) return true;
    for (const pattern of patterns) if (globMatch(pattern, model)) return true;
    return false;
  };
}

function collapseStars(glob: string): string {
  let out = '';
  for (const ch of glob) if (!(ch === '*' && out.endsWith('*'))) out += ch;
  return out;
}

/**
 * Iterative wildcard match: on a mismatch, resume after the last `*` one character further.
 * Each `*` restart only moves forward, so the work is bounded by text length × pattern length.
 *
 * @example
 * globMatch('gpt-?o*', 'gpt-4o-mini'); // true
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === 42 /* * */) {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}
