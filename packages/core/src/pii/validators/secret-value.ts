import RE2 from 're2';
import { shannonEntropy } from './entropy.js';

const PLACEHOLDER = new RE2(
  '^(?:x+|\\*+|\\.+|-+|0+|null|none|nil|true|false|undefined|changeme|change_me|example|sample|dummy|redacted|hidden|secret|password|passwd|token|your[_-]?\\w*|my[_-]?\\w*|test\\w*|<[^>]*>|\\[[^\\]]*\\]|\\{[^}]*\\}|\\$\\{?[\\w.]+\\}?|%[\\w]+%?|\\{\\{.*\\}\\}|process\\.env\\.\\w+|os\\.environ.*|env\\(.*|getenv.*)$',
  'i',
);
const IDENTIFIER = new RE2(
  '^_*[a-z]+(?:[_.][a-z]+)*_*$|^_*[A-Z]*(?:[A-Z][a-z]+)+[A-Z]*$|^[a-z]+(?:[A-Z][a-z]+)+$|^_*[A-Z]+(?:_[A-Z]+)*$',
);
/**
 * `struct_X509_pubkey_st`, `Ed25519.BlindKeySignatures`, `jjwt-jackson-0.11.2`, `__darwin_ucontext64_t`,
 * `local-variable-if-set-p`: words, code names, versions.
 */
const WORDS_AND_VERSIONS = new RE2(
  '^_*(?:[A-Za-z]+\\d{0,5}|\\d{1,5})(?:[-_.](?:[A-Za-z]+\\d{0,5}|\\d{1,10}))+_*$',
);
const UUID = new RE2('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$');
const HEX = new RE2('^[0-9a-fA-F]+$');
/** `s.keywords||s.beginKeywords`, `opts.token ?? env.TOKEN`: an expression. */
const CODE_OPERATOR = new RE2('^[A-Za-z_$][A-Za-z0-9_$.]*(?:\\|\\||&&|\\?\\?)');
/** `self._lexer.token`, `config.apiKey`, `os.environ`: a member path, not a literal. */
const MEMBER_PATH = new RE2('^[A-Za-z_$][A-Za-z_$]*(?:\\.[A-Za-z_$][A-Za-z_$]*)+$');
const CALL_OR_PATH = new RE2('[()]|^\\.?/|^https?:|\\.(?:js|ts|py|go|rb|java|json|ya?ml|txt|md|html|css)$');

/**
 * A value assigned to a secret-like name (`api_key = "…"`) counts as a secret when it is not a
 * placeholder, variable reference or plain identifier, and looks random: at least 16 characters
 * with entropy ≥ 3.0 bits/char (2.7 for hex) and both letters and digits, or, for password-like
 * names, any non-placeholder of 6+ characters with a digit or symbol, or 10+ random mixed-case letters.
 *
 * @example
 * secretValueValid('9f8a7c6b5e4d3c2b1a0f9e8d', false); // true
 */
export function secretValueValid(value: string, passwordLike: boolean, skipImpossible = true): boolean {
  // Length first: floods of short look-alikes (`secret: "secret: "…`) end here without a regex call.
  if (!secretLengthPossible(value, passwordLike)) return false;
  // One pass over the characters tells which of the patterns below could match at all; a random
  // token (letters and digits only) then needs one regex call instead of five. Each test is only
  // skipped where its pattern cannot match, so the verdict is the same (`skipImpossible = false`
  // runs every pattern, the reference the tests compare against).
  const shape = valueShape(value);
  const all = !skipImpossible;
  if ((all || placeholderPossible(value)) && PLACEHOLDER.test(value)) return false;
  if ((all || shape.pathLike) && CALL_OR_PATH.test(value)) return false;
  if ((all || shape.identifierOnly) && IDENTIFIER.test(value)) return false;
  if ((all || (shape.wordOnly && shape.separated)) && WORDS_AND_VERSIONS.test(value)) return false;
  // Time- or name-based UUIDs (versions 1–3, 5) are identifiers; random tokens are version 4.
  if ((all || value.length === 36) && UUID.test(value) && '1235'.includes(value[14]!)) return false;
  const { letters, digits, other } = shape;
  if (passwordLike) {
    if (digits > 0 || other > 0) return true;
    // Letters only: a generated password mixes case at random (`yqDVtkqPECriaLRi`); words do not.
    return (
      value.length >= 10 &&
      value !== value.toLowerCase() &&
      value !== value.toUpperCase() &&
      shannonEntropy(value) >= 3.3
    );
  }
  if (digits === 0 && other === 0) return shannonEntropy(value) >= 3.8;
  // Hex draws from 16 symbols, so a random 16-char hex token scores lower than base64 of that length.
  if (all ? HEX.test(value) : shape.hex) return letters > 0 && digits > 1 && shannonEntropy(value) >= 2.7;
  return letters > 0 && shannonEntropy(value) >= 3.0;
}

