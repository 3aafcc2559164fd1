import RE2 from 're2';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import type { PiiCategory, PiiDetector, PiiMatch } from './types.js';
import { isAsciiAlnum, isEmailLocalChar } from './validators/ascii.js';

/** Memory budget of the detector set's DFA cache (bytes); filled lazily, per scanner. */
const SET_MAX_MEM = 32 << 20;

/** Texts longer than this (a typical prompt is shorter) are prefiltered by three smaller sets. */
const SPLIT_SETS_FROM = 4608;
/** Longest value a detector reports unless it says otherwise; longer runs are not one value. */
const DEFAULT_MAX_LENGTH = 8192;
/** Text a context match may hold besides its value group (`aws_secret_access_key = "`). */
const NAME_ALLOWANCE = 512;
/**
 * Text searched after a context word, beyond the context window itself: room for the longest value
 * a context-gated pattern can match (dates, passport and licence numbers are under 40 characters).
 */
const CONTEXT_TAIL = 256;

/** Characters of text before a value that validators and context words may look at. */
export const LEFT_CONTEXT = 64;
/** Characters after a value that validators may look at (boundaries, "… office" labels). */
export const RIGHT_CONTEXT = 24;

interface CompiledDetector {
  readonly type: string;
  readonly category: PiiCategory;
  /** Global: all matches come back from one native call (an `exec` call costs ~3 µs, `match` ~0.3 µs a hit). */
  readonly regex: RE2;
  /**
   * The pattern after one character that passes the left boundary (`[^A-Za-z0-9]` for `alnum`), run
   * on the text from one character before the scan start: inside a run of digits or letters no
   * candidate can start, so a 1 MB digit flood yields one candidate, not one per 19 digits.
   */
  readonly bounded: boolean;
  /** Non-global with indices, run on a single match to locate the value group. */
  readonly groups: RE2 | undefined;
  readonly valueGroup: number;
  /**
   * The value group closes the pattern (`name = (value)`), so it ends every match: when a text holds
   * several matches, one `replace` pass hands over each one's offset and value instead of a
   * per-match `exec` (~3 µs each).
   */
  readonly valueAtEnd: boolean;
  readonly boundary: PiiDetector['boundary'];
  readonly validate: PiiDetector['validate'];
  readonly context: readonly string[] | undefined;
  /** Global, case-insensitive: where the context words occur. Only the text after them is searched. */
  readonly contextWords: RE2 | undefined;
  readonly contextWindow: number;
  readonly maxLength: number;
  readonly priority: number;
  readonly strictFormat: boolean;
  /** Set when the detector declares anchors and its pattern is not bounded (see `PiiDetector.anchors`). */
  readonly anchors: readonly string[] | undefined;
  /** Matches per distinct match from which value groups are located once per distinct match. */
  readonly repeatsFrom: number;
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
  return compileScanner(detectors, REPEATS_FROM);
}

/**
 * `createPiiScanner` with its shortcuts as parameters, which tests turn off for a reference: the
 * repeat threshold (`Infinity` turns off reading repeated matches' value groups once), and whether a
 * context-gated detector's words are searched only when its value pattern occurs too.
 */
