import { CONFUSABLES } from './confusables.js';

/** Text as the detector reads it, with a map back to the caller's original string. */
export interface NormalizedText {
  /** Lower-cased, NFKC-folded, invisible characters removed, look-alikes and leetspeak folded. */
  readonly text: string;
  /**
   * `offsets[i]` is the index in the original string of the character that produced `text[i]`;
   * `offsets[text.length]` is the original length. `undefined` means the identity map.
   */
  readonly offsets: Int32Array | undefined;
}

/**
 * Zero-width, bidi-control and other invisible code points attackers sprinkle inside trigger words
 * ("ig\u200Bnore") so that naive matching misses them. Removed before anything else.
 */
export function isInvisible(cp: number): boolean {
  return (
    cp === 0xad ||
    cp === 0x34f ||
    cp === 0x61c ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0000 && cp <= 0xe007f)
  );
}

const foldCache = new Map<number, string>();
const FOLD_CACHE_MAX = 8192;

/**
 * Folds one non-ASCII code point: NFKC (fullwidth "ｉｇｎｏｒｅ" → "ignore", ligatures, circled
 * letters), lower case, and Latin diacritics dropped when what remains is ASCII ("ïgnörë").
 */
function foldCodePoint(cp: number): string {
  const cached = foldCache.get(cp);
  if (cached !== undefined) return cached;
  const nfkc = String.fromCodePoint(cp).normalize('NFKC').toLowerCase();
  let folded = nfkc;
  const decomposed = nfkc.normalize('NFD');
  let stripped = '';
  let ascii = true;
  for (let i = 0; i < decomposed.length; i++) {
    const c = decomposed.charCodeAt(i);
    if (c >= 0x300 && c <= 0x36f) continue;
    if (c > 0x7f) ascii = false;
    stripped += decomposed[i];
  }
  // Look-alikes (Cyrillic, Greek) are folded later, per word, so real Cyrillic text stays intact.
  if (ascii && stripped.length > 0) folded = stripped;
  if (foldCache.size < FOLD_CACHE_MAX) foldCache.set(cp, folded);
  return folded;
}

// Direct fold table for the BMP: 0 = not computed yet, REMOVE = invisible, MULTI = the fold is
// several code units (use foldCodePoint), otherwise the folded code unit + 1.
const REMOVE = -1;
const MULTI = -2;
const bmpFold = new Int32Array(0x10000);

function bmpEntry(unit: number): number {
  if (isInvisible(unit)) return REMOVE;
  const folded = foldCodePoint(unit);
  return folded.length === 1 ? folded.charCodeAt(0) + 1 : MULTI;
}

// Leetspeak digits and symbols, folded only inside words that also hold letters ("1gn0r3"):
// 0 → o, 1 → i, 3 → e, 4 → a, 5 → s, 7 → t, 8 → b, @ → a, $ → s. Indexed by code unit.
const LEET = new Uint16Array(128);
for (const [from, to] of ['0o', '1i', '3e', '4a', '5s', '7t', '8b', '@a', '$s'])
  LEET[from!.charCodeAt(0)] = to!.charCodeAt(0);

// Look-alikes indexed by code unit (all of them are in the BMP).
const CONFUSABLE = new Uint16Array(0x10000);
for (const [from, to] of CONFUSABLES) if (from < 0x10000) CONFUSABLE[from] = to;

