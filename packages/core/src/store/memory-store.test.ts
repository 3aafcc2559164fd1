import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from './memory-store.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryStore', () => {
  it('stays within maxKeys, dropping the least recently used key', async () => {
    const store = new MemoryStore({ maxKeys: 3 });
    for (const k of ['a', 'b', 'c']) await store.set(k, k);
    await store.get('a'); // a is now more recent than b
    await store.set('d', 'd');
    expect(store.size).toBe(3);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('a');
    store.close();
  });

  it('sweeps expired keys on its timer, which never keeps the process alive', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const store = new MemoryStore({ sweepIntervalMs: 1000 });
    await store.add('counter', 1, { ttlMs: 500 });
    await store.set('record', 'v', 500);
    await store.set('forever', 'v');
    expect(store.size).toBe(3);
    vi.advanceTimersByTime(1000);
    expect(store.size).toBe(1);
    expect(await store.get('forever')).toBe('v');
    store.close();
  });

  it('decides synchronously through consumeSync, identical to consume', async () => {
    const store = new MemoryStore();
    const request = { algorithm: 'gcra' as const, limit: 2, windowMs: 1000 };
    expect(store.consumeSync('k', request).allowed).toBe(true);
    expect((await store.consume('k', request)).allowed).toBe(true);
    expect(store.consumeSync('k', request)).toMatchObject({ allowed: false, remaining: 0 });
    store.close();
  });

  it('treats a key reused with another kind as new instead of mixing states', async () => {
    const store = new MemoryStore();
    await store.set('k', 'text');
    expect((await store.add('k', 2, { ttlMs: 1000 })).value).toBe(2);
    expect(await store.get('k')).toBeUndefined();
    store.close();
  });
});
