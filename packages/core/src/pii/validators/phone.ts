import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { digitsOf } from './luhn.js';
import { re2 } from './re2-cache.js';

/** Regions tried for national-format numbers that carry no `+` country code. */
const NATIONAL_REGIONS: readonly CountryCode[] = [
  'US',
  'GB',
  'DE',
  'FR',
  'IN',
  'BR',
  'JP',
  'CN',
  'AU',
  'IL',
  'IT',
  'ES',
  'NL',
  'CA',
];

/** Words that say the next number is a phone number. Checked in the text just before it. */
const STRONG_BEFORE = re2(
  String.raw`(?:phone|tel(?:ephone)?|mobile|cell|fax|call(?:ed)?|dial|reach(?: me| us| you)?(?: at)?|whatsapp|sms|text me|answering at|contact|hotline|telefon[a-z]*|telepono|teléfono|téléphone|handy)(?:\s+(?:number|no\.?|nr\.?|#))?(?:\s+(?:is|at|on))?[\s:.,)(-]*$`,
  'i',
);
/** Generic number words: only a number valid for a common region passes with these. */
const WEAK_BEFORE = re2(
  String.raw`(?:number|no\.?|nr\.?|numero|número|numéro|#)(?:\s+(?:is|at))?[\s:.,)(-]*$`,
  'i',
);
/** Words right after a number that label it as a phone line, as in address blocks. */
const AFTER = re2(String.raw`^[\s,;-]*(?:office|fax|mobile|cell|home|work|phone|tel)\b`, 'i');
/** North American formatted numbers: (415) 555-0132, 415-555-0132, 415.555.0132, with extension. */
const NANP = re2(
  String.raw`^(?:\+?1[ .-]?|001[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}(?:\s?(?:x|ext\.?|#)\s?\d{1,6})?$`,
  'i',
);
const DATE_LIKE = re2(String.raw`^(?:\d{4}[-. ]\d{1,2}[-. ]\d{1,2}|\d{1,2}[-. ]\d{1,2}[-. ]\d{4})$`);
const SSN_SHAPE = re2(String.raw`^\d{3}[-. ]\d{2}[-. ]\d{4}$`);
const DOTTED_QUAD = re2(String.raw`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`);
const CARD_SHAPE = re2(String.raw`^\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}$`);
const EXTENSION = re2(String.raw`\s?(?:x|ext\.?|#)\s?\d{1,6}$`, 'i');

/**
 * Decides whether a phone-shaped candidate is a phone number. International numbers (`+` or `00`)
 * must be possible for their country (libphonenumber-js metadata); national numbers need a North
 * American layout, or a phone word next to them and, for a bare digit run, a number valid in one of
 * the common regions. Dates, SSN-shaped and card-shaped runs and dotted quads are never phones.
 *
 * @example
 * phoneValid('+44 20 7123 4567', 'Call +44 20 7123 4567', 5, 21); // true
 */
export function phoneValid(value: string, text: string, start: number, end: number): boolean {
  const core = value.replace(EXTENSION, '');
  const digits = digitsOf(core);
  if (digits.length < 6 || digits.length > 15) return false;
  if (DATE_LIKE.test(core) || SSN_SHAPE.test(core) || DOTTED_QUAD.test(core) || CARD_SHAPE.test(core))
    return false;
  // "00" is an international prefix only in a grouped layout such as 001-748-088-2851.
  const international =
    core.startsWith('+') || (core.startsWith('00') && !core.startsWith('000') && re2('[ .-]').test(core));
  if (international) {
    const parsed = parsePhoneNumberFromString(core.startsWith('+') ? core : `+${core.slice(2)}`);
    if (parsed?.isPossible() === true) return true;
    return core.startsWith('001') && digits.length === 13;
  }
  if (NANP.test(value)) return true;
  const before = text.slice(Math.max(0, start - 40), start);
  const after = text.slice(end, end + 16);
  const separated = re2('[ .()-]').test(core);
  if (STRONG_BEFORE.test(before) || AFTER.test(after))
    return separated || (digits.length >= 7 && digits.length <= 12);
  if (WEAK_BEFORE.test(before) && digits.length >= 7 && digits.length <= 12) {
    return NATIONAL_REGIONS.some((region) => parsePhoneNumberFromString(core, region)?.isValid() === true);
  }
  return false;
}
