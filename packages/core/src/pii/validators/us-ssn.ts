import { digitsOf } from './luhn.js';
import { isOneRepeatedChar } from './re2-cache.js';

/** Numbers the SSA voided after they were published (advertising, Woolworth wallet card). */
const VOIDED = new Set(['078051120', '219099999', '457555462', '123456789']);

/**
 * US Social Security number rules (SSA): area 001–899 except 666, group 01–99, serial 0001–9999,
 * and not one of the publicly voided numbers or a single repeated digit.
 *
 * @example
 * usSsnValid('536-32-3065'); // true
 * usSsnValid('078-05-1120'); // false (voided)
 */
export function usSsnValid(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length !== 9) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  if (VOIDED.has(digits) || isOneRepeatedChar(digits)) return false;
  return true;
}
