import { describe, expect, it } from 'vitest';
import type { Message, PublicRoom, RoomSummary } from '@chat/protocol';
import { ConversationList, type JoinedRoomView } from './conversation-list.js';
import { mentionsAfter } from '../room/read-state.js';

const room = (id: string): PublicRoom => ({ id, options: {}, createdAt: '2025-01-01T00:00:00.000Z' });

function message(roomId: string, seq: number, extra: Partial<Message> = {}): Message {
  return {
    id: `${roomId}-${seq}`,
    roomId,
    seq,
    clientId: `c${seq}`,
    user: { id: 'luis', name: 'Luis' },
    text: `#${seq}`,
    attachments: [],
    createdAt: new Date(seq * 1000).toISOString(),
    rev: 0,
    ...extra,
  };
}

function summary(id: string, lastSeq: number, readSeq: number, mentions = 0): RoomSummary {
  const s: RoomSummary = { room: room(id), unread: lastSeq - readSeq, mentions, readSeq, notifications: 'all' };
  if (lastSeq > 0) s.lastMessage = message(id, lastSeq);
  return s;
}

/** A joined room as the list sees it: the loaded messages (from `oldest`), the mark. */
class FakeRoom implements JoinedRoomView {
  messages: Message[] = [];
  readSeq = 0;
  hasMoreHistory = false;
  threadUnread = 0;
  constructor(readonly room: PublicRoom) {}
  get lastMessage(): Message | undefined {
    return this.messages.at(-1);
  }
  // The loaded messages after the mark, and by seqs those older ones not loaded.
  _unreadAfter(seq: number): number {
    const oldest = this.messages[0]?.seq ?? seq + 1;
    const older = this.hasMoreHistory && oldest > seq + 1 ? oldest - 1 - seq : 0;
    return this.messages.filter((m) => m.seq > seq).length + older;
  }
  _mentionsAfter(seq: number): number | undefined {
    const oldest = this.messages[0]?.seq;
    if (oldest !== undefined && oldest > seq + 1 && this.hasMoreHistory) return undefined;
    return mentionsAfter(this.messages, seq, 'ana');
  }
}

function setup(server: RoomSummary[]) {
  const joined = new Map<string, FakeRoom>();
  const emitted: RoomSummary[][] = [];
  const readElsewhere: Array<[string, number]> = [];
  let fetches = 0;
  let rows = server;
  const answers: Array<() => void> = [];
  let hold = false;
  const list = new ConversationList({
    fetch: () => {
      fetches++;
      const snapshot = rows;
      if (!hold) return Promise.resolve(snapshot);
      return new Promise((resolve) => answers.push(() => resolve(snapshot)));
    },
    joined: (id) => joined.get(id),
    _joinedIds: () => [...joined.keys()],
    _readElsewhere: (id, seq) => readElsewhere.push([id, seq]),
    changed: (l) => emitted.push(l),
    failed: (e) => {
      throw e;
    },
  });
  return {
    list,
    joined,
    emitted,
    readElsewhere,
    fetches: () => fetches,
    setRows: (r: RoomSummary[]) => (rows = r),
    holdFetches: () => (hold = true),
    answerNext: () => answers.shift()?.(),
  };
}

