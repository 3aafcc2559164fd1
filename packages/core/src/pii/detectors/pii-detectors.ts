import type { PiiDetector } from '../types.js';
import { isAsciiDigit, isAsciiLetter, isEmailLocalChar } from '../validators/ascii.js';
import { ibanLength, ibanValid } from '../validators/iban.js';
import { ipv4Valid, ipv6Valid, macValid } from '../validators/network.js';
import { paymentCardValid } from '../validators/payment-card.js';
import { phoneValid } from '../validators/phone.js';
import { re2 } from '../validators/re2-cache.js';
import { usSsnValid } from '../validators/us-ssn.js';

const TLDS =
  'com|org|net|edu|gov|mil|int|io|co|ai|dev|app|info|biz|site|online|store|tech|cloud|xyz|me|tv|us|uk|de|fr|it|es|nl|be|ch|at|se|no|dk|fi|pl|cz|pt|ru|cn|jp|kr|in|au|ca|br|mx|il|za|nz|ie|eu|gr|hu|ro|tr|ua|sk|si|hr|lt|lv|ee|is|lu|sg|hk|tw|ar|cl|pe|ve|ph|my|th|vn|id|pk|ng|ke|eg|sa|ae';

/** Checksum and range types outrank shape-only ones when two detections overlap. */
const PRIORITY = {
  credential: 40,
  checksum: 30,
  ssn: 25,
  network: 20,
  email: 18,
  contextual: 15,
  phone: 10,
  url: 5,
} as const;

/** A state code or postal word just before a number: `NY 12345-6789` is a ZIP+4 code. */
const ZIP_LABEL_BEFORE = re2(String.raw`(?:\b[A-Z]{2},?|zip|postal|post code|postcode)\s*$`, 'i');

/**
 * Built-in personal-data detectors. Each is a pattern that finds candidates and a validator that
 * admits only real values (Luhn and issuer ranges, SSA rules, mod-97, octet ranges, phone metadata).
 */
