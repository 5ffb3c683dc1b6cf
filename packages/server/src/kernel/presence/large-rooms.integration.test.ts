import { describe, expect, it } from 'vitest';
import { ID_LIMITS, type Member, type PresenceDelta, type TypingEvent } from '@chat/protocol';
import { okData, rawSocket, request, sdkClient, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { waitFor } from '../../../../../test-support/wait.js';

const THRESHOLD = 5;

/** `n` raw sockets on `urls` (in turn), each joined to `roomId`. */
async function joinMany(urls: string[], roomId: string, n: number, from = 0): Promise<RawSocket[]> {
  const sockets: RawSocket[] = [];
  for (let i = from; i < from + n; i++) {
    const socket = await rawSocket(urls[i % urls.length] as string, { name: `Guest ${i}` });
    okData(await request(socket, 'room:join', { roomId }));
    sockets.push(socket);
  }
  return sockets;
}

/** Every member of the room, page by page of `limit`. */
async function allPages(socket: RawSocket, roomId: string, limit: number): Promise<{ members: Member[]; pages: number }> {
  const members: Member[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = okData(await request(socket, 'room:members', { roomId, limit, ...(after !== undefined && { after }) }));
    expect(page.members.length).toBeLessThanOrEqual(limit);
    members.push(...page.members);
    after = page.next;
    pages++;
  } while (after !== undefined);
  return { members, pages };
}

/** The count a raw socket last saw in presence deltas, by `countAt`. */
function countSeen(socket: RawSocket): { count: () => number | undefined; deltas: PresenceDelta[] } {
  let count: number | undefined;
  let at = Number.NEGATIVE_INFINITY;
  const deltas: PresenceDelta[] = [];
  socket.on('presence', (delta) => {
    deltas.push(delta);
    if (delta.count !== undefined && (delta.countAt ?? 0) >= at) {
      count = delta.count;
      at = delta.countAt ?? 0;
    }
  });
  return { count: () => count, deltas };
}

describe('large rooms on one process', () => {
  it('a small room answers as before: the whole list, its length as the count, deltas without a count', async () => {
    const { url } = await startChat({ largeRoomThreshold: THRESHOLD, presenceCoalesceMs: 10 });
    const watcher = await rawSocket(url, { name: 'Watcher' });
    const first = okData(await request(watcher, 'room:join', { roomId: 'small' }));
    expect(first).toMatchObject({ memberCount: 1 });
    expect(first).not.toHaveProperty('large');
    const seen = countSeen(watcher);
    await joinMany([url], 'small', THRESHOLD - 3);
    await waitFor(() =>
      expect(seen.deltas.flatMap((d) => d.joined.map((m) => m.name))).toEqual(expect.arrayContaining(['Guest 0', 'Guest 1'])),
    );
    expect(seen.deltas.every((d) => !('count' in d) && !('countAt' in d))).toBe(true);
    const late = await rawSocket(url, { name: 'Late' });
    const answer = okData(await request(late, 'room:join', { roomId: 'small' }));
    // One under the threshold, with the late joiner.
    expect([answer.members.length, answer.memberCount, answer.large, answer.membersNext]).toEqual([
      THRESHOLD - 1,
      THRESHOLD - 1,
      undefined,
      undefined,
    ]);
  });

  it('from the threshold, a join gets the exact count and a first page, and deltas carry the count', async () => {
    const { url } = await startChat({ largeRoomThreshold: THRESHOLD, presenceCoalesceMs: 10 });
    const watcher = await rawSocket(url, { name: 'Watcher' });
    okData(await request(watcher, 'room:join', { roomId: 'big' }));
    const seen = countSeen(watcher);
    await joinMany([url], 'big', 11);
    await waitFor(() => expect(seen.count()).toBe(12));
    for (const delta of seen.deltas)
      expect(delta.joined.length + delta.left.length + delta.updated.length).toBeLessThanOrEqual(ID_LIMITS.largeRoomDeltaMembers);

    const late = await rawSocket(url, { name: 'Late' });
    const answer = okData(await request(late, 'room:join', { roomId: 'big' }));
    expect(answer).toMatchObject({ large: true, memberCount: 13, memberCountAt: expect.any(Number) });
    // The first page is the default page (50): everyone here, and no next page.
    expect(answer.members).toHaveLength(13);
    expect(answer.membersNext).toBeUndefined();
    await waitFor(() => expect(seen.count()).toBe(13));
  });

  it('room:members pages the whole list: everyone once, the count exact', async () => {
    const { url } = await startChat({ largeRoomThreshold: THRESHOLD });
    const sockets = await joinMany([url], 'paged', 12);
    const { members, pages } = await allPages(sockets[0] as RawSocket, 'paged', 5);
    expect(pages).toBe(3);
    expect(new Set(members.map((m) => m.name))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => `Guest ${i}`)));
    const first = okData(await request(sockets[3] as RawSocket, 'room:members', { roomId: 'paged', limit: 2 }));
    expect(first).toMatchObject({ count: 12, next: expect.any(String) });
    // Someone leaves while another pages: the pages go on from where they were.
    sockets[0]?.disconnect();
    await waitFor(async () => expect(okData(await request(sockets[3] as RawSocket, 'room:members', { roomId: 'paged' })).count).toBe(11));
    const rest = await allPages(sockets[3] as RawSocket, 'paged', 4);
    expect(rest.members.map((m) => m.name)).not.toContain('Guest 0');
    expect(rest.members).toHaveLength(11);
  });

  it('refuses bad room:members requests with a sentence', async () => {
    const { url } = await startChat();
    const socket = await rawSocket(url, { name: 'Ana' });
    okData(await request(socket, 'room:join', { roomId: 'here' }));
    const outsider = await rawSocket(url, { name: 'Luis' });
    const cases = [
      [
        socket,
        { roomId: 'here', limit: ID_LIMITS.membersPage + 1 },
        'VALIDATION_FAILED',
        `limit must be at most ${ID_LIMITS.membersPage}.`,
      ],
      [socket, { roomId: 'here', limit: 0 }, 'VALIDATION_FAILED', 'limit must be at least 1.'],
      [socket, { roomId: 'here', after: 'not-a-cursor' }, 'VALIDATION_FAILED', 'after is not a cursor this server gave.'],
      [socket, { roomId: 'nowhere' }, 'ROOM_NOT_FOUND', 'There is no room "nowhere".'],
      [outsider, { roomId: 'here' }, 'NOT_IN_ROOM', 'Join this room first to see who is in it.'],
    ] as const;
    for (const [who, payload, code, message] of cases) {
      const answer = await request(who, 'room:members', payload as never);
      expect(answer).toEqual({ ok: false, error: expect.objectContaining({ code, message }) });
    }
  });

  it('the typing event names a few typists and counts the rest', async () => {
    const { url } = await startChat({ largeRoomThreshold: THRESHOLD });
    const watcher = await rawSocket(url, { name: 'Watcher' });
    okData(await request(watcher, 'room:join', { roomId: 'typing' }));
    const typists = await joinMany([url], 'typing', ID_LIMITS.typingUsers + 2);
    const events: TypingEvent[] = [];
    watcher.on('typing', (event) => events.push(event));
    for (const typist of typists) okData(await request(typist, 'typing', { roomId: 'typing', typing: true }));
    await waitFor(() => expect(events.at(-1)?.count).toBe(ID_LIMITS.typingUsers + 2));
    expect(events.at(-1)?.users).toHaveLength(ID_LIMITS.typingUsers);
    // Up to the cap the event is as it was: everyone, no count.
    expect(events.slice(0, ID_LIMITS.typingUsers).every((e) => e.count === undefined)).toBe(true);
    expect(events.every((e) => e.users.length <= ID_LIMITS.typingUsers)).toBe(true);
  });

  it('past a few typists, a burst of starts and stops reaches the others as a few events, the last one right', async () => {
    const { url } = await startChat({ largeRoomThreshold: THRESHOLD });
    const watcher = await rawSocket(url, { name: 'Watcher' });
    okData(await request(watcher, 'room:join', { roomId: 'burst' }));
    const typists = await joinMany([url], 'burst', 12);
    const events: TypingEvent[] = [];
    watcher.on('typing', (event) => events.push(event));
    // All twelve start, then four stop: 16 changes of the list.
    await Promise.all(typists.map((typist) => request(typist, 'typing', { roomId: 'burst', typing: true })));
    await Promise.all(typists.slice(0, 4).map((typist) => request(typist, 'typing', { roomId: 'burst', typing: false })));
    await waitFor(() => expect(events.at(-1)?.count).toBe(8));
    // One event per change up to the cap, then the crowd's, held to one a second: far fewer than 16.
    expect(events.length).toBeLessThanOrEqual(ID_LIMITS.typingUsers + 3);
    expect(events.at(-1)?.users).toHaveLength(ID_LIMITS.typingUsers);
  });

  it('the SDK keeps memberCount live, pages a large room and reads the whole list when it is small again', async () => {
    const { url } = await startChat({ largeRoomThreshold: THRESHOLD, presenceCoalesceMs: 10 });
    const sockets = await joinMany([url], 'sdk', 7);
    const room = await sdkClient(url, { auth: { name: 'Reader' } }).join('sdk');
    expect([room.isLarge, room.memberCount, room.members.length, room.hasMoreMembers]).toEqual([true, 8, 8, false]);

    const more = await joinMany([url], 'sdk', 4, 7);
    await waitFor(() => expect(room.memberCount).toBe(12));
    const names = new Set<string>();
    for await (const page of room.memberPages(5)) for (const m of page) names.add(m.name);
    expect(names.size).toBe(12);
    expect(room.members).toHaveLength(12);

    // Below the threshold again: the list is whole once more, and kept by deltas.
    for (const socket of [...sockets, ...more].slice(0, 9)) socket.disconnect();
    await waitFor(() =>
      expect([room.isLarge, room.memberCount, room.members.map((m) => m.name).sort()]).toEqual([
        false,
        3,
        ['Guest 10', 'Guest 9', 'Reader'],
      ]),
    );
  });

  it('the SDK loads the next pages of a large room with loadMembers', async () => {
    const { url } = await startChat({ largeRoomThreshold: THRESHOLD });
    await joinMany([url], 'loads', ID_LIMITS.membersPageDefault + 5);
    const room = await sdkClient(url, { auth: { name: 'Reader' } }).join('loads');
    expect([room.isLarge, room.memberCount, room.members.length, room.hasMoreMembers]).toEqual([true, 56, 50, true]);
    const added = await room.loadMembers();
    expect(added).toHaveLength(6);
    expect([room.members.length, room.hasMoreMembers]).toEqual([56, false]);
    expect(await room.loadMembers()).toEqual([]);
  });

  it('the SDK counts typists past the few it names', async () => {
    const { url } = await startChat();
    const room = await sdkClient(url, { auth: { name: 'Reader' } }).join('sdk-typing');
    const typists = await joinMany([url], 'sdk-typing', ID_LIMITS.typingUsers + 1);
    for (const typist of typists) okData(await request(typist, 'typing', { roomId: 'sdk-typing', typing: true }));
    await waitFor(() => expect([room.typingUsers.length, room.typingCount]).toEqual([ID_LIMITS.typingUsers, ID_LIMITS.typingUsers + 1]));
  });
});

