import { crc32 } from 'node:zlib';

/** Digits, upper case, lower case: the alphabet of GitHub token checksums and llmguard API keys. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * CRC32 of `text` (UTF-8) written in base62, left-padded with `0` to `width` characters. Six
 * characters hold any CRC32, since 62^6 > 2^32. Used by checksummed token formats so a typo or a
 * made-up value is recognised without a lookup.
 *
 * @example
 * base62Crc32('abc', 6); // '2yl6tR'-like, always 6 characters
 */
export function base62Crc32(text: string, width: number): string {
  let out = '';
  let rest = crc32(text);
  while (rest > 0) {
    out = BASE62_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}
