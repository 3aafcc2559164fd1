import RE2 from 're2';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import type { PiiCategory, PiiDetector, PiiMatch } from './types.js';

/** Memory budget of the detector set's DFA cache (bytes); filled lazily, per scanner. */
const SET_MAX_MEM = 32 << 20;

/** Characters of text before a value that validators and context words may look at. */
export const LEFT_CONTEXT = 64;
/** Characters after a value that validators may look at (boundaries, "… office" labels). */
export const RIGHT_CONTEXT = 24;

interface CompiledDetector {
  readonly type: string;
  readonly category: PiiCategory;
  /** Global: all matches come back from one native call (an `exec` loop converts the text per call). */
  readonly regex: RE2;
  /** Non-global with indices, run on a single match to locate the value group. */
  readonly groups: RE2 | undefined;
  readonly valueGroup: number;
  readonly boundary: PiiDetector['boundary'];
  readonly validate: PiiDetector['validate'];
  readonly context: readonly string[] | undefined;
  readonly contextWindow: number;
  readonly priority: number;
  readonly strictFormat: boolean;
}

/** A candidate span the patterns matched, accepted or not; streaming never cuts through one. */
export interface RawSpan {
  readonly start: number;
  readonly end: number;
}

/** Result of one scan: accepted, non-overlapping detections in text order, and every raw candidate. */
export interface ScanResult {
  readonly matches: readonly PiiMatch[];
  readonly raw: readonly RawSpan[];
}

/** Compiled detectors: one `RE2.Set` pass tells which patterns can match; only those run for positions. */
export interface PiiScanner {
  /** Detections in `text`, starting the search at `from` (earlier text is context only). */
  scan(text: string, from?: number): ScanResult;
  /** Longest text any detector needs before its pattern first matches (the streaming window). */
  readonly window: number;
  /** Every type this scanner can report. */
  readonly types: readonly string[];
}

/**
 * Compiles detectors into one RE2 set plus one global RE2 per detector. A pattern RE2 rejects is a
 * startup error (`ERR_LLMGUARD_INVALID_RULE`) naming the type, never a runtime surprise.
 *
 * @example
 * const scanner = createPiiScanner([...PII_DETECTORS, ...SECRET_DETECTORS]);
 * scanner.scan('mail bob@example.com').matches[0]?.type; // 'EMAIL'
 */
export function createPiiScanner(detectors: readonly PiiDetector[]): PiiScanner {
  const compiled: CompiledDetector[] = detectors.map((detector) => {
    const source = detector.ignoreCase === true ? `(?i:${detector.pattern})` : detector.pattern;
    let regex: RE2;
    let groups: RE2 | undefined;
    try {
      regex = new RE2(source, 'gu');
      if (detector.valueGroup) groups = new RE2(source, 'ud');
    } catch (cause) {
      throw new LlmGuardError('ERR_LLMGUARD_INVALID_RULE', {
        detail: `The pattern of detector "${detector.type}" does not compile under RE2.`,
        cause,
      });
    }
    return {
      type: detector.type,
      category: detector.category,
      regex,
      groups,
      valueGroup: detector.valueGroup ?? 0,
      boundary: detector.boundary ?? 'word',
      validate: detector.validate,
      context: detector.context?.map((word) => word.toLowerCase()),
      contextWindow: Math.min(detector.contextWindow ?? 48, LEFT_CONTEXT),
      priority: detector.priority ?? 0,
      strictFormat: detector.strictFormat === true,
    };
  });
  let set: InstanceType<typeof RE2.Set> | undefined;
  try {
    set =
      compiled.length === 0
        ? undefined
        : new RE2.Set(
            compiled.map((c) => c.regex.source),
            'u',
            // RE2's default budget (8 MB) is too small for 100+ credential shapes: on random
            // base62 text the lazy DFA keeps overflowing and falls back to the NFA, 10× slower.
            { maxMem: SET_MAX_MEM },
          );
  } catch (cause) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_RULE', {
      detail: 'The detector patterns do not compile as one RE2 set.',
      cause,
    });
  }
  const window = detectors.reduce((max, d) => Math.max(max, d.window ?? 128), 0);
  const types = [...new Set(detectors.map((d) => d.type))];

  return {
    window,
    types,
    scan(text: string, from = 0): ScanResult {
      if (set === undefined || text.length === from) return { matches: [], raw: [] };
      const hits = set.match(text);
      if (hits.length === 0) return { matches: [], raw: [] };
      const found: PiiMatch[] = [];
      const raw: RawSpan[] = [];
      const target = from === 0 ? text : text.slice(from);
      for (const index of hits) {
        const detector = compiled[index]!;
        const all = target.match(detector.regex);
        if (all === null) continue;
        // Patterns have no anchors or \b, so the next occurrence of a match's text at or after the
        // previous match's end is exactly where the leftmost scan found it.
        let at = 0;
        for (let i = 0; i < all.length; i++) {
          const matched = all[i]!;
          if (matched.length === 0) continue;
          const position = target.indexOf(matched, at);
          if (position < 0) break;
          const matchStart = from + position;
          const matchEnd = matchStart + matched.length;
          at = position + matched.length;
          raw.push({ start: matchStart, end: matchEnd });
          const accepted = accept(detector, matched, matchStart, text);
          if (accepted === undefined) continue;
          found.push(accepted);
          // A value trimmed by its validator (an IBAN with glued text) frees the rest: rescan it.
          if (detector.valueGroup === 0 && accepted.end < matchEnd) {
            rescan(detector, text, accepted.end, found, raw);
            break;
          }
        }
      }
      return { matches: resolveOverlaps(found), raw };
    },
  };
}

