import { FEATURE_BITS, MIN_FEATURE_NORM } from './features.js';

/** The weights file as committed (`injection-model.weights.json`), written by the training script. */
export interface InjectionModelFile {
  readonly format: 'llmguard-injection-model';
  readonly version: 1;
  readonly bits: number;
  readonly bias: number;
  /** Multiplier from the int8 weights back to logits. */
  readonly scale: number;
  /** Base64 of `2 ** bits` signed bytes. */
  readonly weights: string;
  /** Token-soup ratio where the unnatural-text signal starts (0) and saturates (1). */
  readonly unnatural: { readonly start: number; readonly full: number };
  /**
   * Evidence floor: feature counts are scaled by `1 / √max(n, minNorm)`, so a text with fewer than
   * `minNorm` features stays close to the bias (the prior). Default `MIN_FEATURE_NORM`.
   */
  readonly minNorm?: number;
  /** Provenance: corpus, rows, seed, epochs. Informational only. */
  readonly trainedOn?: Readonly<Record<string, unknown>>;
}

/** A model ready for scoring. */
export interface InjectionModel {
  readonly bias: number;
  readonly scale: number;
  readonly weights: Int8Array;
  readonly unnaturalStart: number;
  readonly unnaturalFull: number;
  /** Evidence floor (see {@link InjectionModelFile.minNorm}). Default `MIN_FEATURE_NORM`. */
  readonly minNorm?: number;
}

/**
 * Decodes a weights file. Throws a plain `Error` on a malformed file (a packaging bug, not input).
 *
 * @example
 * const model = decodeInjectionModel(JSON.parse(readFileSync(path, 'utf8')));
 */
export function decodeInjectionModel(file: InjectionModelFile): InjectionModel {
  if (file.format !== 'llmguard-injection-model' || file.version !== 1 || file.bits !== FEATURE_BITS) {
    throw new Error('Unsupported injection model file');
  }
  const w = Buffer.from(file.weights, 'base64');
  if (w.length !== 1 << FEATURE_BITS) {
    throw new Error('Truncated injection model file');
  }
  return {
    bias: file.bias,
    scale: file.scale,
    weights: new Int8Array(w.buffer.slice(w.byteOffset, w.byteOffset + w.length)),
    unnaturalStart: file.unnatural.start,
    unnaturalFull: file.unnatural.full,
    minNorm: file.minNorm ?? MIN_FEATURE_NORM,
  };
}
