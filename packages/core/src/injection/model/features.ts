import {
  createFeatureKernel,
  type FeatureKernel,
  KERNEL_BLOCK,
  kernelFits,
  resetKernel,
} from './feature-kernel.js';

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

/** FNV-1a offset basis (as an int32) and prime of the word hash, as in `scanFeatures`. */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/**
 * Characters handled per block by `scanAsciiFeatures`. Long texts are read in blocks so the
 * scratch buffers stay small (and in cache) whatever the input size.
 */
const BLOCK = 8192;
const encoder = new TextEncoder();
/**
 * The word table and the block buffers share one ArrayBuffer. Once any ArrayBuffer in the process
 * has been detached (transferred to a worker, for one), optimized code checks a buffer for
 * detachment at every typed-array access; with one buffer the hash loop has one to check instead
 * of three.
 */
const scratch = new ArrayBuffer(256 + BLOCK + 4 * (BLOCK + 1));
// Word characters of ASCII text: a–z, 0–9 and the apostrophe (the text is already lower case).
// Indexed by byte, so every index of the scanned bytes is in range.
const WORD = new Uint8Array(scratch, 0, 256);
for (let c = 0x61; c <= 0x7a; c++) WORD[c] = 1;
for (let c = 0x30; c <= 0x39; c++) WORD[c] = 1;
WORD[0x27] = 1;
// ASCII bytes of the current block.
const blockBytes = new Uint8Array(scratch, 256, BLOCK);
// Hashes of the words that end in the current block (at most one per character, plus the last).
const blockWords = new Int32Array(scratch, 256 + BLOCK, BLOCK + 1);

/**
 * `scanFeatures` for text known to be ASCII (no character above 0x7f): the same features (words
 * only, since character n-grams are emitted only around non-ASCII text), computed faster. This is
 * the common case and the one the 4 KB benchmark measures. Text that turns out not to be ASCII is
 * handed to `scanFeatures`, so the result is always the same as `scanFeatures`'s.
 *
 * The text is encoded into a byte buffer a block at a time (reading bytes is much cheaper than
 * `charCodeAt`); one branch-free pass hashes the words of a block (a branch at each word end is
 * mispredicted about once per word, which cost more than the hashing), and a second pass over the
 * word hashes sums the weights. Both passes run in a small WebAssembly kernel (see
 * feature-kernel.ts) where available, else in JavaScript.
 */
export function scanAsciiFeatures(text: string, weights: Int8Array, out: FeatureScan): FeatureScan {
  kernel ??= createFeatureKernel() ?? null;
  if (kernel !== null && kernelFits(weights)) return scanWithKernel(kernel, text, weights, out);
  return scanAsciiFeaturesInJs(text, weights, out);
}

/** The kernel, made on first use; `null` where WebAssembly is unavailable. */
let kernel: FeatureKernel | null | undefined;

/** `scanAsciiFeatures` on the WebAssembly kernel: the same blocks and state as the JavaScript loops. */
function scanWithKernel(k: FeatureKernel, text: string, weights: Int8Array, out: FeatureScan): FeatureScan {
  // Weights are copied into the kernel's memory when the model changes: once per scorer in practice
  // (a model's weights are decoded once and never changed in place).
  if (k.weights !== weights) k.loadWeights(weights);
  resetKernel(k);
  const n = text.length;
  let sum = 0;
  let count = 0;
  for (let start = 0; start < n; start += KERNEL_BLOCK) {
    const part = n <= KERNEL_BLOCK ? text : text.slice(start, start + KERNEL_BLOCK);
    const { read, written } = encoder.encodeInto(part, k.bytes);
    if (read !== part.length || written !== read) return scanFeatures(text, weights, out);
    const words = k.hash(written);
    sum += k.sum(words);
    count += 2 * words;
  }
  // A word that runs to the end of the text has not been ended by a non-word character.
  if (k.state[2] === 1) {
    k.words[0] = k.state[0]!;
    sum += k.sum(1);
    count += 2;
  }
  out.sum = sum;
  out.count = count;
  return out;
}

/**
 * `scanAsciiFeatures` in JavaScript: the fallback where WebAssembly is unavailable, and the
 * reference the kernel is tested against.
 */
export function scanAsciiFeaturesInJs(text: string, weights: Int8Array, out: FeatureScan): FeatureScan {
  const n = text.length;
  const word: WordState = { g: 0, a: FNV_OFFSET, inWord: 0, prevWord: 0, sum: 0, count: 0 };
  for (let start = 0; start < n; start += BLOCK) {
    const part = n <= BLOCK ? text : text.slice(start, start + BLOCK);
    const { read, written } = encoder.encodeInto(part, blockBytes);
    // Any character above 0x7f takes more than one byte, so `written` exceeds `read`.
    if (read !== part.length || written !== read) return scanFeatures(text, weights, out);
    sumWordFeatures(hashBlockWords(written, word), weights, word);
  }
  if (word.inWord === 1) {
    blockWords[0] = word.g;
    sumWordFeatures(1, weights, word);
  }
  out.sum = word.sum;
  out.count = word.count;
  return out;
}

/** Scan state carried from one block to the next. */
interface WordState {
  /** FNV-1a state of the word in progress; 0 after a non-word character. */
  g: number;
  /** `FNV_OFFSET` after a non-word character (or at the start), 0 inside a word. */
  a: number;
  /** 1 if the last character was a word character. */
  inWord: number;
  /** Hash of the previous word (bigrams); 0 before the first word. */
  prevWord: number;
  sum: number;
  count: number;
}

/**
 * Hashes the words of `blockBytes[0, length)` into `blockWords` and returns how many ended there.
 *
 * Branch-free form of the FNV-1a loop `h = c is a word character ? imul(h ^ c, prime) : offset`:
 * the hash of the word in progress is `g ^ a`, where a non-word character zeroes `g` (it
 * multiplies by 0) and sets `a` to the offset basis, and a word character folds `a` back in. The
 * value of `g` is stored at every character; the slot only advances past it when the character
 * ends a word, so the slot keeps exactly the hash of each finished word.
 */
function hashBlockWords(length: number, s: WordState): number {
  let g = s.g;
  let a = s.a;
  let inWord = s.inWord;
  let k = 0;
  for (let i = 0; i < length; i++) {
    const c = blockBytes[i]!;
    const w = WORD[c]!;
    blockWords[k] = g;
    k += inWord & (w ^ 1);
    g = Math.imul(g ^ (a ^ c), FNV_PRIME & -w);
    a = FNV_OFFSET & (w - 1);
    inWord = w;
  }
  s.g = g;
  s.a = a;
  s.inWord = inWord;
  return k;
}

/** Adds the unigram and bigram weights of the first `count` hashes of `blockWords`. */
function sumWordFeatures(count: number, weights: Int8Array, s: WordState): void {
  let sum = 0;
  let prevWord = s.prevWord;
  for (let j = 0; j < count; j++) {
    const wordHash = blockWords[j]!;
    sum +=
      weights[mix(wordHash + 0x9e3779b9)]! + weights[mix(Math.imul(prevWord, 31) ^ wordHash ^ 0x7f4a7c15)]!;
    prevWord = wordHash;
  }
  s.prevWord = prevWord;
  s.sum += sum;
  s.count += 2 * count;
}

/** A fresh result object (allocate once, reuse). */
export function createFeatureScan(): FeatureScan {
  return { sum: 0, count: 0 };
}