function isAsciiLetter(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

function isWordUnit(c: number): boolean {
  return isAsciiLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x40 || c === 0x24 || c > 0x7f;
}

// Scratch buffers reused across calls (grown on demand): no per-call allocation but the result.
let codes = new Uint16Array(8192);
let offsets = new Int32Array(8192);
const utf16 = new TextDecoder('utf-16le');

function ensure(size: number): void {
  if (size <= codes.length) return;
  let next = codes.length;
  while (next < size) next *= 2;
  const c = new Uint16Array(next);
  c.set(codes);
  codes = c;
  const o = new Int32Array(next);
  o.set(offsets);
  offsets = o;
}

/**
 * Full normalization with an offset map (`withOffsets`, default true; without it `offsets` is
 * always `undefined`). Linear in the input; the per-code-point fold is cached.
 *
 * @example
 * normalizeText('ＩＧＮＯＲＥ a\u200Bll 1nstruct10ns').text; // 'ignore all instructions'
 */
export function normalizeText(input: string, withOffsets = true): NormalizedText {
  ensure(input.length + 64);
  const n = foldUnits(input);
  foldWords(codes, n);
  offsets[n] = input.length;
  const text = utf16.decode(codes.subarray(0, n));
  // The map is copied out only when positions are wanted (explain), not on the scoring path.
  return { text, offsets: unitsIdentity || !withOffsets ? undefined : offsets.slice(0, n + 1) };
}

let unitsIdentity = true;

/** The per-code-unit pass, alone in its function so V8 optimizes the loop once and keeps it. */
function foldUnits(input: string): number {
  // Locals, not the module bindings, inside the loop: V8 keeps them in registers.
  let out = codes;
  let map = offsets;
  let n = 0;
  let identity = true;
  const length = input.length;
  for (let i = 0; i < length; ) {
    const unit = input.charCodeAt(i);
    if (unit < 0x80) {
      out[n] = unit >= 0x41 && unit <= 0x5a ? unit + 32 : unit;
      map[n++] = i++;
      continue;
    }
    // Fast path: a BMP code point whose fold is one code unit (or nothing), from the direct table.
    if (unit < 0xd800 || unit > 0xdfff) {
      let entry = bmpFold[unit]!;
      if (entry === 0) entry = bmpFold[unit] = bmpEntry(unit);
      if (entry === REMOVE) {
        identity = false;
        i++;
        continue;
      }
      if (entry > 0) {
        out[n] = entry - 1;
        map[n++] = i++;
        continue;
      }
    }
    const cp = input.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (isInvisible(cp)) identity = false;
    else {
      const folded = foldCodePoint(cp);
      if (folded.length !== width) identity = false;
      if (n + folded.length + length - i + 64 > out.length) {
        ensure(n + folded.length + length - i + 64);
        out = codes;
        map = offsets;
      }
      for (let k = 0; k < folded.length; k++) {
        out[n] = folded.charCodeAt(k);
        map[n++] = i;
      }
    }
    i += width;
  }
  unitsIdentity = identity;
  return n;
}

/** Folds look-alikes and leetspeak inside each word, in place (one code unit for one). */
function foldWords(codes: Uint16Array, n: number): void {
  let start = 0;
  let prevLatin = false;
  while (start < n) {
    if (!isWordUnit(codes[start]!)) {
      start++;
      continue;
    }
    let end = start;
    let latin = 0;
    let leet = 0;
    let confusable = 0;
    while (end < n && isWordUnit(codes[end]!)) {
      const c = codes[end]!;
      if (isAsciiLetter(c)) latin++;
      else if (c < 128 && LEET[c] !== 0) leet++;
      else if (CONFUSABLE[c] !== 0) confusable++;
      end++;
    }
    // A word made only of look-alikes is folded when the text around it is Latin ("а" in "іgnоrе а").
    if (confusable > 0 && (latin + leet > 0 || (prevLatin && end - start === confusable))) {
      for (let k = start; k < end; k++) {
        const mapped = CONFUSABLE[codes[k]!]!;
        if (mapped !== 0) codes[k] = mapped;
      }
      latin += confusable;
    }
    prevLatin = latin > 0;
    // A word needs real letters around the digits: "mp3" or "2024" stay, "1gn0r3" folds.
    if (leet > 0 && latin >= 2) {
      for (let k = start; k < end; k++) {
        const c = codes[k]!;
        if (c < 128 && LEET[c] !== 0) codes[k] = LEET[c]!;
      }
    }
    start = end;
  }
}

/**
 * Maps a `[start, end)` span of the normalized text back to the original string.
 *
 * @example
 * const n = normalizeText('ig\u200Bnore');
 * mapSpan(n, 0, 6); // [0, 7]
 */
export function mapSpan(normalized: NormalizedText, start: number, end: number): [number, number] {
  const offsets = normalized.offsets;
  if (offsets === undefined) return [start, end];
  const from = offsets[Math.min(start, offsets.length - 1)]!;
  const last = end > start ? offsets[Math.min(end - 1, offsets.length - 1)]! : from;
  // The end is just after the original character that produced the last normalized unit.
  let to = offsets[offsets.length - 1]!;
  for (let k = end; k < offsets.length; k++) {
    if (offsets[k]! > last) {
      to = offsets[k]!;
      break;
    }
  }
  return [from, to];
}
