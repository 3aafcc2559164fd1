/**
 * Shannon entropy in bits per character. Random API keys score above ~3.5 for base64/hex
 * alphabets at useful lengths; words and placeholders score lower.
 *
 * @example
 * shannonEntropy('aaaa'); // 0
 */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
