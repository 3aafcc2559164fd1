import { encodeModule, instantiate, op, type WasmFunc } from '../wasm-module.js';

/**
 * The word-feature loops of `scanAsciiFeatures` as a small WebAssembly module, built from its
 * instructions (see wasm-module.ts).
 *
 * Why: the FNV-1a word hash is a chain of one xor and one multiply per byte, so it cannot beat about
 * four cycles a byte; compiled JavaScript pays more than that for its typed-array reads, and far more
 * once any ArrayBuffer in the process has been detached (optimized code then checks every array for
 * detachment on every access). WebAssembly memory needs no such checks. The JavaScript loops in
 * `features.ts` stay as the reference and the fallback where WebAssembly is unavailable.
 *
 * Memory (one instance, three 64 KiB pages, never grown so views of it stay valid):
 * - `WORD_TABLE` (256 bytes): 1 for a word character (a–z, 0–9, apostrophe), else 0.
 * - `STATE` (4 × i32): the hash state carried between blocks (`g`, `a`, `inWord`) and the previous
 *   word hash for bigrams (`prevWord`), as in the JavaScript `WordState`.
 * - `BYTES` (`BLOCK` bytes): the ASCII bytes of one block.
 * - `WORDS` (`BLOCK + 1` × i32): hashes of the words that end in the block.
 * - `WEIGHTS` (2 ** 17 bytes): the model's int8 weights.
 */

/** Characters per block; texts are read a block at a time. */
export const KERNEL_BLOCK = 8192;
const WORD_TABLE = 0;
const STATE = 256;
const BYTES = 1024;
const WORDS = BYTES + KERNEL_BLOCK;
const WEIGHTS = 65536;
const WEIGHT_COUNT = 1 << 17;
const PAGES = 3;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/** A compiled instance: views of its memory and its two loops. */
export interface FeatureKernel {
  /** `BLOCK` bytes: encode a block here. */
  readonly bytes: Uint8Array;
  /** The carried state: [g, a, inWord, prevWord]. */
  readonly state: Int32Array;
  /** Word hashes of the last `hash` call (slot 0 is also written by the caller for the last word). */
  readonly words: Int32Array;
  /** Hashes the words of `bytes[0, length)` into `words`; returns how many ended there. */
  hash(length: number): number;
  /** Sum of the unigram and bigram weights of `words[0, count)`. */
  sum(count: number): number;
  /** The weights currently in memory (copied in by `loadWeights`). */
  weights: Int8Array | undefined;
  loadWeights(weights: Int8Array): void;
}

// --- the two loops ------------------------------------------------------------------------------

/**
 * `hashBlockWords` of features.ts: the branch-free FNV-1a loop. The slot `k` is kept as a byte
 * offset (4 × the word count).
 */
function hashFunc(): WasmFunc {
  const [length, i, g, a, inWord, k, c, w] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name: 'hash',
    params: 1,
    locals: 7,
    code: [
      op.const(0),
      op.load(STATE),
      op.set(g),
      op.const(0),
      op.load(STATE + 4),
      op.set(a),
      op.const(0),
      op.load(STATE + 8),
      op.set(inWord),
      op.block,
      op.loop,
      ...[op.get(i), op.get(length), op.geU, op.brIf(1)],
      // c = bytes[i]; w = WORD[c]
      ...[op.get(i), op.load8u(BYTES), op.tee(c), op.load8u(WORD_TABLE), op.set(w)],
      // words[k] = g
      ...[op.get(k), op.get(g), op.store(WORDS)],
      // k += (inWord & (w ^ 1)) << 2
      ...[
        op.get(k),
        op.get(inWord),
        op.get(w),
        op.const(1),
        op.xor,
        op.and,
        op.const(2),
        op.shl,
        op.add,
        op.set(k),
      ],
      // g = (g ^ (a ^ c)) * (FNV_PRIME & -w)
      ...[op.get(g), op.get(a), op.get(c), op.xor, op.xor],
      ...[op.const(0), op.get(w), op.sub, op.const(FNV_PRIME), op.and, op.mul, op.set(g)],
      // a = FNV_OFFSET & (w - 1); inWord = w
      ...[op.get(w), op.const(1), op.sub, op.const(FNV_OFFSET), op.and, op.set(a)],
      ...[op.get(w), op.set(inWord)],
      ...[op.get(i), op.const(1), op.add, op.set(i), op.br(0)],
      op.end,
      op.end,
      ...[op.const(0), op.get(g), op.store(STATE)],
      ...[op.const(0), op.get(a), op.store(STATE + 4)],
      ...[op.const(0), op.get(inWord), op.store(STATE + 8)],
      ...[op.get(k), op.const(2), op.shrU],
    ],
  };
}

