/** What kind of attack a rule looks for. */
export type InjectionCategory =
  | 'instruction-override'
  | 'prompt-extraction'
  | 'persona-hijack'
  | 'policy-evasion'
  | 'template-injection'
  | 'exfiltration'
  | 'indirect-injection';

/** Every category, in documentation order. */
export const INJECTION_CATEGORIES: readonly InjectionCategory[] = [
  'instruction-override',
  'prompt-extraction',
  'persona-hijack',
  'policy-evasion',
  'template-injection',
  'exfiltration',
  'indirect-injection',
];

/**
 * A detection rule. Rules are data: they are compiled once into RE2 sets at factory time.
 * Patterns use RE2 syntax and run on the normalized text (lower case, look-alikes, leetspeak and
 * invisible characters already folded), so write them in lower case ASCII.
 *
 * @example
 * const rule: InjectionRule = {
 *   id: 'acme.reveal-codename',
 *   category: 'prompt-extraction',
 *   weight: 0.8,
 *   pattern: String.raw`\bproject\s+bluebird\b`,
 * };
 */
export interface InjectionRule {
  /** Stable id reported in findings, e.g. `override.ignore-previous`. */
  readonly id: string;
  readonly category: InjectionCategory;
  /** Contribution in (0, 1]; several hits combine as `1 - Π(1 - weight)`. */
  readonly weight: number;
  /** RE2 pattern over the normalized text. */
  readonly pattern: string;
  /**
   * Optional second check on each match (the matched normalized text, the whole normalized text
   * and the match's index in it); return `false` to discard the hit. Runs only when the pattern matched.
   */
  readonly validator?: (match: string, text: string, index: number) => boolean;
  /**
   * Optional RE2 pattern that must also match somewhere in the normalized text for the rule to
   * count (e.g. a lexicon the rule is about). Rules that name the same pattern are left out of the
   * main set and scanned in a small set of their own only when it matches, which keeps the one pass
   * over ordinary text cheap.
   */
  readonly requires?: string;
  /**
   * With `requires`: the gate must match within this many characters of the rule's match (the
   * match and this many characters on either side), not just anywhere in the text.
   */
  readonly requiresWithin?: number;
}

/** One rule that fired, with where it matched in the caller's original text. */
export interface RuleHit {
  readonly id: string;
  readonly category: InjectionCategory;
  readonly weight: number;
  /** `[start, end)` in the original text, or the encoded span a decoded layer came from. */
  readonly start: number;
  readonly end: number;
}
