import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
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
/** Dates, SSN-shaped and card-shaped runs and dotted quads are never phone numbers (one RE2 pass). */
const NOT_A_PHONE = re2(
  String.raw`^(?:\d{4}[-. ]\d{1,2}[-. ]\d{1,2}|\d{1,2}[-. ]\d{1,2}[-. ]\d{4}|\d{3}[-. ]\d{2}[-. ]\d{4}|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7})$`,
);

/** The North American layout ends in `555-0132`: three digits, a separator, four digits. */
function endsLikeNanp(core: string): boolean {
  const n = core.length;
  if (n < 8) return false;
  for (const i of [1, 2, 3, 4, 6, 7, 8]) {
    const code = core.charCodeAt(n - i);
    if (code < 48 || code > 57) return false;
  }
  const separator = core[n - 5];
  return separator === ' ' || separator === '.' || separator === '-';
}

/** `00`, a 1–3 digit country code, then a separator. */
function separatedCountryCode(core: string): boolean {
  if (core[2] === '0') return false;
  for (let i = 3; i <= 5 && i < core.length; i++) {
    const ch = core[i]!;
    if (ch === ' ' || ch === '.' || ch === '-') return true;
    if (ch < '0' || ch > '9') return false;
  }
  return false;
}

function countDigits(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

/** Whether `text` contains any of the characters of `set`. */
function hasSeparator(text: string, set: string): boolean {
  for (let i = 0; i < text.length; i++) if (set.includes(text[i]!)) return true;
  return false;
}

/** Phone words are letters: text without any cannot label a number, so the RE2 checks are skipped. */
function hasLetter(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    const lower = code | 32;
    if ((lower >= 97 && lower <= 122) || code > 127 || code === 35) return true;
  }
  return false;
}

/**
 * The phone pattern stops after fifteen digit groups; when digits follow right there (`1-1-1-1-…`,
 * a table row of numbers) the candidate is a slice of a longer run, not one number. Checked first,
 * so a flood of such slices costs a few character reads each, not the metadata lookups.
 */
function continuesDigitRun(text: string, end: number): boolean {
  const next = text.charCodeAt(end);
  if (next >= 48 && next <= 57) return true;
  if (next !== 32 && next !== 45 && next !== 46) return false;
  const after = text.charCodeAt(end + 1);
  return after >= 48 && after <= 57;
}

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
  if (continuesDigitRun(text, end)) return false;
  const core = hasSeparator(value, 'xX#') ? value.replace(EXTENSION, '') : value;
  const digits = countDigits(core);
  if (digits < 6 || digits > 15) return false;
  // "00" is an international prefix only in a grouped layout where the country code stands apart,
  // such as 001-748-088-2851 or 0044 20 7123 4567 (not 001332-1234567).
  const international = core.startsWith('+') || (core.startsWith('00') && separatedCountryCode(core));
  if (international) {
    // Dates, SSNs and dotted quads start with a digit, never with `+`.
    if (!core.startsWith('+') && NOT_A_PHONE.test(core)) return false;
    if (possibleInternational(core.startsWith('+') ? core : `+${core.slice(2)}`)) return true;
    return core.startsWith('001') && digits === 13;
  }
  // Cheap tests first: a national number needs the North American layout (10, 11 or 13 digits)
  // or a letter nearby that could be a phone word. A run of bare numbers has neither.
  const nanpLength = (digits === 10 || digits === 11 || digits === 13) && endsLikeNanp(core);
  const labelledBefore = hasLetter(text, Math.max(0, start - 40), start);
  const labelledAfter = hasLetter(text, end, Math.min(text.length, end + 16));
  if (!nanpLength && !labelledBefore && !labelledAfter) return false;
  if (NOT_A_PHONE.test(core)) return false;
  if (nanpLength && NANP.test(value)) return true;
  const before = labelledBefore ? text.slice(Math.max(0, start - 40), start) : '';
  const separated = hasSeparator(core, ' .()-');
  if (
    (labelledBefore && STRONG_BEFORE.test(before)) ||
    (labelledAfter && AFTER.test(text.slice(end, end + 16)))
  )
    return separated || (digits >= 7 && digits <= 12);
  if (labelledBefore && digits >= 7 && digits <= 12 && WEAK_BEFORE.test(before)) {
    return NATIONAL_REGIONS.some((region) => parsePhoneNumberFromString(core, region)?.isValid() === true);
  }
  return false;
}

/**
 * Verdicts of the metadata lookup (~10 µs each) for the last few hundred distinct numbers: the same
 * number repeated through a document, or a flood of one, is looked up once.
 */
const POSSIBLE_CACHE = new Map<string, boolean>();
const POSSIBLE_CACHE_SIZE = 512;

function possibleInternational(number: string): boolean {
  let verdict = POSSIBLE_CACHE.get(number);
  if (verdict === undefined) {
    verdict = parsePhoneNumberFromString(number)?.isPossible() === true;
    if (POSSIBLE_CACHE.size >= POSSIBLE_CACHE_SIZE)
      POSSIBLE_CACHE.delete(POSSIBLE_CACHE.keys().next().value!);
    POSSIBLE_CACHE.set(number, verdict);
  }
  return verdict;
}