export function compileScanner(
  detectors: readonly PiiDetector[],
  repeatsFrom: number,
  gateContextOnValue = true,
): PiiScanner {
  const compiled: CompiledDetector[] = detectors.map((detector) => {
    const source = detector.ignoreCase === true ? `(?i:${detector.pattern})` : detector.pattern;
    const before = detector.valueGroup ? undefined : BOUNDARY_BEFORE[detector.boundary ?? 'word'];
    let regex: RE2;
    let groups: RE2 | undefined;
    try {
      regex = new RE2(before === undefined ? source : `${before}(?:${source})`, 'gu');
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
      bounded: before !== undefined,
      groups,
      valueGroup: detector.valueGroup ?? 0,
      valueAtEnd:
        detector.valueGroup !== undefined && groupEndsPattern(detector.pattern, detector.valueGroup),
      boundary: detector.boundary ?? 'word',
      validate: detector.validate,
      context: detector.context?.map((word) => word.toLowerCase()),
      contextWords:
        detector.context === undefined || detector.context.length === 0
          ? undefined
          : new RE2(detector.context.map(escapeRegExp).join('|'), 'giu'),
      maxLength: detector.maxLength ?? DEFAULT_MAX_LENGTH,
      contextWindow: Math.min(detector.contextWindow ?? 48, LEFT_CONTEXT),
      priority: detector.priority ?? 0,
      strictFormat: detector.strictFormat === true,
      anchors:
        detector.context === undefined && (detector.anchors?.length ?? 0) > 0
          ? detector.anchors!.filter((anchor) => anchor.length > 0)
          : undefined,
      repeatsFrom,
    };
  });
  // Beyond 4.5 KB of text, three sets rather than one: RE2 builds one DFA per set whose states
  // combine the states of its patterns, and on random text (a base64 blob) the combination of 100+
  // credential shapes with the personal-data shapes makes a new state almost every character. Split
  // by kind, each DFA stays small: a 1 MB base64 blob is scanned about 15× faster, for two more
  // passes that would double the cost of a short prompt (which cannot hold many new states).
  // Set entries: each detector's own, and for a context-gated detector (whose entry is its context
  // words) a second one, its value pattern. Its words are searched for positions only when both
  // occur: a context word alone (`dob` by chance inside a base64 blob) would otherwise cost a pass
  // over the whole text, whatever its length, and a long text holds such a word more often.
  const gated = detectors.map((detector) => gateContextOnValue && (detector.context?.length ?? 0) > 0);
  const entries: { readonly pattern: string; readonly detector: number }[] = [];
  detectors.forEach((detector, index) => {
    entries.push({ pattern: setPattern(detector), detector: index });
    if (gated[index]) entries.push({ pattern: valueSetPattern(detector), detector: index });
  });
  const groups = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    const detector = detectors[entry.detector]!;
    const kind =
      detector.category === 'pii'
        ? 'pii'
        : detector.valueGroup || detector.boundary === 'none'
          ? 'anchored'
          : 'token';
    groups.set(kind, [...(groups.get(kind) ?? []), index]);
  });
  let whole: InstanceType<typeof RE2.Set> | undefined;
  const sets: { readonly set: InstanceType<typeof RE2.Set>; readonly indices: readonly number[] }[] = [];
  try {
    // RE2's default budget (8 MB) is too small for 100+ credential shapes: on random base62 text
    // the lazy DFA keeps overflowing and falls back to the NFA, 10× slower.
    if (entries.length > 0) {
      whole = new RE2.Set(
        entries.map((entry) => entry.pattern),
        'u',
        { maxMem: SET_MAX_MEM },
      );
    }
    if (groups.size > 1) {
      for (const indices of groups.values()) {
        const set = new RE2.Set(
          indices.map((index) => entries[index]!.pattern),
          'u',
          { maxMem: SET_MAX_MEM },
        );
        sets.push({ set, indices });
      }
    }
  } catch (cause) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_RULE', {
      detail: 'The detector patterns do not compile as RE2 sets.',
      cause,
    });
  }
  /** Indices of the detectors all of whose set entries occur in `text`, ascending. */
  const candidates = (text: string): number[] => {
    let entryHits: number[];
    if (sets.length === 0 || text.length <= SPLIT_SETS_FROM) entryHits = whole!.match(text);
    else {
      // One UTF-8 conversion for all the sets.
      const bytes = Buffer.from(text, 'utf8');
      entryHits = [];
      for (const { set, indices } of sets) for (const hit of set.match(bytes)) entryHits.push(indices[hit]!);
    }
    const hits: number[] = [];
    // A gated detector counts once both of its entries occurred (the second one seen adds it).
    const halfSeen = new Set<number>();
    for (const entry of entryHits) {
      const detector = entries[entry]!.detector;
      if (!gated[detector] || halfSeen.has(detector)) hits.push(detector);
      else halfSeen.add(detector);
    }
    return hits.sort((a, b) => a - b);
  };
  const window = detectors.reduce((max, d) => Math.max(max, d.window ?? 128), 0);
  const types = [...new Set(detectors.map((d) => d.type))];

  return {
    window,
    types,
    scan(text: string, from = 0): ScanResult {
      if (whole === undefined || text.length === from) return { matches: [], raw: [] };
      const hits = candidates(text);
      if (hits.length === 0) return { matches: [], raw: [] };
      const found: PiiMatch[] = [];
      const raw: RawSpan[] = [];
      // Bounded patterns read the character before the value: the real one, or a newline at the start.
      const plainTarget = from === 0 ? text : text.slice(from);
      const boundedTarget =
        from === 0 || isSurrogate(text.charCodeAt(from - 1)) ? `\n${plainTarget}` : text.slice(from - 1);
      for (const index of hits) {
        const detector = compiled[index]!;
        if (detector.contextWords !== undefined) {
          scanAfterContextWords(detector, text, from, found, raw);
          continue;
        }
        if (detector.anchors !== undefined && detector.anchors.length > 0) {
          scanAnchoredRuns(detector, text, from, found, raw);
          continue;
        }
        const subject = detector.bounded ? boundedTarget : plainTarget;
        // Subject index 0 is text index `from`, or `from - 1` for a bounded pattern.
        scanSubject(detector, text, subject, detector.bounded ? from - 1 : from, text.length, found, raw);
      }
      return { matches: resolveOverlaps(found), raw };
    },
  };
}

