// Child process for the slow-reader test: audits `count` events to stdout, then closes the log.
// argv: <count>
import { createAuditLog } from '../audit-log.js';

const count = Number(process.argv[2]);
const log = createAuditLog({
  key: 'stdout-test-key-0123456789abcdef0123456',
  destination: 'stdout',
  maxBufferBytes: 64 * 1024,
});
let i = 0;
function burst(): void {
  for (let n = 0; n < 1000 && i < count; n++) log.emit('request', { requestId: `r${i}`, i: i++ });
  if (i < count) setImmediate(burst);
  else {
    void log.close().then(() => process.stderr.write(JSON.stringify(log.stats()) + '\n'));
  }
}
burst();
