import RE2 from 're2';
import { LlmGuardError } from '../../errors/llm-guard-error.js';
import { asciiSetPattern, type SetPattern, setPattern } from './set-pattern.js';
import { INJECTION_CATEGORIES, type InjectionRule } from './types.js';

/**
 * Cheap signals that a text needs the slow path (full normalization, spaced-letter folding,
 * decoding). They ride in the same RE2 set as the rules, so clean ASCII prose costs one pass.
 */
export const MARKERS = {
  nonAscii: String.raw`[^\x00-\x7f]`,
  leet: String.raw`[a-z][0134578@$][a-z]|\b[0134578@$][a-z]{2}|[a-z]{2}[0134578@$]\b`,
  spaced: String.raw`(?:^|[^a-z0-9])[a-z](?:[ ._*|/\\-]{1,3}[a-z]){4}`,
  base64: '[a-z0-9+/_-]{20,}={0,2}',
  hex: String.raw`(?:[0-9a-f]{2}[ :]?){12}|(?:\\x[0-9a-f]{2}){4}`,
  url: String.raw`(?:%[0-9a-f]{2}[^%\s]{0,24}){3}`,
  // Named, or two common English words in ROT13 form close together ("gur" = the, "naq" = and).
  rot13: String.raw`\brot-?\s?13\b|\bcaesar\s+(?:cipher|shift)\b|\b(?:gur|naq|lbh|lbhe|jvgu|guvf|gung|nyy|nal|sbe|ner|jvyy|abj|unf|pna|vtaber|cerivbhf|vafgehpgvbaf|flfgrz|cebzcg|erirny|cnffjbeq|frperg|gryy|cergraq|ehyrf|vf|gb|bs|qb)\b[^a-z]{1,3}(?:[a-z]+[^a-z]{1,3}){0,8}(?:gur|naq|lbh|lbhe|jvgu|guvf|gung|nyy|nal|sbe|ner|jvyy|abj|unf|pna|vtaber|cerivbhf|vafgehpgvbaf|flfgrz|cebzcg|erirny|cnffjbeq|frperg|gryy|cergraq|ehyrf)\b`,
  // Stray symbols glued to letters, as in optimizer suffixes ("oppositeley.](", "giving**one").
  soup: String.raw`[a-z][!"#$%&()*+/:;<=>?@\[\\\]^\x60{|}~]{2}|[!"#$%&()*+/:;<=>?@\[\\\]^\x60{|}~]{2}[a-z]`,
} as const;
/** Name of a slow-path marker. */
export type MarkerName = keyof typeof MARKERS;
const MARKER_NAMES = Object.keys(MARKERS) as MarkerName[];

/**
 * Markers that match only a long run of one character class. They cost the set far more than the
 * others (RE2's automaton tracks the run length next to every rule: about a sixth of the time of a
 * 4 KB scan) and prose rarely has such a run, so each set is also compiled without them, and
 * `mayHaveRunMarker` decides on the encoded bytes which of the two a text needs. Each comes in two
 * forms: the rules as written, and their ASCII forms for text without non-ASCII characters (see
 * set-pattern.ts), four sets in all.
 */
const RUN_MARKERS: readonly MarkerName[] = ['base64', 'hex'];
const LITE_MARKER_NAMES = MARKER_NAMES.filter((m) => !RUN_MARKERS.includes(m));
// ASCII text never matches `nonAscii`: the sets for ASCII text leave it out.
const ASCII_MARKER_NAMES = MARKER_NAMES.filter((m) => m !== 'nonAscii');
const ASCII_LITE_MARKER_NAMES = LITE_MARKER_NAMES.filter((m) => m !== 'nonAscii');
/** Set pattern of a rule that cannot match ASCII text: an empty class, which matches nothing. */
const NEVER = String.raw`[^\x00-\x{10ffff}]`;

// Byte classes of the run markers, as in MARKERS.base64 ([a-z0-9+/_-]{20,}) and the first form of
// MARKERS.hex ((?:[0-9a-f]{2}[ :]?){12}, at least 24 bytes of [0-9a-f :]).
const BASE64_BYTE = 1;
const HEX_BYTE = 2;
const BASE64_RUN = 20;
const HEX_RUN = 24;
const BACKSLASH = 0x5c;
/** Bytes before the text in the scratch buffer: the class of every byte value (see `utf8View`). */
const TABLE = 256;
const RUN_CLASS = new Uint8Array(TABLE);
for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789+/_-') RUN_CLASS[c.charCodeAt(0)]! |= BASE64_BYTE;
for (const c of '0123456789abcdef :') RUN_CLASS[c.charCodeAt(0)]! |= HEX_BYTE;

