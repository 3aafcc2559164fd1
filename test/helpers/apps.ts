import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { serve } from '@hono/node-server';
import type { GuardPass, GuardPipeline, LlmGuardOptions } from '@llmguard/core';
import { llmGuard as expressGuard } from '@llmguard/express';
import { llmGuard as fastifyGuard } from '@llmguard/fastify';
import { llmGuard as honoGuard, type LlmGuardEnv } from '@llmguard/hono';
import express from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import { Hono } from 'hono';

/**
 * The adapters every contract test runs against: the three frameworks, and `@llmguard/express`
 * once more on Express 4 (its peer range covers both majors).
 */
export type AdapterName = 'express' | 'express4' | 'hono' | 'fastify';
export const ADAPTERS: readonly AdapterName[] = ['express', 'express4', 'hono', 'fastify'];

/** One request that reached the host handler, as the handler saw it. */
export interface UpstreamCall {
  /** e.g. `/v1/chat/completions` */
  readonly path: string;
  /** The sanitized body as the host handler read it, the framework's usual way. */
  readonly body: unknown;
  /** Lower-case request headers. */
  readonly headers: Record<string, string>;
  /** The typed slot (`req.llmGuard` / `c.var.llmGuard` / `request.llmGuard`). */
  readonly guard: GuardPass | undefined;
}

/** What the mock upstream answers. */
export interface UpstreamReply {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Sent as `application/json`. */
  readonly json?: unknown;
  /** Raw chunks written one by one (`text/event-stream`), each flushed. */
  readonly sse?: readonly string[];
  /** Pause between SSE chunks. Default 0. */
  readonly chunkDelayMs?: number;
  /** Called just before SSE chunk `index` is written (lets a test observe the upstream's pace). */
  readonly onChunk?: (index: number) => void;
}
export type Upstream = (call: UpstreamCall) => UpstreamReply | Promise<UpstreamReply>;

export interface AppOptions {
  /** Passed to the adapter's `llmGuard(...)`: preset options, or a pipeline of your own. */
  readonly guard?: LlmGuardOptions | GuardPipeline;
  /** Default: replies `{ received: body }` as JSON. */
  readonly upstream?: Upstream;
  /** Express only: mount `express.json()` before the guard. Default false. */
  readonly expressJson?: boolean;
}

export interface RunningApp {
  readonly adapter: AdapterName;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every call that reached the host handler. */
  readonly calls: UpstreamCall[];
  /** The underlying Node server (for tests that observe connections or request streams). */
  readonly server: Server;
  close(): Promise<void>;
}

const defaultUpstream: Upstream = (call) => ({ json: { received: call.body } });

/**
 * Starts one adapter's app on an ephemeral loopback port. The guard covers `/v1/*`; every
 * `/v1/*` request that passes reaches the upstream; `GET /health` is outside the guard and
 * answers `ok` as text/plain.
 *
 * @example
 * const app = await startApp('hono', { guard: { validation: { maxMessages: 5 } } });
 * await fetch(`${app.url}/health`);
 * await app.close();
 */
export function startApp(adapter: AdapterName, options: AppOptions = {}): Promise<RunningApp> {
  const calls: UpstreamCall[] = [];
  const upstream = options.upstream ?? defaultUpstream;
  const record = async (call: UpstreamCall): Promise<UpstreamReply> => {
    calls.push(call);
    return upstream(call);
  };
  switch (adapter) {
    case 'express':
      return startExpress(express, '/v1/*splat', 'express', options, calls, record);
    case 'express4':
      // Express 4 routes with path-to-regexp 0.1: a bare `*` instead of a named wildcard.
      return startExpress(express4, '/v1/*', 'express4', options, calls, record);
    case 'hono':
      return startHono(options, calls, record);
    case 'fastify':
      return startFastify(options, calls, record);
  }
}

type Record_ = (call: UpstreamCall) => Promise<UpstreamReply>;

function lowerCaseHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function replyHeaders(reply: UpstreamReply): Record<string, string> {
  const headers: Record<string, string> = {};
  if (reply.sse !== undefined) {
    headers['content-type'] = 'text/event-stream';
    headers['cache-control'] = 'no-cache';
  } else {
    headers['content-type'] = 'application/json';
  }
  for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function* sseChunks(reply: UpstreamReply): AsyncGenerator<Buffer> {
  const chunks = reply.sse ?? [];
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0 && (reply.chunkDelayMs ?? 0) > 0) await sleep(reply.chunkDelayMs ?? 0);
    reply.onChunk?.(i);
    yield Buffer.from(chunks[i]!);
  }
}

function listening(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      const address = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${address.port}`);
    };
    if (server.listening) done();
    else {
      server.once('listening', done);
      server.once('error', reject);
    }
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function startExpress(
  createApp: typeof express,
  wildcard: string,
  adapter: 'express' | 'express4',
  options: AppOptions,
  calls: UpstreamCall[],
  record: Record_,
): Promise<RunningApp> {
  const app = createApp();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('ok');
  });
  if (options.expressJson === true) app.use(createApp.json());
  app.use('/v1', expressGuard(options.guard));
  app.all(wildcard, async (req, res, next) => {
    try {
      const reply = await record({
        path: req.path,
        body: req.body,
        headers: lowerCaseHeaders(req.headers),
        guard: req.llmGuard,
      });
      res.status(reply.status ?? 200);
      for (const [name, value] of Object.entries(replyHeaders(reply))) res.setHeader(name, value);
      if (reply.sse === undefined) {
        res.end(JSON.stringify(reply.json ?? null));
        return;
      }
      res.flushHeaders();
      for await (const chunk of sseChunks(reply)) res.write(chunk);
      res.end();
    } catch (error) {
      next(error);
    }
  });
  const server = app.listen(0, '127.0.0.1');
  const url = await listening(server);
  return { adapter, url, calls, server, close: () => closeServer(server) };
}

async function startHono(options: AppOptions, calls: UpstreamCall[], record: Record_): Promise<RunningApp> {
  const app = new Hono<LlmGuardEnv>();
  app.get('/health', () => new Response('ok', { headers: { 'content-type': 'text/plain' } }));
  app.use('/v1/*', honoGuard(options.guard));
  app.all('/v1/*', async (c) => {
    const hasBody = c.var.llmGuard?.body !== undefined;
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const reply = await record({
      path: c.req.path,
      body: hasBody ? await c.req.json() : undefined,
      headers,
      guard: c.var.llmGuard,
    });
    const status = reply.status ?? 200;
    if (reply.sse === undefined) {
      return new Response(JSON.stringify(reply.json ?? null), { status, headers: replyHeaders(reply) });
    }
    const body = Readable.toWeb(Readable.from(sseChunks(reply))) as ReadableStream<Uint8Array>;
    return new Response(body, { status, headers: replyHeaders(reply) });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  const url = await listening(server);
  return { adapter: 'hono', url, calls, server, close: () => closeServer(server) };
}

async function startFastify(
  options: AppOptions,
  calls: UpstreamCall[],
  record: Record_,
): Promise<RunningApp> {
  const guard = options.guard ?? {};
  const maxBytes = ('handle' in guard ? undefined : guard.body?.maxBytes) ?? 1024 * 1024;
  // Fastify applies its own bodyLimit to the sanitized body the guard hands over.
  const app = Fastify({ logger: false, bodyLimit: Math.max(2 * maxBytes, 2 * 1024 * 1024) });
  app.get('/health', async (_request, reply) => {
    reply.type('text/plain');
    return 'ok';
  });
  await app.register(
    async (v1) => {
      await v1.register(fastifyGuard, guard);
      v1.all('/*', async (request, reply) => {
        const response = await record({
          path: request.url.split('?')[0]!,
          body: request.body ?? undefined,
          headers: lowerCaseHeaders(request.headers),
          guard: request.llmGuard ?? undefined,
        });
        reply.code(response.status ?? 200).headers(replyHeaders(response));
        if (response.sse === undefined) return reply.send(Buffer.from(JSON.stringify(response.json ?? null)));
        return reply.send(Readable.from(sseChunks(response), { objectMode: false }));
      });
    },
    { prefix: '/v1' },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await listening(app.server);
  return { adapter: 'fastify', url, calls, server: app.server, close: () => app.close() };
}
