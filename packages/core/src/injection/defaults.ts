/**
 * Shipped thresholds. Chosen on the development corpus with leave-one-source-out checks
 * (docs/injection.md has the figures and the command that produced them).
 */
export const INJECTION_DEFAULTS = {
  /** Score at or above which user content is refused (403). */
  block: 0.8,
  /** Score at or above which user content is allowed but recorded as a finding. */
  flag: 0.6,
  /** Block threshold for tool results and retrieved documents (indirect injection). */
  indirectBlock: 0.8,
  /** Flag threshold for tool results and retrieved documents. */
  indirectFlag: 0.6,
  /** Weight of the unnatural-text signal at saturation. */
  unnaturalWeight: 0.4,
  /** Multi-turn: decayed session total (sum of per-request excess over `trajectoryMinScore`) that refuses. */
  trajectoryLimit: 0.5,
  /** Multi-turn: a request adds `score − this` when above it (the guard uses its `flag` threshold). */
  trajectoryMinScore: 0.6,
  /** Multi-turn: half-life of the session score. */
  trajectoryHalfLifeMs: 600_000,
  /** Multi-turn: idle time after which a session is forgotten. */
  trajectoryTtlMs: 3_600_000,
  /** Decoding depth for base64 / hex / URL / ROT13 / spaced-letter layers. */
  maxDecodeDepth: 2,
  /** Decoded characters allowed per scanned text, across every layer. */
  maxDecodedChars: 65_536,
} as const;