export const PII_DETECTORS: readonly PiiDetector[] = [
  {
    type: 'EMAIL',
    category: 'pii',
    pattern: '[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}',
    boundary: 'none',
    anchors: ['@'],
    window: 96,
    priority: PRIORITY.email,
    validate: (value, text, start) => {
      // Glued to more address characters: the match began inside a longer local part.
      if (start > 0 && isEmailLocalChar(text.charCodeAt(start - 1))) return false;
      const at = value.indexOf('@');
      const local = value.slice(0, at);
      return (
        local.length <= 64 && !local.includes('..') && !local.endsWith('.') && labelsFit(value.slice(at + 1))
      );
    },
  },
  {
    type: 'CREDIT_CARD',
    category: 'pii',
    pattern: '\\d{4}(?:[ -]\\d{4}){2}[ -]\\d{1,4}|\\d{4}[ -]\\d{6}[ -]\\d{4,5}|\\d{12,19}',
    boundary: 'alnum',
    window: 32,
    priority: PRIORITY.checksum,
    validate: (value, text, start) => {
      if (!paymentCardValid(value)) return false;
      // "RS35 2600 0560 1001 6113 70": a grouped run that continues an earlier group is not a card.
      return !((value.includes(' ') || value.includes('-')) && afterIbanGroup(text, start));
    },
  },
  {
    type: 'US_SSN',
    category: 'pii',
    pattern: '\\d{3}-\\d{2}-\\d{4}|\\d{3}\\.\\d{2}\\.\\d{4}|\\d{3} \\d{2} \\d{4}|\\d{3}-\\d{6}|\\d{5}-\\d{4}',
    boundary: 'alnum',
    window: 16,
    priority: PRIORITY.ssn,
    validate: (value, text, start, end) => {
      // A date such as 2019-01-02 1234 or a longer dotted run is not an SSN.
      if (text[end] === '-' || text[end] === '.' || text[start - 1] === '-' || text[start - 1] === '.') {
        if (isAsciiDigit(text.charCodeAt(end + 1)) || isAsciiDigit(text.charCodeAt(start - 2))) return false;
      }
      // 12345-6789 is also a ZIP+4 code: not after a state code or a postal word.
      if (value[5] === '-' && ZIP_LABEL_BEFORE.test(text.slice(Math.max(0, start - 16), start))) return false;
      return usSsnValid(value);
    },
  },
  {
    // Unseparated or oddly grouped SSNs look like any 9-digit number: only with an SSN word nearby.
    type: 'US_SSN',
    category: 'pii',
    pattern: '\\d{9}',
    boundary: 'alnum',
    window: 16,
    priority: PRIORITY.ssn,
    context: ['ssn', 'social security', 'social sec', 'ss#', 'ss #', 'ss no', 'sozialversicherung'],
    validate: usSsnValid,
  },
  {
    type: 'IBAN',
    category: 'pii',
    pattern: '[A-Za-z]{2}\\d{2}(?:[ -]?[A-Za-z0-9]){11,30}',
    boundary: 'alnum',
    window: 48,
    priority: PRIORITY.checksum,
    validate: ibanPrefixLength,
  },
  {
    type: 'IP_ADDRESS',
    category: 'pii',
    // Longer dotted runs are matched whole (and rejected): one candidate per 16 octets of a flood
    // such as `1.1.1.1.…`, not one per address-sized slice.
    pattern: '\\d{1,3}(?:\\.\\d{1,3}){3,15}(?:/\\d{1,3})?',
    boundary: 'none',
    window: 24,
    priority: PRIORITY.network,
    validate: ipv4Valid,
  },
  {
    type: 'IP_ADDRESS',
    category: 'pii',
    pattern:
      '(?:[0-9A-Fa-f]{0,4}:){2,20}(?:\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|[0-9A-Fa-f]{1,4})?(?:/\\d{1,3})?',
    boundary: 'none',
    window: 64,
    priority: PRIORITY.network,
    validate: ipv6Valid,
  },
  {
    type: 'MAC_ADDRESS',
    category: 'pii',
    // Up to 16 groups: a longer colon run (`ab:ab:ab:…`) is one rejected candidate per 16 groups.
    pattern: '[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5,15}|[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}',
    boundary: 'none',
    window: 24,
    priority: PRIORITY.network + 2,
    validate: macValid,
  },
  {
    type: 'PHONE',
    category: 'pii',
    // At least 6 groups of one or more digits (separators are optional, so this is "at least 6
    // digits", the shortest phone number) and at most 15: `00:00:…` or `1 2 ` yields no candidate,
    // and a longer run of numbers (`1-1-1-1-…`) is one rejected candidate per 15 groups.
    pattern:
      '(?:\\+|00)?\\(?\\d{1,4}\\)?(?:[ .-]?\\(?\\d{1,5}\\)?){5,14}(?:[ ]?(?:x|ext\\.?|#)[ ]?\\d{1,6})?',
    ignoreCase: true,
    boundary: 'alnum',
    window: 40,
    priority: PRIORITY.phone,
    validate: phoneValid,
  },
  {
    type: 'DATE_OF_BIRTH',
    category: 'pii',
    pattern:
      '\\d{1,2}[/.-]\\d{1,2}[/.-](?:19|20)?\\d{2}|(?:19|20)\\d{2}-\\d{2}-\\d{2}|\\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?,? (?:19|20)\\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.? \\d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\\d{2}',
    ignoreCase: true,
    boundary: 'alnum',
    window: 32,
    priority: PRIORITY.contextual,
    context: ['born', 'birth', 'dob', 'd.o.b', 'birthday', 'geboren', 'né le', 'née le', 'nacimiento'],
    contextWindow: 40,
  },
  {
    type: 'PASSPORT',
    category: 'pii',
    pattern: '[A-Z0-9]{1,3}\\d{5,9}|[A-Z]{1,2}\\d{6,8}[A-Z]?',
    boundary: 'alnum',
    window: 16,
    priority: PRIORITY.contextual,
    context: ['passport', 'passeport', 'reisepass', 'pasaporte', 'passaporto', 'paspoort', 'travel document'],
    contextWindow: 48,
  },
  {
    type: 'DRIVER_LICENSE',
    category: 'pii',
    pattern: '[A-Z]{0,3}\\d[A-Z0-9-]{4,16}',
    boundary: 'alnum',
    window: 24,
    priority: PRIORITY.contextual,
    context: [
      "driver's license",
      'driver license',
      'drivers license',
      "driver's licence",
      'driving licence',
      'driving license',
      'license number',
      'licence number',
      'license no',
      'licence no',
      'dl#',
      'dl #',
      'dl no',
      'führerschein',
    ],
    contextWindow: 48,
    validate: (value) => re2(String.raw`\d{4}`).test(value.replace(re2('-', 'g'), '')),
  },
  {
    // Any URL: reported, not redacted by default (links are rarely personal data on their own).
    type: 'URL',
    category: 'pii',
    pattern: `(?:https?|ftp)://[^\\s<>"'\`{}|\\\\^]+|www\\.[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+[^\\s<>"'\`{}|\\\\^]*|(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+(?:${TLDS})(?:/[^\\s<>"'\`{}|\\\\^]*)?`,
    ignoreCase: true,
    // Not the domain of an email address (`a@b.co`) or the tail of a longer name: the pattern
    // checks the character before, so inside a run of addresses no candidate starts at all.
    boundary: 'address',
    // Every match holds `://`, `www.` or a dot before a top-level domain, each followed by more.
    anchors: ['.', '://'],
    window: 24,
    priority: PRIORITY.url,
    validate: (value) => {
      const host = urlHost(value);
      if (!host.includes('.') || !labelsFit(host)) return false;
      return trailingPunctuation(value) === 0 ? true : value.length - trailingPunctuation(value);
    },
  },
];

