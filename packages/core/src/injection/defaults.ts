/**
 * Shipped thresholds. Chosen on the development corpus with leave-one-source-out checks
 * (docs/injection.md has the figures and the command that produced them).
 */
export const INJECTION_DEFAULTS = {
  /** Score at or above which user content is refused (403). */
  block: 0.85,
  /** Score at or above which user content is allowed but recorded as a finding. */
  flag: 0.5,
  /** Block threshold for tool results and retrieved documents (indirect injection). */
  indirectBlock: 0.85,
  /** Flag threshold for tool results and retrieved documents. */
  indirectFlag: 0.5,
  /** Weight of the unnatural-text signal at saturation. */
  unnaturalWeight: 0.4,
  /** Decoding depth for base64 / hex / URL / ROT13 / spaced-letter layers. */
  maxDecodeDepth: 2,
  /** Decoded characters allowed per scanned text, across every layer. */
  maxDecodedChars: 65_536,
} as const;