/**
 * One detector's leftmost scan of `subject`, whose index 0 is text index `base`, reporting every
 * candidate in `raw` and the accepted ones in `found`. `stop` is where the searched stretch of text
 * ends (a trimmed value's rescan does not run past it).
 */
function scanSubject(
  detector: CompiledDetector,
  text: string,
  subject: string,
  base: number,
  stop: number,
  found: PiiMatch[],
  raw: RawSpan[],
): void {
  const all = subject.match(detector.regex);
  if (all === null) return;
  let offsets: Map<string, number> | undefined;
  if (detector.groups !== undefined && all.length >= ONE_PASS_GROUPS_FROM && allShort(all, detector)) {
    offsets = repeatedValueOffsets(detector, all);
    if (offsets === undefined && detector.valueAtEnd) {
      scanValueGroups(detector, text, subject, base, found, raw);
      return;
    }
  }
  // Patterns have no anchors or \b, so the next occurrence of a match's text at or after the
  // previous match's end is exactly where the leftmost scan found it.
  let at = 0;
  for (let i = 0; i < all.length; i++) {
    const whole = all[i]!;
    const position = subject.indexOf(whole, at);
    if (position < 0) {
      // A lone surrogate comes back from RE2 as U+FFFD: continue with positions from `exec`.
      rescan(detector, text, base + at + (detector.bounded ? 1 : 0), found, raw, stop);
      return;
    }
    at = position + whole.length;
    const skip = detector.bounded ? leadLength(whole) : 0;
    if (whole.length <= skip) continue;
    const matched = skip === 0 ? whole : whole.slice(skip);
    const matchStart = base + position + skip;
    const matchEnd = matchStart + matched.length;
    raw.push({ start: matchStart, end: matchEnd });
    const offset = offsets?.get(matched);
    if (offset === NO_VALUE) continue;
    const accepted = accept(detector, matched, matchStart, text, offset);
    if (accepted === undefined) continue;
    found.push(accepted);
    // A value trimmed by its validator (an IBAN with glued text) frees the rest: rescan it.
    if (detector.valueGroup === 0 && accepted.end < matchEnd) {
      rescan(detector, text, accepted.end, found, raw, stop);
      return;
    }
  }
}

/**
 * Matches from which a detector whose value group ends its pattern takes the values in one pass
 * rather than one `exec` each: below this, the second pass over the text costs more than it saves.
 */
const ONE_PASS_GROUPS_FROM = 4;

/**
 * A text whose matches repeat (`secret: "secret: "…`, the same line pasted a thousand times) has
 * each distinct match's value group located once: at most one distinct string per this many
 * matches, or the one-pass and per-match searches are used.
 */
const REPEATS_FROM = 4;
/** Offset of a distinct match whose value group did not take part. */
const NO_VALUE = -1;

/**
 * Where the value group starts in each distinct match, when the matches repeat enough; otherwise
 * `undefined`. A match is found by a leftmost search and none of these patterns looks past its
 * end, so the group lies where it does in the match searched on its own.
 */
