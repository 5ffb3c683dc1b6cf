import { describe, expect, it, vi } from 'vitest';
import { builtInError, type Member, type PresenceDelta, type RoomJoinResult } from '@chat/protocol';
import type { PresenceChange } from '../core/room-types.js';
import { RoomState } from '../core/room-state.js';
import type { RequestEvent, ServerLink } from '../core/transport.js';
import { RoomReads } from './read-state.js';
import { RoomMembers } from './room-members.js';
import { RoomSync } from './room-sync.js';

// The members of a room whose join answer is held while presence deltas come (the order a real
// server may send them in; join-answer-race.integration.test.ts has it against a real one), and
// the hold across overlapping re-joins (room-sync.ts `_afterJoin`, `#joinsUnderWay`): cases that
// lost a member (found in review; each failed before its fix).

const member = (id: string): Member => ({ id, name: id, status: 'online', joinedAt: '' });
const me = member('me');

/** A join answer listing `page` of `count` members; with `at` (when its count was read), a large room's. */
function answerOf(page: Member[], count = page.length, at?: number): RoomJoinResult {
  return {
    room: { id: 'r', options: {}, createdAt: '' },
    self: me,
    members: page,
    memberCount: count,
    ...(at !== undefined && { large: true, memberCountAt: at, membersNext: 'next' }),
    messages: [],
    hasMore: false,
    epoch: 'e1',
    rev: 0,
    readSeq: 0,
    reads: [],
    calls: [],
    commands: [],
  };
}

const delta = (change: Partial<PresenceDelta>): PresenceDelta => ({ roomId: 'r', joined: [], left: [], updated: [], ...change });

/** A room over a fake server: each `room:join` waits until the test settles it (`joins[i]`). */
function room() {
  const joins: { resolve: (r: RoomJoinResult) => void; reject: (e: unknown) => void }[] = [];
  const link: ServerLink & { socketId: string | undefined } = {
    connected: true,
    socketId: 's1',
    request: (event: RequestEvent) =>
      (event === 'room:join' ? new Promise((resolve, reject) => joins.push({ resolve, reject })) : Promise.resolve({})) as never,
  };
  // Each presence event told, with the room's state then (the widget is quiet while it syncs).
  const told: { left: string[]; state: RoomState }[] = [];
  const emitter = {
    emit: (event: string, change?: unknown) => {
      if (event === 'presence') told.push({ left: (change as PresenceChange).left.map((m) => m.id), state: sync.state });
      return true;
    },
  };
  const reads = new RoomReads(
    () => Promise.resolve(0),
    () => undefined,
  );
  const sync: RoomSync = new RoomSync('r', {
    link,
    emitter,
    joined: (result, wasIn) => members.joined(result, wasIn),
    added: () => undefined,
    synced: () => undefined,
  });
  const members = new RoomMembers(link, sync, reads, emitter);
  return { link, sync, members, joins, told };
}

const ids = (members: RoomMembers) => members.list.map((m) => m.id).sort();

/** A room's members whose first join waits for `answer(result)`. */
function joining() {
  const r = room();
  const joined = r.sync.join();
  return { ...r, answer: (result: RoomJoinResult) => (r.joins[0]?.resolve(result), joined) };
}

/** A room joined once (`me` and `a` here), for the re-joins that follow. */
async function joinedRoom() {
  const r = joining();
  await r.answer(answerOf([me, member('a')]));
  return r;
}

