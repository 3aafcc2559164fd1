import type { ResponseBodyTransformer } from '@llmguard/core';

/**
 * Pipes a response body through the guard's transformer (or through unchanged with `null`). Each
 * upstream chunk is rewritten and released as soon as it arrives; `onDone` runs exactly once, with
 * `aborted` when the client cancelled or the upstream body failed.
 */
export function transformBody(
  body: ReadableStream<Uint8Array>,
  transformer: ResponseBodyTransformer | null,
  onDone: (aborted: boolean) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let settled = false;
  const settle = (aborted: boolean): void => {
    if (settled) return;
    settled = true;
    onDone(aborted);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller): Promise<void> {
      try {
        const next = await reader.read();
        // The client may have cancelled while the upstream was producing this chunk.
        if (settled) return;
        if (next.done) {
          const tail = transformer?.end();
          if (tail !== undefined && tail.byteLength > 0) controller.enqueue(tail);
          controller.close();
          settle(false);
          return;
        }
        const out = transformer === null ? next.value : transformer.write(next.value);
        if (out.byteLength > 0) controller.enqueue(out);
      } catch (error) {
        if (settled) return;
        settle(true);
        controller.error(error);
      }
    },
    async cancel(reason): Promise<void> {
      settle(true);
      await reader.cancel(reason);
    },
  });
}
