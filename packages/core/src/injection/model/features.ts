/**
 * Feature hashing shared by the trained scorer and the training script, so both see exactly the
 * same features: hashed word unigrams and bigrams, plus character bigrams and trigrams around
 * non-ASCII text (scripts without spaces between words). One pass over the normalized text,
 * nothing allocated per call.
 */

/** Number of hash bits; the weight table has `2 ** FEATURE_BITS` entries. */
export const FEATURE_BITS = 17;
const MASK = (1 << FEATURE_BITS) - 1;

/**
 * Features are counts scaled by `1 / √max(n, MIN_FEATURE_NORM)`: a one-word prompt ("Hello")
 * must not let a single weight decide the score.
 */
export const MIN_FEATURE_NORM = 12;

/** Result of one pass; reused between calls (read it before the next call). */
export interface FeatureScan {
  /** Sum of the weights of every feature occurrence (raw int8 units). */
  sum: number;
  /** Number of feature occurrences. */
  count: number;
}

function mix(h: number): number {
  let x = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) & MASK;
}

/**
 * Scans `text` once, summing `weights` over its features. `collect`, when given, receives every
 * bucket id instead (training).
 *
 * @example
 * const { sum, count } = scanFeatures('ignore previous instructions', weights, createFeatureScan());
 */
export function scanFeatures(
  text: string,
  weights: Int8Array | undefined,
  out: FeatureScan,
  collect?: (bucket: number) => void,
): FeatureScan {
  let sum = 0;
  let count = 0;
  let wordHash = 0x811c9dc5;
  let wordLen = 0;
  let prevWord = 0;
  let c2 = 32;
  let c3 = 32;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x27) {
      wordHash = Math.imul(wordHash ^ c, 16777619);
      wordLen++;
      c2 = c3;
      c3 = c;
      continue;
    }
    if (c > 0x7f) {
      wordHash = Math.imul(wordHash ^ c, 16777619);
      wordLen++;
    } else if (wordLen > 0) {
      const w = mix(wordHash + 0x9e3779b9);
      const b = mix(Math.imul(prevWord, 31) ^ wordHash ^ 0x7f4a7c15);
      if (weights !== undefined) sum += weights[w]! + weights[b]!;
      if (collect !== undefined) {
        collect(w);
        collect(b);
      }
      count += 2;
      prevWord = wordHash;
      wordHash = 0x811c9dc5;
      wordLen = 0;
    }
    // Character bigrams and trigrams only where words are not space-separated (CJK, Thai, ...)
    // or are in another script: word hashes carry English; these carry the rest cheaply.
    if (c > 0x7f || c3 > 0x7f) {
      const g2 = mix(Math.imul(c3, 31) + c + 0x3c6ef372);
      const g3 = mix(Math.imul(Math.imul(c2, 31) + c3, 31) + c);
      if (weights !== undefined) sum += weights[g2]! + weights[g3]!;
      if (collect !== undefined) {
        collect(g2);
        collect(g3);
      }
      count += 2;
    }
    if (c === 32 && c3 === 32) continue;
    c2 = c3;
    c3 = c === 10 || c === 9 || c === 13 ? 32 : c;
  }
  out.sum = sum;
  out.count = count;
  return out;
}

// Word characters of ASCII text: a–z, 0–9 and the apostrophe (the text is already lower case).
const WORD = new Uint8Array(128);
for (let c = 0x61; c <= 0x7a; c++) WORD[c] = 1;
for (let c = 0x30; c <= 0x39; c++) WORD[c] = 1;
WORD[0x27] = 1;

/**
 * `scanFeatures` for text known to be ASCII (no character above 0x7f): the same features (words
 * only, since character n-grams are emitted only around non-ASCII text) with a tighter loop.
 * This is the common case and the one the 4 KB benchmark measures.
 */
export function scanAsciiFeatures(text: string, weights: Int8Array, out: FeatureScan): FeatureScan {
  let sum = 0;
  let count = 0;
  let wordHash = 0x811c9dc5;
  let wordLen = 0;
  let prevWord = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (WORD[c] === 1) {
      wordHash = Math.imul(wordHash ^ c, 16777619);
      wordLen++;
    } else if (wordLen > 0) {
      sum +=
        weights[mix(wordHash + 0x9e3779b9)]! + weights[mix(Math.imul(prevWord, 31) ^ wordHash ^ 0x7f4a7c15)]!;
      count += 2;
      prevWord = wordHash;
      wordHash = 0x811c9dc5;
      wordLen = 0;
    }
  }
  if (wordLen > 0) {
    sum +=
      weights[mix(wordHash + 0x9e3779b9)]! + weights[mix(Math.imul(prevWord, 31) ^ wordHash ^ 0x7f4a7c15)]!;
    count += 2;
  }
  out.sum = sum;
  out.count = count;
  return out;
}

/** A fresh result object (allocate once, reuse). */
export function createFeatureScan(): FeatureScan {
  return { sum: 0, count: 0 };
}