function repeatedValueOffsets(
  detector: CompiledDetector,
  matches: readonly string[],
): Map<string, number> | undefined {
  const limit = Math.floor(matches.length / detector.repeatsFrom);
  const offsets = new Map<string, number>();
  for (const match of matches) {
    if (offsets.has(match)) continue;
    if (offsets.size === limit) return undefined;
    offsets.set(match, NO_VALUE);
  }
  for (const match of offsets.keys()) {
    const m = detector.groups!.exec(match);
    const span = m?.indices?.[detector.valueGroup];
    if (span !== undefined && m?.[detector.valueGroup] !== undefined) offsets.set(match, span[0]);
  }
  return offsets;
}

/**
 * No match is longer than a value of the type plus its name: locating the group in a longer one
 * (`api_key=api_key=…` for a megabyte) would run RE2's slow submatch engine over all of it, where
 * `accept` rejects such a match by its length alone.
 */
function allShort(matches: readonly string[], detector: CompiledDetector): boolean {
  const limit = detector.maxLength + NAME_ALLOWANCE;
  for (const match of matches) if (match.length > limit) return false;
  return true;
}

/**
 * `scanSubject` for a detector whose value group ends the pattern: one native `replace` pass calls
 * back with each match's offset and group text, and the value is the match's tail of that length.
 * The spans are read from `text` itself, so a lone surrogate (U+FFFD from RE2) changes nothing.
 */
function scanValueGroups(
  detector: CompiledDetector,
  text: string,
  subject: string,
  base: number,
  found: PiiMatch[],
  raw: RawSpan[],
): void {
  const group = detector.valueGroup;
  subject.replace(detector.regex, (...args: unknown[]): string => {
    const whole = args[0] as string;
    const value = args[group] as string | undefined;
    // Arguments: the match, every group (strings or undefined), then the offset (a number).
    let k = group + 1;
    while (k < args.length && typeof args[k] !== 'number') k++;
    const matchStart = base + (args[k] as number);
    const matchEnd = matchStart + whole.length;
    raw.push({ start: matchStart, end: matchEnd });
    if (value === undefined) return '';
    const accepted = accept(
      detector,
      text.slice(matchStart, matchEnd),
      matchStart,
      text,
      whole.length - value.length,
    );
    if (accepted !== undefined) found.push(accepted);
    return '';
  });
}

/**
 * Whether capture group `group` of `pattern` closes it at the top level with no top-level `|`: then
 * the group's text ends every match. Escapes, character classes and non-capturing groups are
 * skipped; named groups (`(?P<n>…)`, `(?<n>…)`) count as capturing, as in RE2.
 */
export function groupEndsPattern(pattern: string, group: number): boolean {
  const open: boolean[] = [];
  let captures = 0;
  let closedAt = -1;
  let closedDepth = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      // A class runs to the first `]` that is not escaped and not its first member.
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') {
        if (pattern[i] === '\\') i++;
        else if (pattern[i] === '[' && pattern[i + 1] === ':') {
          const end = pattern.indexOf(':]', i + 2);
          if (end > 0) i = end + 1;
        }
        i++;
      }
    } else if (c === '(') {
      const named =
        pattern.startsWith('?P<', i + 1) ||
        (pattern.startsWith('?<', i + 1) && !'=!'.includes(pattern[i + 3] ?? ''));
      const capturing = pattern[i + 1] !== '?' || named;
      if (capturing) captures++;
      open.push(capturing && captures === group);
    } else if (c === ')') {
      if (open.pop() === true) {
        closedAt = i;
        closedDepth = open.length;
      }
    } else if (c === '|' && open.length === 0) {
      return false;
    }
  }
  return closedAt === pattern.length - 1 && closedDepth === 0;
}

/**
 * A detector with anchors (`@` for emails) is run only on the whitespace-free runs of text that
 * hold an anchor followed by one more non-space character. No match spans a space, and every match
 * holds such an anchor, so these runs contain every match the whole-text scan would find, and each
 * run is searched from its start just as the whole-text scan reaches it. A sentence of prose costs
 * a few `indexOf` calls instead of a regex pass over all of it.
 */
function scanAnchoredRuns(
  detector: CompiledDetector,
  text: string,
  from: number,
  found: PiiMatch[],
  raw: RawSpan[],
): void {
  const runs = anchoredRuns(detector.anchors!, text, from);
  if (runs === undefined) {
    // Text dense with such runs (`a@b.co a@b.co …`): one regex call per run would cost more than
    // the single pass over the whole text, which finds the same matches.
    scanStretch(detector, text, from, text.length, found, raw);
    return;
  }
  for (let i = 0; i < runs.length; i += 2) scanStretch(detector, text, runs[i]!, runs[i + 1]!, found, raw);
}

