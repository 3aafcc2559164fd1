/**
 * A JSON Web Token's first segment decodes (base64url) to a JSON object naming an `alg` or `typ`,
 * which rules out look-alike `eyJ…` strings that are not tokens.
 *
 * @example
 * jwtValid('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'); // true
 */
export function jwtValid(value: string): boolean {
  const header = value.slice(0, value.indexOf('.'));
  try {
    const decoded: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return (
      decoded !== null &&
      typeof decoded === 'object' &&
      ('alg' in decoded || 'typ' in decoded || 'kid' in decoded)
    );
  } catch {
    return false;
  }
}
