/**
 * ASCII character classes by UTF-16 code unit, for validators and boundary checks that look at
 * one character: a comparison costs nothing, where a regex call on a one-character string costs a
 * native call and a string conversion. `NaN` (a position outside the text) is in no class.
 */

/** `[0-9]` */
export function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `[A-Za-z]` */
export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** `[A-Za-z0-9]` */
export function isAsciiAlnum(code: number): boolean {
  return isAsciiDigit(code) || isAsciiLetter(code);
}

/** `[A-Za-z0-9._%+-]`: a character of an email address's local part. */
export function isEmailLocalChar(code: number): boolean {
  return (
    isAsciiAlnum(code) ||
    code === 46 || // .
    code === 95 || // _
    code === 37 || // %
    code === 43 || // +
    code === 45 // -
  );
}

/** Whether `value` holds an ASCII digit. */
export function hasAsciiDigit(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isAsciiDigit(value.charCodeAt(i))) return true;
  return false;
}