eachRedis('large rooms', (redis) => {
  it('counts exactly across processes, pages everyone, and every watcher ends with the right count', async () => {
    const [a, b] = await startClusterChats(2, { largeRoomThreshold: THRESHOLD, presenceCoalesceMs: 10 }, redis());
    const urls = [a?.url as string, b?.url as string];
    const watchers = [await rawSocket(urls[0] as string, { name: 'Watcher A' }), await rawSocket(urls[1] as string, { name: 'Watcher B' })];
    for (const w of watchers) okData(await request(w, 'room:join', { roomId: 'cluster' }));
    const seen = watchers.map(countSeen);
    const sockets = await joinMany(urls, 'cluster', 14);
    for (const s of seen) await waitFor(() => expect(s.count()).toBe(16));

    const late = await rawSocket(urls[1] as string, { name: 'Late' });
    const answer = okData(await request(late, 'room:join', { roomId: 'cluster' }));
    expect(answer).toMatchObject({ large: true, memberCount: 17 });
    const { members } = await allPages(late, 'cluster', 3);
    // Everyone (the 17th join grows Redis's hash: a page cut in the middle of a batch that is being
    // rehashed missed someone when its entries were taken by position); as with SCAN, a rehash that
    // ends between two pages may repeat someone (docs/protocol.md).
    expect(new Set(members.map((m) => m.name)).size).toBe(17);
    expect(members.length).toBeGreaterThanOrEqual(17);

    for (const socket of sockets.slice(0, 4)) socket.disconnect();
    for (const s of seen) await waitFor(() => expect(s.count()).toBe(13));
    for (const s of seen)
      for (const delta of s.deltas)
        expect(delta.joined.length + delta.left.length + delta.updated.length).toBeLessThanOrEqual(ID_LIMITS.largeRoomDeltaMembers);

    // The SDK on either process sees the same count.
    const room = await sdkClient(urls[0] as string, { auth: { name: 'Reader' } }).join('cluster');
    expect(room.memberCount).toBe(14);
    await waitFor(() => expect(room.memberCount).toBe(14));
  });

  it('the typing cap holds across processes', async () => {
    const [a, b] = await startClusterChats(2, {}, redis());
    const urls = [a?.url as string, b?.url as string];
    const watcher = await rawSocket(urls[0] as string, { name: 'Watcher' });
    okData(await request(watcher, 'room:join', { roomId: 'cluster-typing' }));
    const typists = await joinMany(urls, 'cluster-typing', ID_LIMITS.typingUsers + 2);
    const events: TypingEvent[] = [];
    watcher.on('typing', (event) => events.push(event));
    for (const typist of typists) okData(await request(typist, 'typing', { roomId: 'cluster-typing', typing: true }));
    // Each process publishes the list it read back: the last of them counts everyone.
    await waitFor(() => expect(events.map((e) => e.count)).toContain(ID_LIMITS.typingUsers + 2));
    expect(events.every((e) => e.users.length <= ID_LIMITS.typingUsers)).toBe(true);
  });
});
