import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { MemberDirectory } from './member-directory.js';

describe('MemberDirectory', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shares one read among the messages that miss a room together; a join or forget() during it makes the next one read again', async () => {
    const store = new MemoryStore();
    await store.createRoom({ id: 'r' });
    await store.addMembers('r', [{ id: 'a', name: 'A' }]);
    const reads = vi.spyOn(store, 'listMembers');
    const directory = new MemberDirectory(store);
    const ids = async () => (await directory.small('r'))?.map((m) => m.user.id);
    expect(await Promise.all([ids(), ids(), ids()])).toEqual([['a'], ['a'], ['a']]);
    expect(reads).toHaveBeenCalledTimes(1);

    directory.forget('r');
    const early = ids(); // begun before b joins
    await store.addMembers('r', [{ id: 'b', name: 'B' }]);
    directory.joined('r', 'b');
    expect(await ids()).toEqual(['a', 'b']);
    expect(await early).toEqual(['a']);
    expect(reads).toHaveBeenCalledTimes(3);
  });

  it('keeps no list read before a join or forget() that lands after it, whichever read answers first', async () => {
    vi.useFakeTimers();
    const store = new MemoryStore();
    await store.createRoom({ id: 'r' });
    await store.addMembers('r', [{ id: 'a', name: 'A' }]);
    const directory = new MemberDirectory(store, 10_000);
    const reads = vi.spyOn(store, 'listMembers');
    let release: () => void = () => undefined;
    reads.mockImplementationOnce(async (id) => {
      const before = await store.listMembers(id); // the list as it was when the read began
      await new Promise<void>((resolve) => (release = resolve));
      return before;
    });
    const ids = async () => (await directory.small('r'))?.map((m) => m.user.id);
    const early = ids();
    await vi.advanceTimersByTimeAsync(0);
    await store.addMembers('r', [{ id: 'b', name: 'B' }]);
    directory.joined('r', 'b');
    expect(await ids()).toEqual(['a', 'b']); // the later read answers first
    release();
    expect(await early).toEqual(['a']); // the early one last: its list is not kept
    vi.advanceTimersByTime(9_000);
    expect(await ids()).toEqual(['a', 'b']);
    expect(reads).toHaveBeenCalledTimes(3); // early (and its inner read), the one after the join; none within the ttl
  });
});
