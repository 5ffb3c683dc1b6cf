import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { RoomCache } from './room-cache.js';

describe('RoomCache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the store once per ttl, again after forget() or expiry, and never caches a missing room', async () => {
    vi.useFakeTimers();
    const store = new MemoryStore();
    const reads = vi.spyOn(store, 'getRoom');
    const cache = new RoomCache(store, 1000);
    expect(await cache.get('r')).toBeNull();
    await store.createRoom({ id: 'r', title: 'a' });
    expect((await cache.get('r'))?.title).toBe('a');
    await store.updateRoom('r', { title: 'b' });
    expect((await cache.get('r'))?.title).toBe('a'); // within the ttl
    cache.forget('r');
    expect((await cache.get('r'))?.title).toBe('b');
    await store.updateRoom('r', { title: 'c' });
    vi.advanceTimersByTime(1001);
    expect((await cache.get('r'))?.title).toBe('c');
    expect(reads).toHaveBeenCalledTimes(4); // null, a, b (after forget), c (after expiry); the read within the ttl was cached
  });
});
