/** What the process hooks need from an audit log. */
export interface ShutdownTarget {
  /** Seals the closing record and writes everything, synchronously where the destination allows. */
  closeSync(): void;
  /** Writes everything queued so far, synchronously where the destination allows. */
  flushSync(): void;
  /** Async close for destinations that cannot be written synchronously (streams). */
  close(): Promise<void>;
  readonly needsAsyncClose: boolean;
}

const targets = new Set<WeakRef<ShutdownTarget>>();
let installed = false;
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

function live(): ShutdownTarget[] {
  const out: ShutdownTarget[] = [];
  for (const ref of targets) {
    const target = ref.deref();
    if (target === undefined) targets.delete(ref);
    else out.push(target);
  }
  return out;
}

function onExit(): void {
  for (const target of live()) target.closeSync();
}

function onSignal(signal: NodeJS.Signals): void {
  const others = process.listenerCount(signal) - 1;
  if (others > 0) {
    // The host handles shutdown (e.g. drains its server first): write what we have now and keep
    // the log open for the requests still finishing; the `exit` hook writes the closing record.
    for (const target of live()) target.flushSync();
    return;
  }
  // We are the only listener, so the process would have died: close every log, then restore the
  // default action and re-raise the signal so the exit status stays what the sender expects.
  const pending: Promise<void>[] = [];
  for (const target of live()) {
    if (target.needsAsyncClose) pending.push(target.close().catch(() => {}));
    else target.closeSync();
  }
  const reraise = (): void => {
    uninstall();
    process.kill(process.pid, signal);
  };
  if (pending.length === 0) reraise();
  else void Promise.all(pending).then(reraise);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * Registers a log so SIGTERM, SIGINT and process exit flush it. One set of process listeners is
 * shared by every log; a log that is garbage-collected or closed drops out.
 */
export function registerShutdownFlush(target: ShutdownTarget): () => void {
  const ref = new WeakRef(target);
  targets.add(ref);
  install();
  return () => {
    targets.delete(ref);
    if (targets.size === 0) uninstall();
  };
}
