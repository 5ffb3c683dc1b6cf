import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { StandingCache } from './standing-cache.js';

describe('StandingCache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads a room asked for late in its ttl again in the background, once; never uses a copy past its ttl; a forget wins', async () => {
    vi.useFakeTimers();
    const store = new MemoryStore();
    await store.createRoom({ id: 'r' });
    const reads = vi.spyOn(store, 'listStandings');
    const cache = new StandingCache(store, 1000);
    expect(await cache.of('r', 'u')).toBeUndefined();
    await store.setStanding('r', 'u', { role: 'moderator' });
    vi.advanceTimersByTime(400);
    expect(await cache.of('r', 'u')).toBeUndefined(); // first half: the copy, nothing read
    expect(reads).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(500);
    expect(await cache.of('r', 'u')).toBeUndefined(); // 900 ms, past the point drawn in the second half: the copy at once, one read begins
    expect(reads).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(0);
    vi.advanceTimersByTime(400); // 1,300 ms, past the first copy's ttl: the one read at 900 ms
    expect((await cache.of('r', 'u'))?.role).toBe('moderator');
    expect(reads).toHaveBeenCalledTimes(2);

    // A quiet room: past its ttl the copy is not used, the store is read (and waited for).
    await store.setStanding('r', 'u', { role: null, ban: {} });
    vi.advanceTimersByTime(1000); // 2,300 ms: the copy of 900 ms has expired
    expect((await cache.of('r', 'u'))?.ban).toEqual({});
    expect(reads).toHaveBeenCalledTimes(3);

    // A forget() while a background read is under way: that read is dropped.
    vi.advanceTimersByTime(950); // 3,250 ms: past 90 % of the copy of 2,300 ms
    let release: () => void = () => undefined;
    reads.mockImplementationOnce(async (id) => {
      await new Promise<void>((resolve) => (release = resolve));
      return store.listStandings(id);
    });
    expect((await cache.of('r', 'u'))?.ban).toEqual({});
    await store.setStanding('r', 'u', { ban: null });
    cache.forget('r');
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(await cache.of('r', 'u')).toBeUndefined();
  });
});