/** `mix` of features.ts on the value in `local`, leaving the bucket on the stack. */
function mixOf(local: number): number[][] {
  const round = [op.get(local), op.get(local), op.const(16), op.shrU, op.xor];
  return [
    ...round,
    op.const(0x45d9f3b),
    op.mul,
    op.set(local),
    ...round,
    op.const(0x45d9f3b),
    op.mul,
    op.set(local),
    ...round,
    op.const(WEIGHT_COUNT - 1),
    op.and,
  ];
}

/** `sumWordFeatures` of features.ts: unigram and bigram weights of each word hash. */
function sumFunc(): WasmFunc {
  const [count, j, sum, prevWord, hash, x] = [0, 1, 2, 3, 4, 5];
  return {
    name: 'sum',
    params: 1,
    locals: 5,
    code: [
      op.const(0),
      op.load(STATE + 12),
      op.set(prevWord),
      op.block,
      op.loop,
      ...[op.get(j), op.get(count), op.geU, op.brIf(1)],
      ...[op.get(j), op.const(2), op.shl, op.load(WORDS), op.set(hash)],
      op.get(sum),
      // weights[mix(hash + 0x9e3779b9)]
      ...[op.get(hash), op.const(0x9e3779b9), op.add, op.set(x), ...mixOf(x), op.load8s(WEIGHTS), op.add],
      // weights[mix(imul(prevWord, 31) ^ hash ^ 0x7f4a7c15)]
      ...[
        op.get(prevWord),
        op.const(31),
        op.mul,
        op.get(hash),
        op.xor,
        op.const(0x7f4a7c15),
        op.xor,
        op.set(x),
      ],
      ...[...mixOf(x), op.load8s(WEIGHTS), op.add, op.set(sum)],
      ...[op.get(hash), op.set(prevWord)],
      ...[op.get(j), op.const(1), op.add, op.set(j), op.br(0)],
      op.end,
      op.end,
      ...[op.const(0), op.get(prevWord), op.store(STATE + 12)],
      op.get(sum),
    ],
  };
}

/**
 * Compiles and instantiates the kernel, or returns `undefined` where WebAssembly is unavailable
 * (the caller then uses the JavaScript loops).
 */
export function createFeatureKernel(): FeatureKernel | undefined {
  const instance = instantiate(encodeModule([hashFunc(), sumFunc()], PAGES));
  if (instance === undefined) return undefined;
  const { exports, memory } = instance;
  const table = new Uint8Array(memory, WORD_TABLE, 256);
  for (let c = 0x61; c <= 0x7a; c++) table[c] = 1;
  for (let c = 0x30; c <= 0x39; c++) table[c] = 1;
  table[0x27] = 1;
  const weightBytes = new Int8Array(memory, WEIGHTS, WEIGHT_COUNT);
  const kernel: FeatureKernel = {
    bytes: new Uint8Array(memory, BYTES, KERNEL_BLOCK),
    state: new Int32Array(memory, STATE, 4),
    words: new Int32Array(memory, WORDS, KERNEL_BLOCK + 1),
    hash: exports.hash as (length: number) => number,
    sum: exports.sum as (count: number) => number,
    weights: undefined,
    loadWeights(weights: Int8Array): void {
      weightBytes.set(weights);
      kernel.weights = weights;
    },
  };
  return kernel;
}

/** Whether `weights` fit the kernel's weight table. */
export function kernelFits(weights: Int8Array): boolean {
  return weights.length === WEIGHT_COUNT;
}

/** Resets the carried state before a new text. */
export function resetKernel(kernel: FeatureKernel): void {
  kernel.state[0] = 0;
  kernel.state[1] = FNV_OFFSET;
  kernel.state[2] = 0;
  kernel.state[3] = 0;
}