function accept(
  detector: CompiledDetector,
  matched: string,
  matchStart: number,
  text: string,
): PiiMatch | undefined {
  let start = matchStart;
  let value = matched;
  if (detector.groups !== undefined) {
    const m = detector.groups.exec(matched);
    const span = m?.indices?.[detector.valueGroup];
    const groupValue = m?.[detector.valueGroup];
    if (span === undefined || groupValue === undefined) return undefined;
    start = matchStart + span[0];
    value = groupValue;
  }
  let end = start + value.length;
  // Validators only ever trim the end, so the left boundary can be judged first: inside a long run
  // of digits or dots every candidate but the first fails here, before any costly validator runs.
  if (!leftBoundaryOk(detector.boundary, text, start)) return undefined;
  if (detector.context !== undefined && !contextOk(detector, text, start)) return undefined;
  if (detector.category === 'secret' && looksLikePlaceholder(value, detector.strictFormat)) return undefined;
  if (detector.validate !== undefined) {
    const verdict = detector.validate(value, text, start, end);
    if (verdict === false || verdict === 0) return undefined;
    if (typeof verdict === 'number' && verdict < value.length) {
      value = value.slice(0, verdict);
      end = start + verdict;
    }
  }
  // Checked on the final span: a validator may have trimmed glued text ("…8901 in a sentence").
  if (!boundaryOk(detector.boundary, text, start, end)) return undefined;
  return { type: detector.type, category: detector.category, start, end, value, priority: detector.priority };
}

const PLACEHOLDER_WORDS = [
  'example',
  'your_',
  'your-',
  'yourtoken',
  'redacted',
  'placeholder',
  '<',
  '****',
  '....',
  'abc123',
];
/**
 * Four-letter words occur by chance in long random bodies (a 1,600-character PEM key holds `here`
 * about once in a thousand keys), so they only mark short values as placeholders.
 */
const SHORT_PLACEHOLDER_WORDS = ['xxxx', 'here', 'fake'];

/**
 * Documentation placeholders in a credential shape: `AKIAXXXXXXXXXXXXXXXX`, `pplx-xxxx…`, `…EXAMPLE`.
 * `strict` formats (exact structure) are only checked for blanked-out runs and templates.
 */
