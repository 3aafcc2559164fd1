import RE2 from 're2';
import type { MarkerName } from '../rules/rule-engine.js';

/** Text hidden under an encoding, decoded for a rescan. */
export interface DecodedLayer {
  readonly kind: 'base64' | 'hex' | 'url' | 'rot13' | 'spaced';
  readonly text: string;
  /** Span of the encoded text in the string it was found in. */
  readonly start: number;
  readonly end: number;
}

/** Bounds on decoding work per scan. */
export interface DecodeBudget {
  /** Characters of decoded text still allowed (shared by every layer and depth). */
  remaining: number;
}

const MAX_CANDIDATES = 16;

// Candidates are found on the original text (base64 is case-sensitive), always with RE2.
const BASE64 = new RE2('[A-Za-z0-9+/]{20,}={0,2}|[A-Za-z0-9_-]{20,}={0,2}', 'g');
const HEX = new RE2(
  String.raw`(?:\\x[0-9A-Fa-f]{2}){4,}|(?:[0-9A-Fa-f]{2}[ :]){11,}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{2}){12,}`,
  'g',
);
const URL_ENCODED = new RE2(String.raw`\S*(?:%[0-9A-Fa-f]{2}[^\s%]{0,24}){3,}`, 'g');
// Runs of single letters split by one to three separators: "i g n o r e", "i_g_n_o_r_e". No `\b`:
// RE2 counts `_` as a word character.
const SPACED = new RE2(String.raw`(?:^|[^a-z0-9])[a-z](?:[ ._*|/\\-]{1,3}[a-z]){3,}`, 'g');

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');
const utf16 = new TextDecoder('utf-16le');

/** Decoded bytes count as hidden text only if they are valid UTF-8 and mostly printable prose. */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  let printable = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) printable++;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c > 0x7f) letters++;
  }
  return printable >= text.length * 0.95 && letters >= text.length * 0.5 ? text : undefined;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

function decodeHex(run: string): Uint8Array {
  const out = new Uint8Array(run.length >> 1);
  let n = 0;
  let high = -1;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    // Skip the "x" of "\x41" and its backslash, and separators.
    if (c === 0x5c || c === 0x78 || c === 0x58 || c === 0x20 || c === 0x3a) {
      if (c === 0x5c || c === 0x78 || c === 0x58) high = -1;
      continue;
    }
    const v = hexValue(c);
    if (v < 0) continue;
    if (high < 0) high = v;
    else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  return out.subarray(0, n);
}

function decodePercent(run: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (
      c === 0x25 &&
      i + 2 < run.length &&
      hexValue(run.charCodeAt(i + 1)) >= 0 &&
      hexValue(run.charCodeAt(i + 2)) >= 0
    ) {
      bytes.push((hexValue(run.charCodeAt(i + 1)) << 4) | hexValue(run.charCodeAt(i + 2)));
      i += 2;
    } else if (c === 0x2b) bytes.push(0x20);
    else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(run[i]!, 'utf8')) bytes.push(b);
  }
  return utf8Lenient.decode(Uint8Array.from(bytes));
}

function each(
  re: RE2,
  text: string,
  budget: DecodeBudget,
  visit: (match: string, index: number) => void,
): void {
  re.lastIndex = 0;
  let found = 0;
  for (
    let m = re.exec(text);
    m !== null && found < MAX_CANDIDATES && budget.remaining > 0;
    m = re.exec(text)
  ) {
    visit(m[0], m.index);
    found++;
  }
  re.lastIndex = 0;
}

function take(budget: DecodeBudget, text: string | undefined): string | undefined {
  if (text === undefined || text.length === 0 || text.length > budget.remaining) return undefined;
  budget.remaining -= text.length;
  return text;
}

/** ROT13 of ASCII letters; everything else unchanged. */
export function rot13(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(((c - 0x61 + 13) % 26) + 0x61);
    else if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(((c - 0x41 + 13) % 26) + 0x41);
    else out += text[i];
  }
  return out;
}

/**
 * Glues spaced-out letters back into words. A separator of one character joins letters; two or
 * more spaces, or a slash or bar, start a new word ("i g n o r e   a l l" → "ignore all").
 */
export function foldSpacedRuns(normalized: string, budget: DecodeBudget): DecodedLayer[] {
  const layers: DecodedLayer[] = [];
  each(SPACED, normalized, budget, (run, index) => {
    // Never build more than the budget allows: a 1 MB run of "a b c d" stops at the cap.
    const cap = Math.min(budget.remaining, run.length);
    if (cap <= 0) return;
    const out = new Uint16Array(cap);
    let len = 0;
    let gap = 0;
    let breakWord = false;
    // RE2 has no lookahead: a final letter that starts an ordinary word ("s now") is not part of the run.
    const next = normalized.charCodeAt(index + run.length);
    const last =
      (next >= 0x61 && next <= 0x7a) || (next >= 0x30 && next <= 0x39) ? run.length - 1 : run.length;
    for (let i = 0; i < last && len < cap; i++) {
      const c = run.charCodeAt(i);
      if (c >= 0x61 && c <= 0x7a) {
        if (len > 0 && (gap >= 2 || breakWord) && len < cap - 1) out[len++] = 0x20;
        out[len++] = c;
        gap = 0;
        breakWord = false;
      } else {
        gap++;
        if (c === 0x2f || c === 0x7c) breakWord = true;
      }
    }
    const text = take(budget, utf16.decode(out.subarray(0, len)));
    if (text !== undefined) layers.push({ kind: 'spaced', text, start: index, end: index + run.length });
  });
  return layers;
}

/**
 * Finds and decodes base64, hex and URL-encoded runs in `original`, only for the encodings whose
 * markers fired. Bounded: at most 16 candidates per encoding and `budget.remaining` characters.
 */
export function decodeLayers(
  original: string,
  markers: ReadonlySet<MarkerName>,
  budget: DecodeBudget,
): DecodedLayer[] {
  const layers: DecodedLayer[] = [];
  if (markers.has('base64')) {
    each(BASE64, original, budget, (run, index) => {
      if (run.length > budget.remaining * 2) return;
      const std = run.replaceAll('-', '+').replaceAll('_', '/');
      const text = take(budget, asText(Buffer.from(std, 'base64')));
      if (text !== undefined) layers.push({ kind: 'base64', text, start: index, end: index + run.length });
    });
  }
  if (markers.has('hex')) {
    each(HEX, original, budget, (run, index) => {
      if (run.length > budget.remaining * 4) return;
      const text = take(budget, asText(decodeHex(run)));
      if (text !== undefined) layers.push({ kind: 'hex', text, start: index, end: index + run.length });
    });
  }
  if (markers.has('url')) {
    each(URL_ENCODED, original, budget, (run, index) => {
      if (run.length > budget.remaining * 3) return;
      const text = take(budget, decodePercent(run));
      if (text !== undefined) layers.push({ kind: 'url', text, start: index, end: index + run.length });
    });
  }
  return layers;
}
