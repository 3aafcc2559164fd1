import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, type JwksServer, startJwksServer } from '../../../../test/helpers/jwks-server.js';
import { isLlmGuardError } from '../errors/llm-guard-error.js';
import { createIdentityGuard } from './identity-guard.js';
import { createJwtVerifier, type JwtIssuerOptions } from './jwt-verifier.js';
import { MemoryKeyStore } from './memory-key-store.js';

let idp: JwksServer;
let other: JwksServer;
beforeAll(async () => {
  [idp, other] = await Promise.all([startJwksServer(), startJwksServer()]);
});
afterAll(async () => {
  await Promise.all([idp.close(), other.close()]);
});

function issuer(server: JwksServer, extra: Partial<JwtIssuerOptions> = {}): JwtIssuerOptions {
  return {
    issuer: server.issuer,
    audience: 'llm-api',
    algorithms: ['RS256'],
    jwksUri: server.jwksUri,
    ...extra,
  };
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; detail: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (!isLlmGuardError(error)) throw error;
    return { status: error.status, detail: error.detail };
  }
  throw new Error('expected a refusal');
}

describe('JWT verifier', () => {
  it('maps claims to a principal, with configurable claim paths', async () => {
    const verify = createJwtVerifier({
      issuers: [issuer(idp, { rolesClaim: 'realm_access.roles', tenantClaim: 'org.id' })],
    });
    const token = await idp.sign({
      sub: 'alice',
      realm_access: { roles: ['user', 'viewer'] },
      org: { id: 'acme' },
      scope: 'chat:create models:read',
    });
    expect(await verify(token)).toEqual({
      id: 'alice',
      kind: 'jwt',
      tenant: 'acme',
      roles: ['user', 'viewer'],
      scopes: ['chat:create', 'models:read'],
      issuer: idp.issuer,
    });
  });

  it('gives defaultRoles only when the token has none', async () => {
    const verify = createJwtVerifier({ issuers: [issuer(idp, { defaultRoles: ['viewer'] })] });
    expect((await verify(await idp.sign({}))).roles).toEqual(['viewer']);
    expect((await verify(await idp.sign({ roles: 'admin' }))).roles).toEqual(['admin']);
  });

  it('trusts several issuers, each with its own keys', async () => {
    const verify = createJwtVerifier({
      issuers: [issuer(idp), issuer(other, { discovery: true, jwksUri: undefined })],
    });
    expect((await verify(await other.sign({ sub: 'bob' }))).issuer).toBe(other.issuer);
    expect((await verify(await idp.sign({ sub: 'carol' }))).issuer).toBe(idp.issuer);
    expect(other.hits.discovery).toBeGreaterThanOrEqual(1);
    // A token claiming one issuer but signed by the other's key is refused.
    const crossed = await other.sign({ iss: idp.issuer }, { kid: idp.key.kid });
    expect(await refusal(verify(crossed))).toEqual({
      status: 401,
      detail: 'The token signature is not valid.',
    });
  });

  it('refuses none, HS256 with the public key, bad claims, and requires exp and sub', async () => {
    const verify = createJwtVerifier({ issuers: [issuer(idp)], maxTokenBytes: 4096 });
    const now = Math.floor(Date.now() / 1000);
    const unsecured = new UnsecuredJWT({ sub: 'x', exp: now + 60 })
      .setIssuer(idp.issuer)
      .setAudience('llm-api')
      .encode();
    expect((await refusal(verify(unsecured))).status).toBe(401);
    const publicDer = new TextEncoder().encode(JSON.stringify(idp.key.publicJwk));
    const confused = await new SignJWT({ sub: 'x', iss: idp.issuer, aud: 'llm-api', exp: now + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: idp.key.kid })
      .sign(publicDer);
    expect(await refusal(verify(confused))).toEqual({
      status: 401,
      detail: 'The token algorithm is not accepted.',
    });
    expect(await refusal(verify(await idp.sign({ exp: now - 120 })))).toEqual({
      status: 401,
      detail: 'The token has expired.',
    });
    // Inside the 30 s default clock tolerance.
    expect((await verify(await idp.sign({ exp: now - 5 }))).id).toBe('alice');
    expect(await refusal(verify(await idp.sign({ nbf: now + 600 })))).toEqual({
      status: 401,
      detail: 'The token is not valid yet.',
    });
    expect(await refusal(verify(await idp.sign({ aud: 'other-api' })))).toEqual({
      status: 401,
      detail: 'The token audience is not accepted.',
    });
    expect(await refusal(verify(await idp.sign({ iss: 'https://evil.example' })))).toEqual({
      status: 401,
      detail: 'The token issuer is not trusted.',
    });
    expect((await refusal(verify(await idp.sign({ exp: undefined })))).status).toBe(401);
    expect((await refusal(verify(await idp.sign({ sub: undefined })))).status).toBe(401);
    expect(await refusal(verify(`${'a'.repeat(4000)}.${'b'.repeat(100)}.c`))).toEqual({
      status: 401,
      detail: 'The token exceeds 4096 bytes.',
    });
    expect(await refusal(verify('not-a-jwt'))).toEqual({ status: 401, detail: 'The token is malformed.' });
  });

  it('fails closed with 503 when the keys cannot be fetched, then recovers', async () => {
    const down = await startJwksServer();
    const verify = createJwtVerifier({ issuers: [issuer(down)] });
    down.failWith = 500;
    const token = await down.sign();
    expect(await refusal(verify(token))).toEqual({
      status: 503,
      detail: "The identity provider's signing keys could not be fetched.",
    });
    // Backoff: a burst of requests during the outage costs no further fetches.
    const hits = down.hits.jwks;
    await Promise.all(Array.from({ length: 50 }, () => refusal(verify(token))));
    expect(down.hits.jwks).toBe(hits);
    down.failWith = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await verify(token)).id).toBe('alice');
    await down.close();
    // Unreachable (connection refused) is a 503 as well.
    const gone = createJwtVerifier({ issuers: [issuer(down)] });
    expect((await refusal(gone(token))).status).toBe(503);
  });

  it('checks the discovery document issuer before trusting its jwks_uri', async () => {
    const verify = createJwtVerifier({
      issuers: [
        {
          issuer: `${idp.issuer}/tenant`,
          audience: 'llm-api',
          algorithms: ['RS256'],
          discovery: idp.discoveryUrl,
        },
      ],
    });
    const token = await idp.sign({ iss: `${idp.issuer}/tenant` });
    expect((await refusal(verify(token))).status).toBe(503);
  });

  it('picks up rotated keys with one refetch after the cooldown', async () => {
    const rotating = await startJwksServer();
    const verify = createJwtVerifier({ issuers: [issuer(rotating, { jwksCooldownMs: 100 })] });
    expect((await verify(await rotating.sign())).id).toBe('alice');
    const next = await createSigningKey('key-2');
    rotating.published = [rotating.key, next];
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await verify(await rotating.sign({}, { key: next }))).id).toBe('alice');
    expect(rotating.hits.jwks).toBe(2);
    await rotating.close();
  });
});

