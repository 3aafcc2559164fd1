/** What the adapter knows about the answer when the host handler starts it. */
export interface ResponseStart {
  readonly status: number;
  /** Lower-case header lookup of the answer's headers. */
  readonly header: (lowerCaseName: string) => string | undefined;
}

/**
 * Byte-level answer rewriter the adapter pipes the host's response body through. The adapter must
 * remove `Content-Length` (the length may change) and write whatever each call returns, at once.
 */
export interface ResponseBodyTransformer {
  write(chunk: Uint8Array): Uint8Array;
  end(): Uint8Array;
}
