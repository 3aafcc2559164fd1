import { digitsOf, luhnValid } from './luhn.js';
import { isOneRepeatedChar } from './re2-cache.js';

/** Issuer ranges (IIN prefixes) with the lengths each issues; a number outside them is not a card. */
const ISSUERS: readonly {
  readonly from: number;
  readonly to: number;
  readonly digits: number;
  readonly lengths: readonly number[];
}[] = [
  { from: 4, to: 4, digits: 1, lengths: [13, 16, 19] }, // Visa
  { from: 51, to: 55, digits: 2, lengths: [16] }, // Mastercard
  { from: 2221, to: 2720, digits: 4, lengths: [16] }, // Mastercard 2-series
  { from: 34, to: 34, digits: 2, lengths: [15] }, // American Express
  { from: 37, to: 37, digits: 2, lengths: [15] },
  { from: 6011, to: 6011, digits: 4, lengths: [16, 19] }, // Discover
  { from: 644, to: 649, digits: 3, lengths: [16, 19] },
  { from: 65, to: 65, digits: 2, lengths: [16, 19] },
  { from: 3528, to: 3589, digits: 4, lengths: [16, 17, 18, 19] }, // JCB
  { from: 300, to: 305, digits: 3, lengths: [14, 16, 17, 18, 19] }, // Diners Club
  { from: 36, to: 36, digits: 2, lengths: [14, 16, 17, 18, 19] },
  { from: 38, to: 39, digits: 2, lengths: [14, 16, 17, 18, 19] },
  { from: 62, to: 62, digits: 2, lengths: [16, 17, 18, 19] }, // UnionPay
  { from: 2200, to: 2204, digits: 4, lengths: [16, 17, 18, 19] }, // Mir
  { from: 50, to: 50, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro
  { from: 56, to: 69, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { from: 1, to: 1, digits: 1, lengths: [15] }, // UATP
];

/**
 * A payment card number: issuer range and length, Luhn, and not a run of one repeated digit.
 * Separators (spaces, dashes) are ignored.
 *
 * @example
 * paymentCardValid('4111-1111-1111-1111'); // true
 */
export function paymentCardValid(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length < 12 || digits.length > 19) return false;
  // Luhn first: it is arithmetic only and rejects nine in ten random digit runs.
  if (!luhnValid(digits) || isOneRepeatedChar(digits)) return false;
  const issued = ISSUERS.some(
    (issuer) =>
      issuer.lengths.includes(digits.length) &&
      Number(digits.slice(0, issuer.digits)) >= issuer.from &&
      Number(digits.slice(0, issuer.digits)) <= issuer.to,
  );
  return issued;
}
