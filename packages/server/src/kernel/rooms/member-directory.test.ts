import { describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { MemberDirectory } from './member-directory.js';

describe('MemberDirectory', () => {
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
});
