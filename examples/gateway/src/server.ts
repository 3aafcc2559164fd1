import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createGatewayApp, type GatewayOptions } from './app.js';

/** Options of {@link startGateway}: the app's options plus where to listen. */
export interface StartGatewayOptions extends GatewayOptions {
  /** TCP port; `0` picks a free one. Default 8787. */
  readonly port?: number;
  /** Interface to bind. Default `'127.0.0.1'` (loopback only). */
  readonly host?: string;
}

/** A listening gateway. */
export interface RunningGateway {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, ends idle keep-alive sockets and resolves once all are closed. */
  close(): Promise<void>;
}

/**
 * Starts the gateway on Node's HTTP server.
 *
 * @example
 * const gateway = await startGateway({ port: 0 });
 * console.log(gateway.url); // http://127.0.0.1:54321
 * await gateway.close();
 */
export function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const { port = 8787, host = '127.0.0.1', ...appOptions } = options;
  const app = createGatewayApp(appOptions);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      server.off('error', reject);
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets would hold close() open until they time out.
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