/**
 * Accepts an IBAN, or the leading part of a longer run that is exactly one (glued trailing text).
 * The country fixes the length, so only one prefix is ever checked: constant work per candidate,
 * even inside a flood of `DE89 DE89 …`.
 */
function ibanPrefixLength(value: string): boolean | number {
  const expected = ibanLength(value);
  if (expected === undefined) return false;
  let compact = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== ' ' && value[i] !== '-') compact++;
    if (compact < expected) continue;
    if (i + 1 === value.length) return ibanValid(value);
    return (value[i + 1] === ' ' || value[i + 1] === '-') && ibanValid(value.slice(0, i + 1)) ? i + 1 : false;
  }
  return false;
}

/**
 * Domain labels of at most 63 characters (RFC 1035 §2.3.4). The patterns leave label length
 * unbounded: a counted label (`[A-Za-z0-9-]{0,61}`) makes RE2's DFA remember where every label
 * could have started, which on random text is a new state per character.
 */
function labelsFit(host: string): boolean {
  let run = 0;
  for (let i = 0; i < host.length; i++) {
    run = host[i] === '.' ? 0 : run + 1;
    if (run > 63) return false;
  }
  return host.length <= 253;
}

/** How many trailing characters of a URL are sentence punctuation rather than part of it. */
function trailingPunctuation(value: string): number {
  let cut = 0;
  while (cut < value.length && ".,;:!?)]'".includes(value[value.length - 1 - cut]!)) cut++;
  return cut;
}

/** The host of a matched URL: after a letters-only `scheme://`, up to the first `/`, `?`, `#` or `:`. */
function urlHost(value: string): string {
  let from = 0;
  const scheme = value.indexOf('://');
  if (scheme > 0) {
    let letters = true;
    for (let i = 0; i < scheme && letters; i++) {
      const code = value.charCodeAt(i) | 32;
      letters = code >= 97 && code <= 122;
    }
    if (letters) from = scheme + 3;
  }
  let to = from;
  while (to < value.length && !'/?#:'.includes(value[to]!)) to++;
  return value.slice(from, to);
}

/** The five characters before `start` read `RS35 `: a grouped number there continues an IBAN. */
function afterIbanGroup(text: string, start: number): boolean {
  if (start < 5) return false;
  const separator = text[start - 1];
  return (
    isAsciiLetter(text.charCodeAt(start - 5)) &&
    isAsciiLetter(text.charCodeAt(start - 4)) &&
    isAsciiDigit(text.charCodeAt(start - 3)) &&
    isAsciiDigit(text.charCodeAt(start - 2)) &&
    (separator === ' ' || separator === '-')
  );
}