/**
 * Whether the UTF-8 `bytes` may match a run marker: a run of 20 base64 bytes, a run of 24 hex
 * digits and separators, or a backslash (the `\x41` form of hex). Only necessary conditions: when
 * this is false neither marker can match, so the set without them finds exactly the same.
 */
export function mayHaveRunMarker(bytes: Uint8Array): boolean {
  const withTable = withRunClasses(bytes.length);
  withTable.set(bytes, TABLE);
  return hasRunMarker(withTable, bytes.length);
}

/** `mayHaveRunMarker` for the `length` bytes after the class table in `buffer`. */
function hasRunMarker(buffer: Buffer, length: number): boolean {
  return (
    buffer.subarray(TABLE, TABLE + length).indexOf(BACKSLASH) !== -1 ||
    hasClassRun(buffer, length, BASE64_BYTE, BASE64_RUN) ||
    hasClassRun(buffer, length, HEX_BYTE, HEX_RUN)
  );
}

/**
 * Whether the `length` bytes after the class table in `buffer` hold `min` consecutive bytes of
 * class `bit`, reading few of them: it looks at the last byte of the first window that could hold
 * such a run and walks back to the nearest byte outside the class. No run can cross that byte, so
 * the next window ends `min` bytes after it. Windows never overlap, so no byte is read twice
 * (linear on any input); on English prose it reads about one byte in five for base64 and one in
 * fourteen for hex. The table and the bytes share one array: once any ArrayBuffer in the process
 * has been detached, optimized code checks each array it reads for detachment at every access.
 */
function hasClassRun(buffer: Uint8Array, length: number, bit: number, min: number): boolean {
  const n = TABLE + length;
  let lastBreak = TABLE - 1;
  for (let end = lastBreak + min; end < n; end = lastBreak + min) {
    let i = end;
    while (i > lastBreak && (buffer[buffer[i]!]! & bit) !== 0) i--;
    if (i === lastBreak) return true;
    lastBreak = i;
  }
  return false;
}

/** What one pass of the set found: rule indexes (validated) and slow-path markers. */
export interface SetScan {
  readonly rules: readonly number[];
  readonly markers: ReadonlySet<MarkerName>;
}

/** Rules compiled into RE2 sets once; `scan` is one pass over the text. */
export interface RuleEngine {
  readonly rules: readonly InjectionRule[];
  /** One pass of the strict set over normalized text: matching rules and markers. */
  scan(text: string): SetScan;
  /** One pass of the loose set (no word boundaries, optional spaces) over glued spaced-letter runs. */
  scanLoose(text: string): readonly number[];
  /** Positions of rule `index` in `text` (runs only that rule's own regex). */
  positions(index: number, text: string): Array<[number, number]>;
}

const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,79}$/;

// Encoding into a reused buffer is cheaper than letting RE2 convert the string on every call. The
// buffer starts with the run-class table (`TABLE` bytes); the text's bytes follow.
const encoder = new TextEncoder();
let scratch = withRunClasses(16_384);
let scratchText = scratch.subarray(TABLE);
const SCRATCH_MAX = 1 << 20;

function withRunClasses(size: number): Buffer {
  // A Buffer (not a plain Uint8Array): its indexOf is a native byte search.
  const buffer = Buffer.allocUnsafeSlow(TABLE + size);
  buffer.set(RUN_CLASS);
  return buffer;
}

/** The UTF-8 bytes of `text` (after the class table in `scratch`), or `text` itself when too long. */
function utf8View(text: string): Buffer | string {
  const need = text.length * 3;
  if (need > SCRATCH_MAX) return text;
  if (need > scratchText.length) {
    scratch = withRunClasses(Math.min(SCRATCH_MAX, Math.max(need, scratchText.length * 2)));
    scratchText = scratch.subarray(TABLE);
  }
  const { written } = encoder.encodeInto(text, scratchText);
  return Buffer.from(scratch.buffer, scratch.byteOffset + TABLE, written);
}

