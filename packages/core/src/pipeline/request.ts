import type { HeaderLookup } from '../context/guard-context.js';

/** The request body as the adapter has it. */
export type RequestBody =
  /** No body (GET, HEAD, or an empty body). */
  | { readonly kind: 'none' }
  /** Unread raw bytes; the core reads them with its byte cap. */
  | {
      readonly kind: 'stream';
      readonly stream: AsyncIterable<Uint8Array>;
      /**
       * The runtime knows a body is present whatever the framing headers say (a Web `Request`
       * whose `body` is not null, e.g. one built in-process). Default false: RFC 9112 §6.3 decides.
       */
      readonly present?: boolean;
      /**
       * The stream fails or ends by itself when the client goes away (`nodeBodyStream` does), so the
       * body reader need not also listen to `signal`. Default false.
       */
      readonly failsOnDisconnect?: boolean;
    }
  /** The framework already read the raw bytes. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /** The framework already parsed JSON (e.g. `express.json()` ran first). */
  | { readonly kind: 'parsed'; readonly value: unknown };

/** Framework-neutral view of an incoming request, built by an adapter. */
export interface GuardRequest {
  readonly method: string;
  /** Request target as received: path and query. */
  readonly url: string;
  readonly header: HeaderLookup;
  /** The framework's trusted client address (Express `req.ip`, Fastify `request.ip`). */
  readonly clientIp: string | undefined;
  /** The socket's peer address, used with `trustedProxies`. */
  readonly remoteAddress: string | undefined;
  readonly body: RequestBody;
  /** Aborts when the client disconnects. */
  readonly signal?: AbortSignal;
}
