import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { RoomCache, ROOM_CACHE_MS } from './room-cache.js';

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

  it('reads a room asked for late in its ttl again in the background, once: no get waits, and a forget wins over that read', async () => {
    vi.useFakeTimers();
    const store = new MemoryStore();
    await store.createRoom({ id: 'r', title: 'a' });
    const reads = vi.spyOn(store, 'getRoom');
    const cache = new RoomCache(store, 1000);
    expect((await cache.get('r'))?.title).toBe('a');
    await store.updateRoom('r', { title: 'b' });
    vi.advanceTimersByTime(400);
    expect(cache.peek('r')?.title).toBe('a'); // first half: nothing read
    expect(reads).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(500);
    expect(cache.peek('r')?.title).toBe('a'); // 900 ms, past the point of the second half drawn for it: the copy at once, and one read begins
    expect((await cache.get('r'))?.title).toBe('a');
    expect(reads).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(0);
    // Past the first copy's ttl: the copy read at 900 ms, kept until 1,900 ms (read again from 1,400 ms at the earliest), without a wait.
    vi.advanceTimersByTime(400);
    expect(cache.peek('r')?.title).toBe('b');
    expect(reads).toHaveBeenCalledTimes(2);

    // A forget() while a background read is under way: that read is dropped, the next get reads again.
    vi.advanceTimersByTime(550); // 1,850 ms: past 90 % of the copy of 900 ms
    let release: () => void = () => undefined;
    reads.mockImplementationOnce(async (id) => {
      await new Promise<void>((resolve) => (release = resolve));
      return store.getRoom(id);
    });
    expect(cache.peek('r')?.title).toBe('b');
    await store.updateRoom('r', { title: 'c' });
    cache.forget('r');
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(cache.peek('r')).toBeUndefined();
    expect((await cache.get('r'))?.title).toBe('c');
  });

  it('with the default ttl, a busy room is read again once in nine seconds, a second before its copy expires', async () => {
    vi.useFakeTimers();
    const store = new MemoryStore();
    await store.createRoom({ id: 'r', title: 'a' });
    const reads = vi.spyOn(store, 'getRoom');
    const cache = new RoomCache(store, ROOM_CACHE_MS);
    expect(ROOM_CACHE_MS).toBe(10_000);
    await cache.get('r');
    // Used every 100 ms for 8.9 s: the first copy all along, no read.
    for (let t = 0; t < 89; t++) {
      vi.advanceTimersByTime(100);
      expect(cache.peek('r')?.title).toBe('a');
    }
    expect(reads).toHaveBeenCalledTimes(1);
    await store.updateRoom('r', { title: 'b' });
    vi.advanceTimersByTime(100); // 9 s: one read in the background, the copy meanwhile
    expect(cache.peek('r')?.title).toBe('a');
    expect(cache.peek('r')?.title).toBe('a');
    expect(reads).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(cache.peek('r')?.title).toBe('b');
  });

  it('shares one read among the gets that miss together, and keeps none begun before a forget()', async () => {
    const store = new MemoryStore();
    await store.createRoom({ id: 'r', title: 'a' });
    const reads = vi.spyOn(store, 'getRoom');
    const cache = new RoomCache(store, 1000);
    const rooms = await Promise.all(Array.from({ length: 5 }, () => cache.get('r')));
    expect(rooms.map((room) => room?.title)).toEqual(['a', 'a', 'a', 'a', 'a']);
    expect(reads).toHaveBeenCalledTimes(1);

    cache.forget('r');
    const early = cache.get('r'); // begun before the update and the forget() that comes with it
    await store.updateRoom('r', { title: 'b' });
    cache.forget('r');
    expect((await early)?.title).toBe('a');
    expect(cache.peek('r')).toBeUndefined();
    expect((await cache.get('r'))?.title).toBe('b');
    expect(reads).toHaveBeenCalledTimes(3);
  });
});
