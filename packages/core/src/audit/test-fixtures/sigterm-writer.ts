// Child process for the shutdown test: writes audit events in bursts until it gets a signal.
// argv: <dir> <mode: 'default' | 'host-handler'>
import { createAuditLog } from '../audit-log.js';

const [dir, mode] = process.argv.slice(2);
const log = createAuditLog({ key: 'shutdown-test-key-0123456789abcdef01234', destination: { dir: dir! } });
let i = 0;
let stopping = false;

if (mode === 'host-handler') {
  // A host that drains its server on SIGTERM: requests still finishing are audited, then it exits.
  process.on('SIGTERM', () => {
    stopping = true;
    for (let n = 0; n < 500; n++) log.emit('request', { requestId: `late-${n}`, i: i++ });
    setTimeout(() => process.exit(0), 20);
  });
}

function burst(): void {
  if (stopping) return;
  for (let n = 0; n < 2000; n++) log.emit('request', { requestId: `r${i}`, i: i++ });
  if (i === 2000) process.stdout.write('ready\n');
  setImmediate(burst);
}
burst();