/** Runs `detector` on `text` from `start` to `stop` (see `subjectOf`). */
function scanStretch(
  detector: CompiledDetector,
  text: string,
  start: number,
  stop: number,
  found: PiiMatch[],
  raw: RawSpan[],
): void {
  scanSubject(
    detector,
    text,
    subjectOf(detector, text, start, stop),
    start - (detector.bounded ? 1 : 0),
    stop,
    found,
    raw,
  );
}

/**
 * The text a detector searches for `text[start, stop)`. A bounded pattern also reads the character
 * before `start`; a newline stands in for it at the start of the text or for half a surrogate pair.
 */
function subjectOf(detector: CompiledDetector, text: string, start: number, stop: number): string {
  if (!detector.bounded) return start === 0 && stop === text.length ? text : text.slice(start, stop);
  return start === 0 || isSurrogate(text.charCodeAt(start - 1))
    ? `\n${text.slice(start, stop)}`
    : text.slice(start - 1, stop);
}

/**
 * Start and end of each run of `text` (from `from`, between run breaks) holding an anchor followed
 * by another character, as flat pairs in text order; `undefined` when there are more than
 * `MAX_ANCHORED_RUNS` of them.
 */
function anchoredRuns(anchors: readonly string[], text: string, from: number): number[] | undefined {
  const length = text.length;
  const runs: number[] = [];
  // Next occurrence of each anchor (-1: none left).
  const next = anchors.map((anchor) => text.indexOf(anchor, from));
  let covered = from;
  for (;;) {
    let k = -1;
    for (let j = 0; j < next.length; j++) {
      if (next[j]! >= 0 && (k < 0 || next[j]! < next[k]!)) k = j;
    }
    if (k < 0) return runs;
    const position = next[k]!;
    const after = position + anchors[k]!.length;
    if (after >= length || isRunBreak(text.charCodeAt(after)) || position < covered) {
      next[k] = text.indexOf(anchors[k]!, position + 1);
      continue;
    }
    if (runs.length === 2 * MAX_ANCHORED_RUNS) return undefined;
    // A long run is searched just as fast in the one pass over the whole text: stop walking.
    const lowest = Math.max(from, position - MAX_ANCHORED_RUN_LENGTH);
    let start = position;
    while (start > lowest && !isRunBreak(text.charCodeAt(start - 1))) start--;
    if (start === lowest && start > from && !isRunBreak(text.charCodeAt(start - 1))) return undefined;
    const highest = Math.min(length, start + MAX_ANCHORED_RUN_LENGTH);
    let stop = after;
    while (stop < highest && !isRunBreak(text.charCodeAt(stop))) stop++;
    if (stop === highest && stop < length && !isRunBreak(text.charCodeAt(stop))) return undefined;
    runs.push(start, stop);
    covered = stop;
    for (let j = 0; j < next.length; j++)
      if (next[j]! >= 0 && next[j]! < stop) next[j] = text.indexOf(anchors[j]!, stop);
  }
}

/** Space, tab, LF, form feed, CR: what RE2's `\s` matches, and what no anchored match contains. */
function isRunBreak(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}

/** Runs searched one by one; with more, or a longer one, the whole text is searched in one pass. */
const MAX_ANCHORED_RUNS = 4;
const MAX_ANCHORED_RUN_LENGTH = 1024;

/**
 * A detector that needs a context word (`passport`, `dob`) is only run on the text just after the
 * words' occurrences, so a flood of look-alike numbers without the word costs one search for the
 * words rather than one candidate per number. Every candidate still passes `contextOk`.
 */
