import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** A signing key whose public half the server publishes (or not). */
export interface TestSigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** A local OpenID provider: discovery document and JWKS over real HTTP on 127.0.0.1, hits counted. */
export interface JwksServer {
  /** `http://127.0.0.1:<port>` — also the issuer. */
  readonly issuer: string;
  readonly jwksUri: string;
  readonly discoveryUrl: string;
  /** Requests served per path. */
  readonly hits: { jwks: number; discovery: number };
  /** The key published first (kid `key-1`). */
  readonly key: TestSigningKey;
  /** Keys currently published. */
  published: TestSigningKey[];
  /** When set, every answer is this status with an empty body (provider outage). */
  failWith: number | undefined;
  /** Signs a token with `key` (default the published key); defaults: iss, aud `llm-api`, sub, iat, exp +5 min. */
  sign(payload?: JWTPayload, options?: { key?: TestSigningKey; kid?: string; alg?: string }): Promise<string>;
  close(): Promise<void>;
}

/** Generates an RS256 key pair with a kid. */
export async function createSigningKey(kid: string): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, publicJwk };
}

/**
 * Starts the provider on an ephemeral loopback port.
 *
 * @example
 * const idp = await startJwksServer();
 * const token = await idp.sign({ sub: 'alice', roles: ['user'] });
 */
export async function startJwksServer(): Promise<JwksServer> {
  const key = await createSigningKey('key-1');
  const hits = { jwks: 0, discovery: 0 };
  let issuer = '';
  const state: Pick<JwksServer, 'published' | 'failWith'> = { published: [key], failWith: undefined };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/jwks.json') hits.jwks++;
    else if (path === '/.well-known/openid-configuration') hits.discovery++;
    if (state.failWith !== undefined) {
      res.writeHead(state.failWith).end();
      return;
    }
    if (path === '/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: state.published.map((k) => k.publicJwk) }));
    } else if (path === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    jwksUri: `${issuer}/jwks.json`,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    hits,
    key,
    get published() {
      return state.published;
    },
    set published(keys) {
      state.published = keys;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(status) {
      state.failWith = status;
    },
    async sign(payload = {}, options = {}) {
      const signer = options.key ?? key;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: 'llm-api', sub: 'alice', iat: now, exp: now + 300, ...payload })
        .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? signer.kid, typ: 'JWT' })
        .sign(signer.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
