/**
 * Per-request pseudonym vault: `[TYPE_n]` ⇄ original value. It lives in the request's private
 * state, is never serialized, sent or logged, and holds at most `maxEntries` values; past that,
 * new values are masked instead of pseudonymized, so memory stays bounded and nothing leaks.
 * One instance per request means concurrent requests never see each other's values.
 */
export class PseudonymVault {
  readonly #byValue = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, string>();
  readonly #counters = new Map<string, number>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The placeholder for `value` (the same one every time it repeats), or `undefined` when full. */
  placeholderFor(type: string, value: string): string | undefined {
    const key = `${type}\u0000${value}`;
    const known = this.#byValue.get(key);
    if (known !== undefined) return known;
    if (this.#byValue.size >= this.#maxEntries) return undefined;
    const n = (this.#counters.get(type) ?? 0) + 1;
    this.#counters.set(type, n);
    const placeholder = `[${type}_${n}]`;
    this.#byValue.set(key, placeholder);
    this.#byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  /** The original behind a placeholder this request issued, or `undefined`. */
  originalFor(placeholder: string): string | undefined {
    return this.#byPlaceholder.get(placeholder);
  }

  /** Whether any placeholder was issued (the answer then needs restoring). */
  get size(): number {
    return this.#byPlaceholder.size;
  }
}