function scanAfterContextWords(
  detector: CompiledDetector,
  text: string,
  from: number,
  found: PiiMatch[],
  raw: RawSpan[],
): void {
  const searchFrom = Math.max(0, from - detector.contextWindow);
  const haystack = searchFrom === 0 ? text : text.slice(searchFrom);
  const words = haystack.match(detector.contextWords!);
  if (words === null) return;
  // Regions [start, end) where a candidate may start, merged when they overlap.
  let at = 0;
  let regionStart = -1;
  let regionEnd = -1;
  const flush = (): void => {
    if (regionStart < 0) return;
    const start = Math.max(from, regionStart);
    if (start < regionEnd)
      scanRegion(
        detector,
        text,
        start,
        Math.min(text.length, regionEnd + CONTEXT_TAIL),
        regionEnd,
        found,
        raw,
      );
  };
  for (const word of words) {
    const position = haystack.indexOf(word, at);
    // A lone surrogate comes back as U+FFFD: search the rest of the text as one region.
    const wordStart = position < 0 ? searchFrom + at : searchFrom + position;
    const wordEnd = position < 0 ? text.length : wordStart + word.length;
    at = position < 0 ? haystack.length : position + word.length;
    // A candidate may start anywhere from the word (overlapping words were merged by the search)
    // to a context window after it.
    const start = wordStart;
    const end = wordEnd + detector.contextWindow + 1;
    if (start <= regionEnd) regionEnd = Math.max(regionEnd, end);
    else {
      flush();
      regionStart = start;
      regionEnd = end;
    }
    if (position < 0) break;
  }
  flush();
}

/** Candidates of one detector in `text[start, stop)` that start before `last`. */
function scanRegion(
  detector: CompiledDetector,
  text: string,
  start: number,
  stop: number,
  last: number,
  found: PiiMatch[],
  raw: RawSpan[],
): void {
  const base = start - (detector.bounded ? 1 : 0);
  const subject = subjectOf(detector, text, start, stop);
  const all = subject.match(detector.regex);
  if (all === null) return;
  let at = 0;
  for (const whole of all) {
    const position = subject.indexOf(whole, at);
    if (position < 0) return;
    at = position + whole.length;
    const skip = detector.bounded ? leadLength(whole) : 0;
    if (whole.length <= skip) continue;
    const matchStart = base + position + skip;
    if (matchStart >= last) return;
    const matched = skip === 0 ? whole : whole.slice(skip);
    raw.push({ start: matchStart, end: matchStart + matched.length });
    const accepted = accept(detector, matched, matchStart, text);
    if (accepted !== undefined) found.push(accepted);
  }
}