describe('identity options', () => {
  const base = {
    issuer: 'https://login.example.com/',
    audience: 'api',
    jwksUri: 'https://login.example.com/jwks',
  };
  it.each([
    ['no algorithms', { ...base }],
    ['empty algorithms', { ...base, algorithms: [] }],
    ['HS256', { ...base, algorithms: ['HS256'] }],
    ['none', { ...base, algorithms: ['none'] }],
    ['both jwksUri and discovery', { ...base, algorithms: ['RS256'], discovery: true }],
    ['no audience', { issuer: base.issuer, jwksUri: base.jwksUri, algorithms: ['RS256'] }],
  ])('refuses to start with %s', (_name, issuerOptions) => {
    expect(() => createIdentityGuard({ jwt: { issuers: [issuerOptions as never] } })).toThrow(
      expect.objectContaining({ code: 'ERR_LLMGUARD_INVALID_OPTIONS' }),
    );
  });

  it('refuses plain-http key URLs off loopback, an empty config and unknown options', () => {
    expect(() =>
      createIdentityGuard({
        jwt: { issuers: [{ ...base, algorithms: ['RS256'], jwksUri: 'http://login.example.com/jwks' }] },
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_LLMGUARD_INVALID_OPTIONS' }));
    expect(() => createIdentityGuard({})).toThrow(
      expect.objectContaining({ code: 'ERR_LLMGUARD_INVALID_OPTIONS' }),
    );
    expect(() =>
      createIdentityGuard({ apiKeys: { store: new MemoryKeyStore() }, protected: ['/v1'] } as never),
    ).toThrow(expect.objectContaining({ code: 'ERR_LLMGUARD_INVALID_OPTIONS' }));
    expect(() =>
      createIdentityGuard({ apiKeys: { store: new MemoryKeyStore(), header: false, bearer: false } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_LLMGUARD_INVALID_OPTIONS' }));
    expect(() => createIdentityGuard({ apiKeys: { store: new MemoryKeyStore() }, order: ['jwt'] })).toThrow(
      expect.objectContaining({ code: 'ERR_LLMGUARD_INVALID_OPTIONS' }),
    );
  });
});