describe('presence deltas held while a join is under way', () => {
  it("a large room's delta older than the answer is skipped (its count and page have it); a newer one is applied", async () => {
    const room = joining();
    // Read before the answer's count (10): `early` is in the answer's count, past its page.
    room.members.receive(delta({ joined: [member('early')], count: 51, countAt: 9 }));
    // Read after it: `late` came after the answer was read.
    room.members.receive(delta({ joined: [member('late')], count: 53, countAt: 11 }));
    await room.answer(answerOf([me, member('a')], 52, 10));
    expect(room.members.list.map((m) => m.id)).toEqual(['me', 'a', 'late']);
    expect(room.members._occupancy.count).toBe(53);
  });

  it('your own arrival, told before or after an answer that did not list you, does not list you; others are listed', async () => {
    const room = joining();
    room.members.receive(delta({ joined: [{ ...me, statusText: 'here' }, member('b')], count: 53, countAt: 11 }));
    await room.answer(answerOf([member('a')], 52, 10));
    expect(room.members.list.map((m) => m.id)).toEqual(['a', 'b']);
    expect(room.sync.self?.statusText).toBe('here');
    // Another tab of yours joins: you are here already.
    room.members.receive(delta({ joined: [me], count: 53, countAt: 12 }));
    expect(room.members.list.map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('in a small room (no count to order by) held deltas are applied in order after the answer', async () => {
    const room = joining();
    room.members.receive(delta({ joined: [member('b')] }));
    room.members.receive(delta({ left: ['a'] }));
    await room.answer(answerOf([me, member('a')], 2));
    expect(room.members.list.map((m) => m.id)).toEqual(['me', 'b']);
    expect(room.members._occupancy.count).toBe(2);
  });
});

describe('presence held during a join', () => {
  it("a small room: your own `left` from before a re-join, then your `joined`, leaves you listed (the docs' 'until that later delta comes')", async () => {
    const r = await joinedRoom();
    // Reconnect: the old socket's removal is told (left: me) while the re-join is under way;
    // the answer (read after the new socket was added) lists you; then the re-add is told.
    const again = r.sync.join();
    await Promise.resolve();
    r.members.receive(delta({ left: ['me'] }));
    r.joins[1]?.resolve(answerOf([me, member('a')]));
    await again;
    r.members.receive(delta({ joined: [me] }));
    expect(ids(r.members)).toEqual(['a', 'me']);
  });

  it('a re-join that gives up (its connection changed during a RATE_LIMITED wait) does not drop the deltas held for the next re-join', async () => {
    vi.useFakeTimers();
    try {
      const r = await joinedRoom();
      // Re-join A (connection s1) is told to wait 100 ms.
      const a = r.sync.join().catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(0);
      r.joins[1]?.reject(builtInError('RATE_LIMITED', 'slow down', { retryAfter: 100 }));
      await vi.advanceTimersByTimeAsync(0);
      // Meanwhile the connection drops and comes back (s2): the client starts re-join B.
      r.link.socketId = 's2';
      const b = r.sync.join();
      await vi.advanceTimersByTimeAsync(0);
      // `x` comes after B's answer was read (it reaches the socket before that answer): held.
      r.members.receive(delta({ joined: [member('x')] }));
      // A wakes, sees another connection and gives up.
      await vi.advanceTimersByTimeAsync(150);
      expect(await a).toBeInstanceOf(Error);
      r.joins[2]?.resolve(answerOf([me, member('a')]));
      await b;
      expect(ids(r.members)).toEqual(['a', 'me', 'x']);
    } finally {
      vi.useRealTimers();
    }
  });
  it('a re-join that ends while a newer one is under way leaves the held deltas to the newer one too', async () => {
    const r = await joinedRoom();
    // Re-join A waits; the connection comes back as s2 and re-join B starts beside it.
    const a = r.sync.join();
    await Promise.resolve();
    r.link.socketId = 's2';
    const b = r.sync.join();
    await Promise.resolve();
    // `x` arrives while both are under way: held.
    r.members.receive(delta({ joined: [member('x')] }));
    r.joins[1]?.resolve(answerOf([me, member('a')]));
    await a;
    expect(ids(r.members)).toEqual(['a', 'me', 'x']);
    // The room still syncs: B, the newer, says when it is joined.
    expect(r.sync.state).toBe(RoomState.SYNCING);
    // B's answer was read before `x` came: it would replace the list without it.
    r.told.length = 0;
    r.joins[2]?.resolve(answerOf([me, member('a')]));
    await b;
    expect(ids(r.members)).toEqual(['a', 'me', 'x']);
    expect(r.sync.state).toBe(RoomState.JOINED);
    // x never left: told so only as resync (the widget says nothing then), not as news.
    expect(r.told.filter((t) => t.left.includes('x')).map((t) => t.state)).not.toContain(RoomState.JOINED);
  });

  it('a re-join that gives up after an earlier one ended leaves the room joined', async () => {
    const r = await joinedRoom();
    const a = r.sync.join();
    await Promise.resolve();
    const b = r.sync.join().catch((error: unknown) => error);
    await Promise.resolve();
    r.joins[1]?.resolve(answerOf([me, member('a'), member('y')]));
    await a;
    expect(r.sync.state).toBe(RoomState.SYNCING);
    r.joins[2]?.reject(new Error('gone'));
    expect(await b).toBeInstanceOf(Error);
    expect(r.sync.state).toBe(RoomState.JOINED);
    expect(ids(r.members)).toEqual(['a', 'me', 'y']);
  });
});