const ids = (l: RoomSummary[] | undefined) => l?.map((s) => `${s.room.id}:${s.unread}/${s.mentions}`);
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('ConversationList', () => {
  it('keeps nothing and emits nothing before the first load', () => {
    const t = setup([summary('a', 3, 1)]);
    t.list.activity({ roomId: 'a', unread: 5, readSeq: 1, mentions: 0, lastMessage: message('a', 6) });
    expect(t.list.list).toBeUndefined();
    expect(t.emitted).toEqual([]);
  });

  it('room:activity updates the counts and moves the room to the top', async () => {
    const t = setup([summary('a', 5, 5), summary('b', 3, 1, 1)]);
    expect(ids(await t.list.load())).toEqual(['a:0/0', 'b:2/1']);
    t.list.activity({ roomId: 'b', unread: 3, readSeq: 1, mentions: 2, lastMessage: message('b', 4, { mentions: ['ana'] }) });
    expect(ids(t.list.list)).toEqual(['b:3/2', 'a:0/0']);
    expect(t.list.list?.[0]?.readSeq).toBe(1);
    // A read elsewhere: the same last message, fewer unread: stays where it is.
    t.list.activity({ roomId: 'b', unread: 0, readSeq: 4, mentions: 0, lastMessage: message('b', 4) });
    expect(ids(t.list.list)).toEqual(['b:0/0', 'a:0/0']);
    expect(t.list.list?.[0]?.readSeq).toBe(4);
    expect(t.emitted).toHaveLength(3);
  });

  it('news of the same millisecond as the top room goes where the server lists it (ties by room id)', async () => {
    const at = { createdAt: new Date(9000).toISOString() };
    const t = setup([summary('b', 5, 5), summary('d', 3, 3)]);
    await t.list.load();
    t.list.activity({ roomId: 'b', unread: 1, readSeq: 5, mentions: 0, lastMessage: message('b', 6, at) });
    // 'd' is the newer news, but the server lists 'b' first at the same time: a reload agrees.
    t.list.activity({ roomId: 'd', unread: 1, readSeq: 3, mentions: 0, lastMessage: message('d', 4, at) });
    expect(ids(t.list.list)).toEqual(['b:1/0', 'd:1/0']);
    t.list.activity({
      roomId: 'b',
      unread: 2,
      readSeq: 5,
      mentions: 0,
      lastMessage: message('b', 7, { createdAt: new Date(9001).toISOString() }),
    });
    t.list.activity({
      roomId: 'd',
      unread: 2,
      readSeq: 3,
      mentions: 0,
      lastMessage: message('d', 5, { createdAt: new Date(9002).toISOString() }),
    });
    expect(ids(t.list.list)).toEqual(['d:2/0', 'b:2/0']);
  });

  it('activity for a room it does not hold asks the server for the list, once at a time', async () => {
    const t = setup([summary('a', 1, 1)]);
    await t.list.load();
    t.setRows([summary('new', 1, 0), summary('a', 1, 1)]);
    t.holdFetches();
    t.list.activity({ roomId: 'new', unread: 1, readSeq: 0, mentions: 0, lastMessage: message('new', 1) });
    t.list.activity({ roomId: 'new', unread: 1, readSeq: 0, mentions: 0, lastMessage: message('new', 1) });
    t.list.activity({ roomId: 'other', unread: 1, readSeq: 0, mentions: 0 });
    expect(t.fetches()).toBe(2);
    t.answerNext();
    await flush();
    expect(t.fetches()).toBe(3); // one more for what asked while the first was on the way
    t.answerNext();
    await flush();
    expect(ids(t.list.list)).toEqual(['new:1/0', 'a:0/0']);
  });

  it('an answer asked before a live change does not undo it', async () => {
    const t = setup([summary('a', 2, 2), summary('b', 1, 1)]);
    await t.list.load();
    t.holdFetches();
    const stale = t.list.load(); // the server read it before the activity below
    t.list.activity({ roomId: 'b', unread: 4, readSeq: 1, mentions: 1, lastMessage: message('b', 5) });
    t.answerNext();
    await stale;
    expect(ids(t.list.list)).toContain('b:4/1');
  });

  it('a joined room counts for itself: unread from seqs, mentions from its messages, its own last message', async () => {
    const t = setup([summary('a', 10, 4, 2), summary('b', 1, 1)]);
    const a = new FakeRoom(room('a'));
    a.readSeq = 4;
    a.messages = [5, 6, 7, 8, 9, 10].map((seq) => message('a', seq, seq === 6 || seq === 9 ? { mentions: ['ana'] } : {}));
    a.hasMoreHistory = true;
    t.joined.set('a', a);
    expect(ids(await t.list.load())).toEqual(['a:6/2', 'b:0/0']);

    // A new message in the joined room (it mentions Ana).
    a.messages.push(message('a', 11, { mentions: ['ana'] }));
    t.list._roomChanged('a');
    expect(ids(t.list.list)).toEqual(['a:7/3', 'b:0/0']);
    expect(t.list.list?.[0]?.lastMessage?.seq).toBe(11);

    // Read up to 9: two mentions (6, 9) are read.
    a.readSeq = 9;
    t.list._roomChanged('a');
    expect(ids(t.list.list)).toEqual(['a:2/1', 'b:0/0']);
    expect(t.fetches()).toBe(1);
  });

  it('a joined room whose unread messages are not all loaded uses the server count, and asks it when the mark moves past them', async () => {
    // 30 unread, 3 mentions among them, only the last 5 loaded (one mentions Ana).
    const t = setup([summary('a', 40, 10, 3)]);
    const a = new FakeRoom(room('a'));
    a.readSeq = 10;
    a.messages = [36, 37, 38, 39, 40].map((seq) => message('a', seq, seq === 38 ? { mentions: ['ana'] } : {}));
    a.hasMoreHistory = true;
    t.joined.set('a', a);
    expect(ids(await t.list.load())).toEqual(['a:30/3']);
    a.messages.push(message('a', 41, { mentions: ['ana'] }));
    t.list._roomChanged('a');
    expect(ids(t.list.list)).toEqual(['a:31/4']);
    expect(t.fetches()).toBe(1);

    // Marked up to 20: what lies between 20 and 36 is not loaded. The server is asked.
    t.setRows([summary('a', 41, 20, 2)]);
    a.readSeq = 20;
    t.list._roomChanged('a');
    expect(t.fetches()).toBe(2);
    await flush();
    expect(ids(t.list.list)).toEqual(['a:21/2']);
    // Once answered, the counts hold without asking again.
    t.list._roomChanged('a');
    expect(t.fetches()).toBe(2);
  });

  it("takes the mark and the thread count from room:activity, and a joined room's from the room (replies only in a thread are no unread there)", async () => {
    const t = setup([summary('a', 5, 5), summary('b', 5, 5)]);
    await t.list.load();
    // Two replies only in a thread (6, 8) and one in the room's log (7): one unread, three in the thread.
    t.list.activity({
      roomId: 'b',
      unread: 1,
      readSeq: 5,
      mentions: 0,
      threadUnread: 3,
      lastMessage: message('b', 8, { threadOf: 'b-5' }),
    });
    expect(t.list.list?.find((s) => s.room.id === 'b')).toMatchObject({ unread: 1, readSeq: 5, threadUnread: 3 });
    t.list.activity({ roomId: 'b', unread: 1, readSeq: 5, mentions: 0, lastMessage: message('b', 8, { threadOf: 'b-5' }) });
    expect(t.list.list?.find((s) => s.room.id === 'b')?.threadUnread).toBeUndefined();

    const a = new FakeRoom(room('a'));
    a.readSeq = 5;
    a.messages = [4, 5, 7].map((seq) => message('a', seq));
    a.threadUnread = 3;
    t.joined.set('a', a);
    t.list._roomChanged('a');
    expect(t.list.list?.find((s) => s.room.id === 'a')).toMatchObject({ unread: 1, readSeq: 5, threadUnread: 3 });
    a.threadUnread = 0;
    t.list._roomChanged('a');
    expect(t.list.list?.find((s) => s.room.id === 'a')?.threadUnread).toBeUndefined();
  });

  it('a mark the server has from another device wins, and the joined room is told', async () => {
    const t = setup([summary('a', 5, 5)]);
    const a = new FakeRoom(room('a'));
    a.readSeq = 2;
    a.messages = [1, 2, 3, 4, 5].map((seq) => message('a', seq));
    t.joined.set('a', a);
    expect(ids(await t.list.load())).toEqual(['a:0/0']);
    expect(t.readElsewhere).toEqual([['a', 5]]);
  });

  it('a joined room the server did not list yet is added at the top; ephemeral or ended ones are not', async () => {
    const t = setup([summary('a', 3, 3)]);
    await t.list.load();
    const direct = new FakeRoom({ ...room('dm:x'), options: { direct: true, private: true } });
    t.joined.set('dm:x', direct);
    t.list._roomChanged('dm:x');
    expect(ids(t.list.list)).toEqual(['dm:x:0/0', 'a:0/0']);
    expect(t.list.list?.[0]?.notifications).toBe('all');
    t.joined.set('live', new FakeRoom({ ...room('live'), options: { ephemeral: true } }));
    t.list._roomChanged('live');
    t.joined.set('old', new FakeRoom({ ...room('old'), endedAt: '2025-01-02T00:00:00.000Z' }));
    t.list._roomChanged('old');
    expect(ids(t.list.list)).toEqual(['dm:x:0/0', 'a:0/0']);
  });

  it("keeps a direct room's members from the server through room:activity and the joined room's changes", async () => {
    const members = [
      { id: 'ana', name: 'Ana' },
      { id: 'luis', name: 'Luis' },
    ];
    const dm: RoomSummary = { ...summary('dm:y', 2, 1), room: { ...room('dm:y'), options: { direct: true, private: true } }, members };
    const t = setup([dm]);
    await t.list.load();
    expect(t.list.list?.[0]?.members).toEqual(members);
    t.list.activity({ roomId: 'dm:y', lastMessage: message('dm:y', 3), unread: 2, readSeq: 1, mentions: 0 });
    expect(t.list.list?.[0]?.members).toEqual(members);
    const joined = new FakeRoom(dm.room);
    joined.messages = [1, 2, 3, 4].map((seq) => message('dm:y', seq));
    joined.readSeq = 4;
    t.joined.set('dm:y', joined);
    t.list._roomChanged('dm:y');
    expect(t.list.list?.[0]).toMatchObject({ unread: 0, members });
  });

  it('forget() drops a room; notifications() changes its level; unchanged rooms emit nothing', async () => {
    const t = setup([summary('a', 3, 3), summary('b', 2, 2)]);
    await t.list.load();
    const before = t.emitted.length;
    t.list.notifications('a', 'all');
    t.list._roomChanged('b'); // not joined
    expect(t.emitted).toHaveLength(before);
    t.list.notifications('a', 'mentions');
    expect(t.list.list?.[0]?.notifications).toBe('mentions');
    t.list.forget('a');
    expect(ids(t.list.list)).toEqual(['b:0/0']);
    expect(t.emitted).toHaveLength(before + 2);
  });

  it('reconnected() asks for a fresh list only when one was loaded', async () => {
    const t = setup([summary('a', 3, 3)]);
    t.list.reconnected();
    expect(t.fetches()).toBe(0);
    await t.list.load();
    t.list.reconnected();
    expect(t.fetches()).toBe(2);
  });
});
