import { z } from 'zod';
import { JWT_ALGORITHMS } from './jwt-verifier.js';
import type { KeyStore } from './key-store.js';

// Option strings only (never request input): the JS engine is fine for these checks.
const headerName = z
  .string()
  .regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'a lower-case HTTP header name')
  .refine((name) => name !== 'authorization', 'use apiKeys.bearer for the Authorization header');
const pathPattern = z.string().regex(/^\/[^?#\s]*$/, 'a path starting with "/"');
const quotedStringSafe = z
  .string()
  .regex(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/, 'printable ASCII without " or \\');

const rolePolicySchema = z.strictObject({
  allowedModels: z.array(z.string().min(1)).optional(),
  maxTokens: z.number().int().positive().optional(),
  maxTokensMode: z.enum(['refuse', 'clamp']).optional(),
  limitTier: z.string().min(1).optional(),
  budgetTier: z.string().min(1).optional(),
  allowStreaming: z.boolean().optional(),
});

const issuerSchema = z
  .strictObject({
    issuer: z.string().min(1),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    algorithms: z
      .array(
        z.enum(JWT_ALGORITHMS, {
          error: `algorithms must be asymmetric (${JWT_ALGORITHMS.join(', ')}); HS* and "none" are refused`,
        }),
        { error: 'algorithms is required: list the JWS algorithms your provider signs with, e.g. ["RS256"]' },
      )
      .min(1, 'algorithms must not be empty'),
    jwksUri: z.string().min(1).optional(),
    discovery: z.union([z.boolean(), z.string().min(1)]).optional(),
    clockToleranceSec: z.number().min(0).max(600).optional(),
    typ: z.string().min(1).optional(),
    rolesClaim: z.string().min(1).optional(),
    tenantClaim: z.string().min(1).optional(),
    scopesClaim: z.string().min(1).optional(),
    defaultRoles: z.array(z.string().min(1)).optional(),
    jwksCooldownMs: z.number().int().min(0).optional(),
    jwksCacheMaxAgeMs: z.number().int().min(0).optional(),
    jwksTimeoutMs: z.number().int().positive().max(60_000).optional(),
  })
  .refine(
    (issuer) =>
      (issuer.jwksUri === undefined) !== (issuer.discovery === undefined || issuer.discovery === false),
    {
      message: 'give exactly one of jwksUri or discovery',
      path: ['jwksUri'],
    },
  );

/** zod schema of `createIdentityGuard` options (validated once at construction). */
export const identityOptionsSchema = z
  .strictObject({
    order: z
      .array(z.enum(['jwt', 'api-key']))
      .min(1)
      .refine((order) => new Set(order).size === order.length, 'no method may appear twice')
      .optional(),
    apiKeys: z
      .strictObject({
        store: z.custom<KeyStore>(
          (store) =>
            typeof store === 'object' &&
            store !== null &&
            typeof (store as KeyStore).get === 'function' &&
            typeof (store as KeyStore).put === 'function',
          'a KeyStore (get, put, list, revoke)',
        ),
        prefix: z
          .string()
          .regex(/^[a-z][a-z0-9]{1,15}$/, '2-16 lower-case letters and digits')
          .optional(),
        header: z.union([headerName, z.literal(false)]).optional(),
        bearer: z.boolean().optional(),
      })
      .refine((keys) => keys.header !== false || keys.bearer !== false, {
        message: 'with header: false and bearer: false no API key could ever be presented',
        path: ['header'],
      })
      .optional(),
    jwt: z
      .strictObject({
        issuers: z
          .array(issuerSchema)
          .min(1)
          .refine(
            (list) => new Set(list.map((i) => i.issuer)).size === list.length,
            'issuers must be distinct',
          ),
        maxTokenBytes: z.number().int().min(256).max(65_536).optional(),
      })
      .optional(),
    protect: z.array(pathPattern).min(1).optional(),
    publicPaths: z.array(pathPattern).optional(),
    rbac: z
      .strictObject({
        roles: z
          .record(
            z.string().min(1),
            z.strictObject({
              permissions: z.array(z.string()).optional(),
              inherits: z.array(z.string()).optional(),
              policy: rolePolicySchema.optional(),
            }),
          )
          .optional(),
        replaceDefaultRoles: z.boolean().optional(),
        routes: z
          .array(
            z.strictObject({ method: z.string().min(1), path: pathPattern, permission: z.string().min(1) }),
          )
          .optional(),
        defaultPermission: z.string().min(1).optional(),
      })
      .optional(),
    realm: quotedStringSafe.optional(),
  })
  .refine((options) => options.apiKeys !== undefined || options.jwt !== undefined, {
    message: 'configure apiKeys, jwt or both',
    path: ['apiKeys'],
  })
  .refine(
    (options) =>
      (options.order ?? []).every(
        (method) => (method === 'jwt' ? options.jwt : options.apiKeys) !== undefined,
      ),
    { message: 'order names a method that is not configured', path: ['order'] },
  );
