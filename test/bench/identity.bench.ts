// Identity benchmark: cost per request of API key verification and of JWT verification against a
// cached JWKS (served over HTTP by a local provider, fetched once), next to jose's bare jwtVerify
// with the same keys as an in-memory JWKS, measured side by side in one run.
// Run: node --conditions=dev-source --import tsx test/bench/identity.bench.ts
import {
  createApiKeyVerifier,
  createGuardPipeline,
  createIdentityGuard,
  createJwtVerifier,
  type GuardRequest,
  generateApiKey,
  MemoryKeyStore,
  parseApiKey,
} from '@llmguard/core';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { startJwksServer, type TestSigningKey } from '../helpers/jwks-server.js';
import { median, writeBenchSection } from './report.js';

const COMMAND = 'node --conditions=dev-source --import tsx test/bench/identity.bench.ts';
const ROUNDS = 7;

interface Case {
  readonly ops: number;
  readonly fn: () => unknown;
}

/**
 * Median microseconds per operation of each case. Rounds are interleaved (case A, B, C, A, B, C…)
 * so that load changes on a shared machine hit every case alike and the ratios stay meaningful.
 */
async function microsPerOp<K extends string>(cases: Record<K, Case>): Promise<Record<K, number>> {
  const names = Object.keys(cases) as K[];
  const samples = new Map<K, number[]>(names.map((name) => [name, []]));
  for (const name of names) {
    const { ops, fn } = cases[name];
    for (let i = 0; i < Math.min(ops, 500); i++) await fn();
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of names) {
      const { ops, fn } = cases[name];
      const started = performance.now();
      for (let i = 0; i < ops; i++) await fn();
      samples.get(name)!.push(((performance.now() - started) * 1000) / ops);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples.get(name)!)])) as Record<K, number>;
}

function getRequest(url: string, headers: Record<string, string>): GuardRequest {
  return {
    method: 'GET',
    url,
    header: (name) => headers[name],
    clientIp: '127.0.0.1',
    remoteAddress: '127.0.0.1',
    body: { kind: 'none' },
  };
}

// ---- API keys ----
const store = new MemoryKeyStore();
const { key, id, hash } = generateApiKey();
await store.put({ id, hash, roles: ['user'], scopes: [], createdAt: new Date().toISOString() });
const verifyKey = createApiKeyVerifier({ store });

