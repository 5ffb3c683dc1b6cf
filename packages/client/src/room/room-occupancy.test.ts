import { describe, expect, it, vi } from 'vitest';
import type { Member, RoomJoinResult } from '@chat/protocol';
import type { ServerLink } from '../core/transport.js';
import { RoomOccupancy } from './room-occupancy.js';

// A large room's paging of its members is loaded by its first page (member-pages.ts): what the
// room does before and after is as when it was part of the room.

const member = (id: string): Member => ({ id, name: id, status: 'online', joinedAt: '' });

/** A large room of `ids` joined with its first page `first`, over a fake server paging the rest two by two. */
function largeRoom(ids: string[], first: number) {
  const request = vi.fn((_event: string, payload: { after?: string; limit: number }) => {
    const from = payload.after === undefined ? 0 : Number(payload.after);
    const to = Math.min(ids.length, from + 2);
    const members = ids.slice(from, to).map(member);
    return Promise.resolve({ members, count: ids.length, ...(to < ids.length && { next: String(to) }) });
  });
  const link = { request, connected: true, socketId: 's' } as unknown as ServerLink;
  const members = new Map<string, Member>();
  const occupancy = new RoomOccupancy(link, 'r', members, () => undefined);
  for (const id of ids.slice(0, first)) members.set(id, member(id));
  const answer = { members: ids.slice(0, first).map(member), large: true, memberCount: ids.length, membersNext: String(first) };
  occupancy.joined(answer as unknown as RoomJoinResult);
  return { occupancy, members, request };
}

describe("a large room's pages of members, loaded with the first", () => {
  it('reads the next page into the list, once for two asks at a time, until there is no more', async () => {
    const { occupancy, members, request } = largeRoom(['a', 'b', 'c', 'd', 'e'], 2);
    expect(occupancy.hasMore).toBe(true);
    const [first, second] = await Promise.all([occupancy._loadMore(2), occupancy._loadMore(2)]);
    expect(first.map((m) => m.id)).toEqual(['c', 'd']);
    expect(second).toEqual(first);
    expect(request).toHaveBeenCalledTimes(1);
    expect((await occupancy._loadMore(2)).map((m) => m.id)).toEqual(['e']);
    expect(occupancy.hasMore).toBe(false);
    expect(await occupancy._loadMore(2)).toEqual([]);
    expect([...members.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(occupancy.count).toBe(5);
  });

  it('pages the whole list from the start on its own cursor, and reads it whole again when asked', async () => {
    const { occupancy, members } = largeRoom(['a', 'b', 'c'], 1);
    const pages: string[][] = [];
    for await (const page of occupancy.pages(2)) pages.push(page.map((m) => m.id));
    expect(pages).toEqual([['a', 'b'], ['c']]);
    expect(occupancy.hasMore).toBe(true);
    members.set('gone', member('gone'));
    expect(await occupancy.loadAll()).toEqual([]);
    expect([...members.keys()].sort()).toEqual(['a', 'b', 'c']);
  });
});
