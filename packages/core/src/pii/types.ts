/** Whether a detected value is personal data or a credential. Actions can be set per category. */
export type PiiCategory = 'pii' | 'secret';

/**
 * What happens to a detected value.
 * - `block`: refuse the request (403 `ERR_LLMGUARD_SENSITIVE_DATA`, listing types, never values);
 *   in an answer, where nothing can be refused any more, the value is masked.
 * - `mask`: replace with `[TYPE]`.
 * - `hash`: replace with `[TYPE:hex]`, a keyed HMAC stable per tenant.
 * - `pseudonymize`: replace with `[TYPE_n]`; the answer gets the original back.
 * - `allow`: detect and report, change nothing.
 */
export type PiiAction = 'block' | 'mask' | 'hash' | 'pseudonymize' | 'allow';

/**
 * Boundary requirement around a match. `word`, `alnum` and `digit`: no such character may touch the
 * value on either side. `address`: the value may not continue an address on its left (a letter,
 * digit or one of `. _ % + - @` before it), and nothing is required on its right, as for emails
 * and host names. `none`: no requirement. The left side is part of the pattern (RE2 has no
 * look-behind); the right side is checked in code.
 */
export type MatchBoundary = 'word' | 'digit' | 'alnum' | 'address' | 'none';

/**
 * One detector, as data. `pattern` is RE2 syntax and runs inside one `RE2.Set` with every other
 * detector; `validate` (checksums, ranges) runs in code on the candidates the set admits.
 */
export interface PiiDetector {
  /** Stable type name, upper snake case, e.g. `EMAIL`, `CREDIT_CARD`, `AWS_ACCESS_KEY`. */
  readonly type: string;
  readonly category: PiiCategory;
  /** RE2 pattern. Use capture group `valueGroup` to mark the value inside a context match. */
  readonly pattern: string;
  /** Case-insensitive pattern. Default `false`. */
  readonly ignoreCase?: boolean;
  /** Capture group that holds the value (the rest is context such as `password=`). Default 0. */
  readonly valueGroup?: number;
  /**
   * Longest text the pattern needs before it can first match. Bounds the streaming hold-back window;
   * longer matches (JWTs, PEM blocks) keep growing and stay held while they touch the end.
   * Default 128.
   */
  readonly window?: number;
  /** Character class that must not touch the value on either side. Default `'word'`. */
  readonly boundary?: MatchBoundary;
  /**
   * Extra check on the value (checksum, range). Runs only on candidates. Return `true` to accept,
   * `false` to reject, or a number to accept only that many leading characters (trailing
   * punctuation after a URL, text glued after an IBAN).
   */
  readonly validate?: (value: string, text: string, start: number, end: number) => boolean | number;
  /**
   * Words that must occur within `contextWindow` characters before the value (case-insensitive),
   * e.g. `passport` for passport numbers. Absent: no context needed.
   */
  readonly context?: readonly string[];
  /** How far before the value context words are looked for. Default 48. */
  readonly contextWindow?: number;
  /**
   * Longest value of this type. A longer candidate is a run of look-alike text, not one value, and
   * is rejected before any validator runs. Default 8192.
   */
  readonly maxLength?: number;
  /**
   * The pattern pins the whole documented structure (exact length, fixed suffix or checksum), so
   * only blanked-out values (`xxxxxxxx`, `${VAR}`) count as placeholders, not sample-looking text
   * such as `abc123`. Default `false`.
   */
  readonly strictFormat?: boolean;
  /** Higher wins when two detections overlap; validated types rank above shapes. Default 0. */
  readonly priority?: number;
  /**
   * Literal strings of which every match contains at least one, with more of the match after it
   * (`@` for emails). Declare them only when no match can contain a space, tab, CR, LF or form
   * feed. The scanner then runs the pattern only on the runs of text between such characters that
   * hold an anchor followed by another character, instead of on the whole text: the same matches,
   * found at a fraction of the cost in ordinary prose. Not used with `context`. Default: none
   * (the whole text is searched).
   */
  readonly anchors?: readonly string[];
}

/** One detection: type and half-open span `[start, end)` in UTF-16 units. Never logged with its text. */
export interface PiiMatch {
  readonly type: string;
  readonly category: PiiCategory;
  readonly start: number;
  readonly end: number;
  readonly value: string;
  readonly priority: number;
}
