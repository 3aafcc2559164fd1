import { base62Crc32 } from '../../checksum/base62-crc32.js';

/**
 * GitHub's new-format tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 characters) end in a
 * base62 CRC32 of the 30 random characters; a wrong checksum means a made-up token.
 *
 * @example
 * githubTokenChecksumValid('ghp_' + body30 + checksum6);
 */
export function githubTokenChecksumValid(token: string): boolean {
  const body = token.slice(4);
  if (body.length !== 36) return false;
  return base62Crc32(body.slice(0, 30), 6) === body.slice(30);
}