function escapeRegExp(word: string): string {
  return word.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/**
 * The detection `matched` yields, or `undefined`. `valueOffset` is where the value group starts in
 * `matched` when the caller already knows it; otherwise the group is located here.
 */
function accept(
  detector: CompiledDetector,
  matched: string,
  matchStart: number,
  text: string,
  valueOffset?: number,
): PiiMatch | undefined {
  let start = matchStart;
  let value = matched;
  if (detector.groups !== undefined) {
    // Checked before the groups are extracted (a backtracking pass over the whole match).
    if (matched.length > detector.maxLength + NAME_ALLOWANCE) return undefined;
  }
  if (valueOffset !== undefined) {
    start = matchStart + valueOffset;
    value = matched.slice(valueOffset);
  } else if (detector.groups !== undefined) {
    const m = detector.groups.exec(matched);
    const span = m?.indices?.[detector.valueGroup];
    const groupValue = m?.[detector.valueGroup];
    if (span === undefined || groupValue === undefined) return undefined;
    start = matchStart + span[0];
    // Read from the text: RE2 hands back a lone surrogate as U+FFFD.
    value = matched.slice(span[0], span[0] + groupValue.length);
  }
  // A run longer than any value of the type (`api_key=api_key=…` for a megabyte) is not one value.
  if (value.length > detector.maxLength) return undefined;
  let end = start + value.length;
  // Validators only ever trim the end, so the left boundary can be judged first: inside a long run
  // of digits or dots every candidate but the first fails here, before any costly validator runs.
  if (!leftBoundaryOk(detector.boundary, text, start)) return undefined;
  if (detector.context !== undefined && !contextOk(detector, text, start)) return undefined;
  if (detector.validate !== undefined) {
    const verdict = detector.validate(value, text, start, end);
    if (verdict === false || verdict === 0) return undefined;
    if (typeof verdict === 'number' && verdict < value.length) {
      value = value.slice(0, verdict);
      end = start + verdict;
    }
  }
  // After the validator, which rejects most look-alikes at a glance (`scheme://a:` without `@`).
  if (detector.category === 'secret' && looksLikePlaceholder(value, detector.strictFormat)) return undefined;
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
  'sample',
  'dummy',
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
  stop = text.length,
): void {
  const regex = new RE2(detector.regex.source, 'gu');
  // A bounded pattern starts one character early, on the character before the value.
  regex.lastIndex = detector.bounded ? Math.max(0, from - 1) : from;
  // Only the searched stretch: indices stay those of `text`, validators still see all of it.
  const subject = stop >= text.length ? text : text.slice(0, stop);
  for (let m = regex.exec(subject); m !== null; m = regex.exec(subject)) {
    const skip = detector.bounded ? leadLength(m[0]) : 0;
    if (m[0].length <= skip) break;
    const start = m.index + skip;
    const end = m.index + m[0].length;
    raw.push({ start, end });
    // The text's own characters: RE2 hands back a lone surrogate as U+FFFD.
    const accepted = accept(detector, text.slice(start, end), start, text);
    if (accepted === undefined) continue;
    found.push(accepted);
    if (detector.valueGroup === 0 && accepted.end < end)
      regex.lastIndex = accepted.end - (detector.bounded ? 1 : 0);
  }
}

/** UTF-16 length of the first character (the boundary character a bounded pattern starts with). */
function leadLength(matched: string): number {
  return isSurrogate(matched.charCodeAt(0)) && matched.length > 1 ? 2 : 1;
}

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

/**
 * What the set looks for per detector: the context words of a context-gated detector (its pattern
 * only runs after them; its value pattern is a second entry), otherwise the pattern with its left
 * boundary. The boundary keeps RE2's DFA small on random text: `[MNO][A-Za-z0-9_-]{23,25}` alone
 * must remember which of the last 25 characters were an M, N or O (millions of states in a base64
 * blob, so the cache thrashes), while after a boundary character it only counts from the start of
 * the run.
 */
export function setPattern(detector: PiiDetector): string {
  if (detector.context !== undefined && detector.context.length > 0)
    return `(?i:${detector.context.map(escapeRegExp).join('|')})`;
  return valueSetPattern(detector);
}

/** A detector's value pattern as a set entry, with the character before it its boundary allows. */
function valueSetPattern(detector: PiiDetector): string {
  const source = detector.ignoreCase === true ? `(?i:${detector.pattern})` : detector.pattern;
  const before = detector.valueGroup ? undefined : BOUNDARY_BEFORE[detector.boundary ?? 'word'];
  return before === undefined ? source : `(?:^|${before})(?:${source})`;
}

/** The character before a value, per boundary, as an RE2 class (`none`: no constraint). */
const BOUNDARY_BEFORE: Readonly<Record<PiiDetector['boundary'] & string, string | undefined>> = {
  word: '[^A-Za-z0-9_]',
  alnum: '[^A-Za-z0-9]',
  digit: '[^0-9]',
  address: '[^A-Za-z0-9._%+@-]',
  none: undefined,
};

function leftBoundaryOk(boundary: PiiDetector['boundary'], text: string, start: number): boolean {
  return start === 0 || boundaryOk(boundary, text, start, text.length);
}

function boundaryOk(boundary: PiiDetector['boundary'], text: string, start: number, end: number): boolean {
  if (boundary === 'none') return true;
  const left = !blocks(boundary, start > 0 ? text.charCodeAt(start - 1) : -1);
  // An address may end before any character (`mail a@b.co.`): only its left side is bounded.
  return boundary === 'address' ? left : left && !blocks(boundary, text.charCodeAt(end));
}

/** Whether a neighbouring character (`NaN` or -1: none) breaks the boundary. */
function blocks(boundary: PiiDetector['boundary'], code: number): boolean {
  if (!(code >= 0)) return false;
  if (boundary === 'digit') return code >= 48 && code <= 57;
  if (boundary === 'alnum') return isAsciiAlnum(code);
  if (boundary === 'address') return isEmailLocalChar(code) || code === 64; // or @
  return isAsciiAlnum(code) || code === 95;
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
  // One detector's detections come in text order: a flood of one type needs no sort.
  let ordered = true;
  for (let i = 1; ordered && i < found.length; i++) {
    const a = found[i - 1]!;
    const b = found[i]!;
    ordered = a.start < b.start || (a.start === b.start && a.end >= b.end);
  }
  const byStart = ordered ? found : [...found].sort((a, b) => a.start - b.start || b.end - a.end);
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