// ---- JWT: a provider with an RS256 and an ES256 key, JWKS over HTTP ----
const idp = await startJwksServer();
const es = await generateKeyPair('ES256', { extractable: true });
const esKey: TestSigningKey = {
  kid: 'es-1',
  privateKey: es.privateKey,
  publicKey: es.publicKey,
  publicJwk: { ...(await exportJWK(es.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
};
idp.published = [idp.key, esKey];
const issuer = {
  issuer: idp.issuer,
  audience: 'llm-api',
  algorithms: ['RS256', 'ES256'] as const,
  jwksUri: idp.jwksUri,
};
// Baseline: jose alone, with the same keys as an in-memory JWKS (no HTTP, no llmguard wrapper).
const localJwks = createLocalJWKSet({ keys: [idp.key.publicJwk, esKey.publicJwk] });
const verifyJwt = createJwtVerifier({ issuers: [{ ...issuer, algorithms: [...issuer.algorithms] }] });
const rsToken = await idp.sign({ roles: ['user'], exp: Math.floor(Date.now() / 1000) + 3600 });
const esToken = await idp.sign(
  { roles: ['user'], exp: Math.floor(Date.now() / 1000) + 3600 },
  { key: esKey, alg: 'ES256' },
);
await verifyJwt(rsToken);
await verifyJwt(esToken);

const pipeline = createGuardPipeline({
  guards: [
    createIdentityGuard({
      apiKeys: { store },
      jwt: { issuers: [{ ...issuer, algorithms: [...issuer.algorithms] }] },
    }),
  ],
});
const keyRequest = getRequest('/v1/models', { 'x-api-key': key });
const jwtRequest = getRequest('/v1/models', { authorization: `Bearer ${rsToken}` });
const esJwtRequest = getRequest('/v1/models', { authorization: `Bearer ${esToken}` });
for (const request of [keyRequest, jwtRequest, esJwtRequest]) {
  const result = await pipeline.handle(request);
  if (!result.ok) throw new Error(`benchmark request refused: ${result.body}`);
}
const fetchesAfterWarmup = idp.hits.jwks;

const results = await microsPerOp({
  checksum: { ops: 20_000, fn: () => parseApiKey(key) },
  apiKey: { ops: 10_000, fn: () => verifyKey(key) },
  apiKeyGuard: { ops: 5_000, fn: () => pipeline.handle(keyRequest) },
  joseRs: {
    ops: 1_000,
    fn: () =>
      jwtVerify(rsToken, localJwks, {
        issuer: idp.issuer,
        audience: 'llm-api',
        algorithms: ['RS256'],
      }),
  },
  jwtRs: { ops: 1_000, fn: () => verifyJwt(rsToken) },
  jwtRsGuard: { ops: 1_000, fn: () => pipeline.handle(jwtRequest) },
  joseEs: {
    ops: 1_000,
    fn: () =>
      jwtVerify(esToken, localJwks, { issuer: idp.issuer, audience: 'llm-api', algorithms: ['ES256'] }),
  },
  jwtEs: { ops: 1_000, fn: () => verifyJwt(esToken) },
  jwtEsGuard: { ops: 1_000, fn: () => pipeline.handle(esJwtRequest) },
});
const fetchesDuringRun = idp.hits.jwks - fetchesAfterWarmup;
await idp.close();

const us = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
const table = [
  '| what is measured (per request) | µs/op | vs. baseline |',
  '|---|---:|---:|',
  `| API key: layout + CRC32 checksum only (\`parseApiKey\`) | ${us(results.checksum)} | — |`,
  `| API key: full verify (checksum, lookup, SHA-256, constant-time compare, expiry/revocation) | ${us(results.apiKey)} | ${ratio(results.apiKey, results.checksum)} of checksum |`,
  `| API key: identity guard in the pipeline (route check, credential, RBAC, policy) | ${us(results.apiKeyGuard)} | ${ratio(results.apiKeyGuard, results.apiKey)} of verify |`,
  `| jose \`jwtVerify\` RS256 with an in-memory JWKS (baseline) | ${us(results.joseRs)} | 1.00× |`,
  `| JWT RS256 via cached JWKS (\`createJwtVerifier\`) | ${us(results.jwtRs)} | ${ratio(results.jwtRs, results.joseRs)} |`,
  `| JWT RS256: identity guard in the pipeline | ${us(results.jwtRsGuard)} | ${ratio(results.jwtRsGuard, results.joseRs)} |`,
  `| jose \`jwtVerify\` ES256 with an in-memory JWKS (baseline) | ${us(results.joseEs)} | 1.00× |`,
  `| JWT ES256 via cached JWKS (\`createJwtVerifier\`) | ${us(results.jwtEs)} | ${ratio(results.jwtEs, results.joseEs)} |`,
  `| JWT ES256: identity guard in the pipeline | ${us(results.jwtEsGuard)} | ${ratio(results.jwtEsGuard, results.joseEs)} |`,
].join('\n');

const markdown = `${table}

Median of ${ROUNDS} interleaved rounds of sequential calls in one process (load on the machine\nhits every row alike, so compare ratios). The JWKS was fetched over HTTP once
while warming up; JWKS fetches during the measured runs: **${fetchesDuringRun}** (keys are served
from jose's cache). JWT cost is dominated by the signature check itself: the verifier adds the
issuer lookup, an unverified decode to pick the issuer, and claim mapping on top of jose.`;

writeBenchSection('identity', 'Identity: API key and JWT verification', COMMAND, markdown);
console.log(markdown);