interface ValueShape {
  readonly letters: number;
  readonly digits: number;
  readonly other: number;
  /** Only `A–Z a–z _ .`: what IDENTIFIER allows. */
  readonly identifierOnly: boolean;
  /** Only `A–Z a–z 0–9 _ . -`: what WORDS_AND_VERSIONS allows. */
  readonly wordOnly: boolean;
  /** Holds `-`, `_` or `.`, one of which WORDS_AND_VERSIONS needs. */
  readonly separated: boolean;
  /** Holds a bracket or a dot, or starts like a path or a URL: CALL_OR_PATH may match. */
  readonly pathLike: boolean;
  /** Only hex digits. */
  readonly hex: boolean;
}

function valueShape(value: string): ValueShape {
  let letters = 0;
  let digits = 0;
  let other = 0;
  let identifierOnly = true;
  let wordOnly = true;
  let separated = false;
  let bracketOrDot = false;
  let hex = true;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const upper = code >= 65 && code <= 90;
    const lower = code >= 97 && code <= 122;
    if (upper || lower) {
      letters++;
      if ((upper && code > 70) || (lower && code > 102)) hex = false;
      continue;
    }
    if (code >= 48 && code <= 57) {
      digits++;
      identifierOnly = false;
      continue;
    }
    other++;
    hex = false;
    if (code === 0x5f || code === 0x2e)
      separated = true; // _ .
    else if (code === 0x2d) {
      separated = true; // -
      identifierOnly = false;
    } else {
      identifierOnly = false;
      wordOnly = false;
    }
    if (code === 0x2e || code === 0x28 || code === 0x29) bracketOrDot = true; // . ( )
  }
  const pathLike = bracketOrDot || value.charCodeAt(0) === 0x2f || value.startsWith('http');
  return { letters, digits, other, identifierOnly, wordOnly, separated, pathLike, hex };
}

/**
 * Whether PLACEHOLDER could match: its alternatives start with one of these characters (in either
 * case). A value starting with anything else outside ASCII is tested anyway: RE2's case folding
 * maps a few such letters onto ASCII ones (`ſ` onto `s`).
 */
function placeholderPossible(value: string): boolean {
  const first = value.charCodeAt(0);
  return first > 0x7f || PLACEHOLDER_FIRST.includes(value[0]!.toLowerCase());
}

const PLACEHOLDER_FIRST = 'x*.-0ntfucesdrhpym<[{$%og';

/**
 * Long enough to be a secret: 6 characters after a password-like name, 16 otherwise. The first
 * test of `secretValueValid`, exported so validators can run it before their own costlier checks.
 */
export function secretLengthPossible(value: string, passwordLike: boolean): boolean {
  return value.length >= (passwordLike ? 6 : 16);
}

/**
 * The right-hand side of an assignment is code, not a literal: a call (`password = getPass(…)`),
 * a member path without digits (`token = self._lexer.token`), an `||`/`&&`/`??` expression, or
 * the name assigned to itself (`exports.AuthKeyExtension = AuthKeyExtension`, `Key = mod.Key`).
 *
 * @example
 * assignedCode('self._get_password', 'password = self._get_password(url)', 11, 29); // true
 */
export function assignedCode(value: string, text: string, start: number, end: number): boolean {
  if (text[end] === '(') return true;
  // Each pattern needs its character (a dot; `|`, `&` or `?`): without it, no regex call.
  if (value.includes('.') && MEMBER_PATH.test(value)) return true;
  if ((value.includes('|') || value.includes('&') || value.includes('?')) && CODE_OPERATOR.test(value))
    return true;
  // The name being assigned: what ends just before the operator and quotes. The same key pasted
  // twice (`a = "K"; b = "K"`, or on the line before) is a second copy, not its own name.
  let nameEnd = start;
  const lowest = Math.max(0, start - 64);
  while (nameEnd > lowest && ASSIGNMENT_PUNCTUATION.includes(text[nameEnd - 1]!)) nameEnd--;
  const name = text.slice(Math.max(0, nameEnd - value.length - 16), nameEnd);
  if (name.endsWith(value)) return true;
  // `RegOpenKeyEx = win32api.RegOpenKeyEx`: a module member under its own name.
  const member = value.slice(value.lastIndexOf('.') + 1);
  return member.length >= 3 && member.length < value.length && name.endsWith(member);
}

/** What may stand between a name and its value: spaces, operators, quotes, a key's closing quote. */
const ASSIGNMENT_PUNCTUATION = ' \t"\'`:=>,?|.';
