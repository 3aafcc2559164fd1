/**
 * Cyrillic and Greek letters that render like Latin ones, folded to the Latin letter they imitate
 * ("іgnоrе" with Cyrillic і/о/е reads as "ignore"). Applied only inside words that also contain a
 * Latin letter, so genuine Russian or Greek text is left alone.
 */
export const CONFUSABLES: ReadonlyMap<number, number> = new Map(
  (
    [
      // Cyrillic lower case
      ['а', 'a'],
      ['в', 'b'],
      ['е', 'e'],
      ['ё', 'e'],
      ['һ', 'h'],
      ['і', 'i'],
      ['ї', 'i'],
      ['ј', 'j'],
      ['к', 'k'],
      ['ӏ', 'l'],
      ['м', 'm'],
      ['н', 'h'],
      ['о', 'o'],
      ['р', 'p'],
      ['с', 'c'],
      ['ԍ', 'g'],
      ['ѳ', 'o'],
      ['ԛ', 'q'],
      ['г', 'r'],
      ['ѕ', 's'],
      ['т', 't'],
      ['ц', 'u'],
      ['ѵ', 'v'],
      ['ԝ', 'w'],
      ['х', 'x'],
      ['у', 'y'],
      ['ԁ', 'd'],
      ['ɡ', 'g'],
      ['п', 'n'],
      // Greek lower case
      ['α', 'a'],
      ['β', 'b'],
      ['ε', 'e'],
      ['η', 'n'],
      ['ι', 'i'],
      ['κ', 'k'],
      ['ν', 'v'],
      ['ο', 'o'],
      ['ρ', 'p'],
      ['τ', 't'],
      ['υ', 'u'],
      ['χ', 'x'],
      ['γ', 'y'],
      // Latin look-alikes outside ASCII that NFKC keeps
      ['ı', 'i'],
      ['ȷ', 'j'],
      ['ℓ', 'l'],
    ] as const
  ).map(([from, to]) => [from.codePointAt(0)!, to.codePointAt(0)!]),
);
