import { createLlmGuard } from '@llmguard/core';
import { startupText } from './banner.js';
import { startGateway } from './server.js';
import { upstreamsFromEnv } from './upstreams.js';

// Entry of `pnpm demo`: the gateway with the preset's defaults, on loopback unless HOST says otherwise.
const port = Number(process.env['PORT'] ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be an integer between 0 and 65535, got ${JSON.stringify(process.env['PORT'])}`);
  process.exit(1);
}
const host = process.env['HOST'] || '127.0.0.1';
// The preset with its defaults: every group that needs no configuration is on.
const guard = createLlmGuard({});
const upstreams = upstreamsFromEnv(process.env);

const gateway = await startGateway({ port, host, guard, upstreams }).catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`Could not listen on ${host}:${port}: ${reason}`);
  process.exit(1);
});
console.log(startupText(gateway.url, guard.guards, upstreams));

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal} received, closing the gateway…`);
  // Streams in flight get a few seconds to finish; then the process exits regardless.
  setTimeout(() => process.exit(0), 5_000).unref();
  void gateway.close().then(() => process.exit(0));
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