function looksLikePlaceholder(value: string, strict: boolean): boolean {
  const lower = value.toLowerCase();
  // Truncated in documentation (`ops_eyJzaWdu…`), or a template (`${{ secrets.X }}`).
  if (lower.endsWith('..') || lower.includes('${') || lower.includes('{{')) return true;
  if (!strict) {
    if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) return true;
    if (lower.length <= 128 && SHORT_PLACEHOLDER_WORDS.some((word) => lower.includes(word))) return true;
    // Seven letters in alphabetical order (`klmnopq`) do not occur in random keys.
    let ascending = 1;
    for (let i = 1; i < lower.length; i++) {
      const code = lower.charCodeAt(i);
      ascending = code >= 97 && code <= 122 && code === lower.charCodeAt(i - 1) + 1 ? ascending + 1 : 1;
      if (ascending >= 7) return true;
    }
  }
  // Runs of the characters documentation uses to blank out a value: xxxxxxxx, 00000000, ********.
  let run = 0;
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    run =
      (ch === 'x' || ch === '0' || ch === '*' || ch === '#') && (run === 0 || ch === lower[i - 1])
        ? run + 1
        : 0;
    if (run >= 8) return true;
  }
  return false;
}

/** Rare path: continues one detector's leftmost scan from `from` with `exec` (after a trimmed match). */
function rescan(
  detector: CompiledDetector,
  text: string,
  from: number,
  found: PiiMatch[],
  raw: RawSpan[],
): void {
  const regex = new RE2(detector.regex.source, 'gu');
  regex.lastIndex = from;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (m[0].length === 0) break;
    const end = m.index + m[0].length;
    raw.push({ start: m.index, end });
    const accepted = accept(detector, m[0], m.index, text);
    if (accepted === undefined) continue;
    found.push(accepted);
    if (detector.valueGroup === 0 && accepted.end < end) regex.lastIndex = accepted.end;
  }
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function leftBoundaryOk(boundary: PiiDetector['boundary'], text: string, start: number): boolean {
  return start === 0 || boundaryOk(boundary, text, start, text.length);
}

function boundaryOk(boundary: PiiDetector['boundary'], text: string, start: number, end: number): boolean {
  if (boundary === 'none') return true;
  const before = start > 0 ? text.charCodeAt(start - 1) : -1;
  const after = end < text.length ? text.charCodeAt(end) : -1;
  const blocked = (code: number): boolean => {
    if (code < 0) return false;
    if (boundary === 'digit') return code >= 48 && code <= 57;
    if (boundary === 'alnum') return isAlnum(code);
    return isAlnum(code) || code === 95;
  };
  return !blocked(before) && !blocked(after);
}

function contextOk(detector: CompiledDetector, text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - detector.contextWindow), start).toLowerCase();
  return detector.context!.some((word) => before.includes(word));
}

/**
 * Higher priority first, then the longer span, then the earlier one; the result is in text order.
 * Only clusters of overlapping detections need ranking, so the common case (no overlaps) is a sort.
 */
function resolveOverlaps(found: PiiMatch[]): PiiMatch[] {
  if (found.length <= 1) return found;
  const byStart = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiMatch[] = [];
  let cluster: PiiMatch[] = [];
  let clusterEnd = -1;
  for (const match of byStart) {
    if (cluster.length > 0 && match.start >= clusterEnd) {
      resolveCluster(cluster, out);
      cluster = [];
    }
    cluster.push(match);
    clusterEnd = cluster.length === 1 ? match.end : Math.max(clusterEnd, match.end);
  }
  resolveCluster(cluster, out);
  return out;
}

function resolveCluster(cluster: PiiMatch[], out: PiiMatch[]): void {
  if (cluster.length === 1) {
    out.push(cluster[0]!);
    return;
  }
  const ranked = cluster.sort(
    (a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Kept spans sorted by start; a candidate is checked against its two neighbours only.
  const kept: PiiMatch[] = [];
  for (const candidate of ranked) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < candidate.start) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if (before !== undefined && before.end > candidate.start) continue;
    if (after !== undefined && after.start < candidate.end) continue;
    kept.splice(lo, 0, candidate);
  }
  for (const match of kept) out.push(match);
}