function invalid(
  rule: Partial<InjectionRule> | undefined,
  index: number,
  why: string,
  cause?: unknown,
): never {
  const id = typeof rule?.id === 'string' ? rule.id : `#${index}`;
  throw new LlmGuardError('ERR_LLMGUARD_INVALID_RULE', {
    detail: `Injection rule "${id}" is invalid: ${why}.`,
    errors: [{ path: `injection.rules.${index}`, code: 'invalid_rule', message: why }],
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Rewrites a pattern for glued text ("ignoreallprevious"): no word boundaries, optional spaces. */
function loosen(pattern: string): string {
  return pattern
    .replaceAll(String.raw`\b`, '')
    .replaceAll(String.raw`\s+`, String.raw`\s*`)
    .replaceAll('(?m)^', '')
    .replaceAll(' ', String.raw`\s*`);
}

/**
 * Validates and compiles rules. Each rule is compiled alone first so a bad one is named in the
 * `ERR_LLMGUARD_INVALID_RULE` error, then all of them go into one `RE2.Set`.
 *
 * @example
 * const engine = compileRules(BUILTIN_RULES);
 * engine.scan('ignore all previous instructions').rules; // [0, ...]
 */
export function compileRules(rules: readonly InjectionRule[]): RuleEngine {
  const seen = new Set<string>();
  const singles: RE2[] = [];
  rules.forEach((rule, index) => {
    if (typeof rule !== 'object' || rule === null) invalid(undefined, index, 'a rule must be an object');
    if (typeof rule.id !== 'string' || !RULE_ID.test(rule.id))
      invalid(rule, index, 'id must match [a-z0-9._-]');
    if (seen.has(rule.id)) invalid(rule, index, 'duplicate id');
    seen.add(rule.id);
    if (!INJECTION_CATEGORIES.includes(rule.category)) invalid(rule, index, 'unknown category');
    if (typeof rule.weight !== 'number' || !(rule.weight > 0 && rule.weight <= 1))
      invalid(rule, index, 'weight must be in (0, 1]');
    if (typeof rule.pattern !== 'string' || rule.pattern.length === 0 || rule.pattern.length > 4000)
      invalid(rule, index, 'pattern must be a non-empty string of at most 4000 characters');
    if (rule.validator !== undefined && typeof rule.validator !== 'function')
      invalid(rule, index, 'validator must be a function');
    if (rule.requires !== undefined && (typeof rule.requires !== 'string' || rule.requires.length === 0))
      invalid(rule, index, 'requires must be a non-empty RE2 pattern');
    if (
      rule.requiresWithin !== undefined &&
      (rule.requires === undefined || !Number.isInteger(rule.requiresWithin) || rule.requiresWithin < 0)
    )
      invalid(rule, index, 'requiresWithin must be a whole number of characters, with requires');
    try {
      if (rule.requires !== undefined) new RE2(rule.requires, '');
      singles.push(new RE2(rule.pattern, 'g'));
      // The loose form must compile too, or spaced-letter text would silently skip this rule.
      new RE2(loosen(rule.pattern), 'g');
    } catch (error) {
      invalid(rule, index, 'pattern does not compile under RE2 (no backreferences or lookaround)', error);
    }
  });

  const options = { maxMem: 64 << 20 };
  const markerOffset = rules.length;
  const general = rules.map((r) => setPattern(r.pattern));
  const ascii = rules.map((r) => asciiSetPattern(r.pattern));
  // Gated rules (`requires`) leave the main sets; each distinct gate rides there as one entry.
  const gatePatterns = [...new Set(rules.flatMap((r) => (r.requires === undefined ? [] : [r.requires])))];
  const gatedRules = gatePatterns.map((gate) => rules.flatMap((r, i) => (r.requires === gate ? [i] : [])));
  const gateOf = rules.map((r) => (r.requires === undefined ? -1 : gatePatterns.indexOf(r.requires)));
  /** The gates on their own, tested on the window around a match (`requiresWithin`). */
  const gateTests = gatePatterns.map((gate) => new RE2(gate, ''));
  const ungated = (patterns: readonly SetPattern[]): SetPattern[] =>
    patterns.map((p, i) => (rules[i]!.requires === undefined ? p : { source: undefined, widened: false }));
  let strict: SetVariant;
  let strictLite: SetVariant;
  let asciiStrict: SetVariant;
  let asciiLite: SetVariant;
  let loose: InstanceType<typeof RE2.Set>;
  let gateSets: Array<InstanceType<typeof RE2.Set> | undefined>;
  try {
    strict = setVariant(rules, ungated(general), MARKER_NAMES, gatePatterns, false, options);
    strictLite = setVariant(rules, ungated(general), LITE_MARKER_NAMES, gatePatterns, false, options);
    asciiStrict = setVariant(rules, ungated(ascii), ASCII_MARKER_NAMES, gatePatterns, true, options);
    asciiLite = setVariant(rules, ungated(ascii), ASCII_LITE_MARKER_NAMES, gatePatterns, true, options);
    gateSets = gatedRules.map((indexes) =>
      indexes.length === 0
        ? undefined
        : new RE2.Set(
            indexes.map((i) => general[i]!.source ?? NEVER),
            '',
            options,
          ),
    );
    loose = new RE2.Set(
      rules.map((r) => loosen(r.pattern)),
      '',
      options,
    );
  } catch (error) {
    return invalid(undefined, 0, 'the rule set does not compile under RE2', error);
  }
  const looseSingles = rules.map((r) => new RE2(loosen(r.pattern), ''));

  /**
   * Whether rule `index` really matches `text`: a match of its own regex that its validator (if
   * any) accepts. Needed when the rule has a validator or its set pattern was widened.
   */
  function confirmed(index: number, text: string): boolean {
    const validator = rules[index]!.validator;
    const single = singles[index]!;
    single.lastIndex = 0;
    for (let m = single.exec(text); m !== null; m = single.exec(text)) {
      if (
        (validator === undefined || validator(m[0], text, m.index)) &&
        gateNear(index, text, m.index, m[0].length)
      )
        return true;
      if (m[0].length === 0) single.lastIndex++;
    }
    return false;
  }

  /**
   * Whether rule `index`'s gate matches within its `requiresWithin` of a match at `start`, `length`
   * long (always true without one). The test on that window stops at the first gate match, which
   * measured cheaper on 4 KB prompts than finding every gate match in the text once per scan.
   */
  function gateNear(index: number, text: string, start: number, length: number): boolean {
    const reach = rules[index]!.requiresWithin;
    if (reach === undefined) return true;
    return gateTests[gateOf[index]!]!.test(text.slice(Math.max(0, start - reach), start + length + reach));
  }

  return {
    rules,
    scan: function scanRules(text: string): SetScan {
      const input = utf8View(text);
      // Text too long for the scratch buffer is rare: it simply gets the full set. Otherwise one
      // byte per character means no character above U+007F, so the ASCII forms find the same.
      let variant = strict;
      if (typeof input !== 'string') {
        const isAscii = input.length === text.length;
        if (hasRunMarker(scratch, input.length)) variant = isAscii ? asciiStrict : strict;
        else variant = isAscii ? asciiLite : strictLite;
      }
      const found = variant.set.match(input);
      const hits: number[] = [];
      let markers: Set<MarkerName> | undefined;
      const gateOffset = markerOffset + variant.markers.length;
      for (const i of found) {
        if (i >= gateOffset) {
          // A gate matched: its rules get their own (small) set pass, and every hit is confirmed.
          const gate = i - gateOffset;
          for (const j of gateSets[gate]!.match(input)) {
            const index = gatedRules[gate]![j]!;
            if (confirmed(index, text)) hits.push(index);
          }
        } else if (i >= markerOffset) {
          markers ??= new Set();
          markers.add(variant.markers[i - markerOffset]!);
        } else if (variant.confirm[i] === 0 || confirmed(i, text)) hits.push(i);
      }
      if (hits.length > 1 && gatePatterns.length > 0) hits.sort((a, b) => a - b);
      return { rules: hits, markers: markers ?? EMPTY_MARKERS };
    },
    scanLoose: function scanLooseRules(text: string): readonly number[] {
      return loose.match(text).filter((i) => {
        const { validator, requiresWithin } = rules[i]!;
        if (validator === undefined && requiresWithin === undefined) return true;
        const m = looseSingles[i]!.exec(text);
        return (
          m !== null &&
          (validator === undefined || validator(m[0], text, m.index)) &&
          gateNear(i, text, m.index, m[0].length)
        );
      });
    },
    positions: function rulePositions(index: number, text: string): Array<[number, number]> {
      const single = singles[index]!;
      const spans: Array<[number, number]> = [];
      single.lastIndex = 0;
      for (let m = single.exec(text); m !== null && spans.length < 32; m = single.exec(text)) {
        spans.push([m.index, m.index + m[0].length]);
        if (m[0].length === 0) single.lastIndex++;
      }
      return spans;
    },
  };
}

const EMPTY_MARKERS: ReadonlySet<MarkerName> = new Set();

/**
 * One compiled set: the rules' set patterns, then markers, then gates. `confirm[i]` is 1 when a hit
 * of rule `i` must be confirmed with its own regex (it has a validator, or its set pattern was
 * widened).
 */
interface SetVariant {
  readonly set: InstanceType<typeof RE2.Set>;
  readonly markers: readonly MarkerName[];
  readonly confirm: Uint8Array;
}

function setVariant(
  rules: readonly InjectionRule[],
  patterns: readonly SetPattern[],
  markers: readonly MarkerName[],
  gates: readonly string[],
  ascii: boolean,
  options: { maxMem: number },
): SetVariant {
  const asAscii = (pattern: string): string => (ascii ? (asciiSetPattern(pattern).source ?? NEVER) : pattern);
  const markerSources = markers.map((m) => asAscii(MARKERS[m]));
  return {
    set: new RE2.Set(
      [...patterns.map((p) => p.source ?? NEVER), ...markerSources, ...gates.map(asAscii)],
      '',
      options,
    ),
    markers,
    confirm: Uint8Array.from(patterns, (p, i) => (p.widened || rules[i]!.validator !== undefined ? 1 : 0)),
  };
}
