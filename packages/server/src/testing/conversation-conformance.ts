import { describe, expect, it } from 'vitest';
import { ChatError, type Message, type UserRef } from '@chat/protocol';
import type { ChatStore, MessageChange, MessageDraft } from '../core/chat-store.js';
import { draft, freshRoomId } from './fixtures.js';

const edit = (text: string, mentions?: string[]): MessageChange =>
  mentions === undefined
    ? { type: 'edit', text, at: new Date().toISOString() }
    : { type: 'edit', text, mentions, at: new Date().toISOString() };

/**
 * Resolves once the clock has moved past the current millisecond, so that what happens next has
 * a strictly later time (ordering by activity is only defined for different times). It waits
 * on the clock, not for a fixed time: usually a single turn of the event loop.
 */
async function clockTick(): Promise<void> {
  const now = Date.now();
  while (Date.now() <= now) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The `ChatStore` cases about conversations: stored members, read marks, unread and mention
 * counts, a user's rooms newest first, notification levels and stored users. Part of
 * `describeStoreConformance`; `store()` gives the current test's store, `openAgain` a second
 * instance on the same data (another process).
 */
export function describeConversationConformance(
  store: () => ChatStore,
  openAgain?: (store: ChatStore) => Promise<ChatStore>,
  /** Whether the store keeps a person's data (`UserDataStore`): the cases' checks of it run only then. */
  userData = true,
): void {
  // Fresh user ids per test: a durable store keeps the rooms of earlier tests and runs.
  const person = (name: string): UserRef => ({ id: freshRoomId(`user-${name.toLowerCase()}`), name });
  async function room(extra: { privateMetadata?: Record<string, unknown> } = {}, prefix = 'conv'): Promise<string> {
    const id = freshRoomId(prefix);
    await store().createRoom({ id, title: `Room ${id}`, ...extra });
    return id;
  }
  async function post(roomId: string, clientId: string, extra: Partial<MessageDraft> = {}): Promise<Message> {
    return (await store().appendMessage({ ...draft(roomId, clientId), ...extra })).message;
  }
  async function postMany(roomId: string, n: number): Promise<Message[]> {
    const out: Message[] = [];
    for (let i = 0; i < n; i++) out.push(await post(roomId, `m${i}`));
    return out;
  }
  async function only(userId: string, roomId: string) {
    const row = (await store().conversations(userId, { limit: 500 })).find((c) => c.room.id === roomId);
    if (!row) throw new Error(`room ${roomId} is not among ${userId}'s conversations`);
    return row;
  }

  describe('conversations', () => {
    it('adds members idempotently: each once, read mark and level kept, the latest name stored; isMember tells', async () => {
      const id = await room();
      const ana = person('Ana');
      const ben = { ...person('Ben'), avatarUrl: 'https://a.example/ben.png' };
      await store().addMembers(id, [ana, ben, ana]);
      await postMany(id, 3);
      await store().markRead(id, ana.id, 2);
      await store().setNotifications(id, ana.id, 'mentions');
      await store().addMembers(id, [{ ...ana, name: 'Ana María' }]);
      await store().addMembers(id, []);
      const members = await store().listMembers(id);
      expect(members.map((m) => m.user.id).sort()).toEqual([ana.id, ben.id].sort());
      const first = members.find((m) => m.user.id === ana.id);
      expect(first).toMatchObject({ user: { id: ana.id, name: 'Ana María' }, readSeq: 2, notifications: 'mentions' });
      expect(members.find((m) => m.user.id === ben.id)).toMatchObject({ user: ben, readSeq: 0, notifications: 'all' });
      for (const m of members) expect(Date.parse(m.addedAt)).not.toBeNaN();
      expect(await store().isMember(id, ana.id)).toBe(true);
      expect(await store().isMember(id, person('Eve').id)).toBe(false);
      expect(await store().isMember(freshRoomId('none'), ana.id)).toBe(false);
      expect(await store().getUsers([ana.id])).toEqual([{ id: ana.id, name: 'Ana María' }]);
    });

    it('memberLevels: the levels of the members among the ids asked, in one call for thousands; non-members left out', async () => {
      const id = await room();
      const [ana, ben, eve] = [person('Ana'), person('Ben'), person('Eve')];
      const crowd = Array.from({ length: 2000 }, (_, i) => person(`Crowd${i}`));
      await store().addMembers(id, [ana, ben, ...crowd]);
      await store().setNotifications(id, ana.id, 'mentions');
      await store().setNotifications(id, ben.id, 'none');
      const asked = [ana.id, ben.id, eve.id, ...crowd.map((u) => u.id)];
      const levels = await store().memberLevels(id, asked);
      expect(levels.size).toBe(2002);
      expect(levels.get(ana.id)).toBe('mentions');
      expect(levels.get(ben.id)).toBe('none');
      expect(levels.has(eve.id)).toBe(false);
      expect(crowd.every((u) => levels.get(u.id) === 'all')).toBe(true);
      expect(await store().memberLevels(id, [])).toEqual(new Map());
      expect(await store().memberLevels(freshRoomId('none'), [ana.id])).toEqual(new Map());
      await store().removeMembers(id, [ana.id]);
      expect([...(await store().memberLevels(id, [ana.id, ben.id]))]).toEqual([[ben.id, 'none']]);
    });

    it('lists members oldest first', async () => {
      const id = await room();
      const [ana, ben, cai] = [person('Ana'), person('Ben'), person('Cai')];
      await store().addMembers(id, [ben]);
      await clockTick();
      await store().addMembers(id, [cai, ana]);
      const ids = (await store().listMembers(id)).map((m) => m.user.id);
      expect(ids[0]).toBe(ben.id);
      expect(ids.slice(1).sort()).toEqual([ana.id, cai.id].sort());
      expect(await store().listMembers(freshRoomId('none'))).toEqual([]);
    });

    it('refuses members of an unknown room with ROOM_NOT_FOUND, storing nothing', async () => {
      const missing = freshRoomId('none');
      const ana = person('Ana');
      await expect(store().addMembers(missing, [ana])).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      expect(await store().isMember(missing, ana.id)).toBe(false);
      expect(await store().getUsers([ana.id])).toEqual([]);
    });

    it('removes members: the level goes, the mark waits for a new membership, unknown ids and rooms are ignored', async () => {
      const id = await room();
      const [ana, ben] = [person('Ana'), person('Ben')];
      await store().addMembers(id, [ana, ben]);
      await postMany(id, 4);
      await store().markRead(id, ana.id, 3);
      await store().setNotifications(id, ana.id, 'none');
      await store().removeMembers(id, [ana.id, person('Nobody').id]);
      await store().removeMembers(freshRoomId('none'), [ben.id]);
      await store().removeMembers(id, []);
      expect((await store().listMembers(id)).map((m) => m.user.id)).toEqual([ben.id]);
      expect(await store().isMember(id, ana.id)).toBe(false);
      expect(await store().conversations(ana.id, { limit: 10 })).toEqual([]);
      await expect(store().markRead(id, ana.id, 4)).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
      // The user is still known (removal ends a membership, not a user), and the kept mark is theirs (`endedReads`, optional).
      expect(await store().getUsers([ana.id])).toEqual([ana]);
      const kept = async () => (userData ? (await store().userRecords(ana.id)).endedReads : undefined);
      expect((await kept()) ?? [{ roomId: id, readSeq: 3 }]).toEqual([{ roomId: id, readSeq: 3 }]);
      // A membership that starts again starts at the mark the ended one had: what was read stays read.
      await post(id, 'after');
      await store().addMembers(id, [ana]);
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 3, unread: 2, notifications: 'all' });
      expect((await kept()) ?? []).toEqual([]); // used by the new membership
      // Each new membership starts at the mark the last one ended with.
      await store().markRead(id, ana.id, 4);
      await store().removeMembers(id, [ana.id]);
      await store().addMembers(id, [ana]);
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 4, unread: 1 });
      // A user never marked starts at 0; an erased one starts over.
      if (!userData) return;
      await store().removeMembers(id, [ana.id, ben.id]);
      await store().eraseUserRecords(ana.id);
      await store().addMembers(id, [ana, ben]);
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 0, unread: 5 });
      expect(await only(ben.id, id)).toMatchObject({ readSeq: 0, unread: 5 });
    });

    it('moves read marks only forward, clamped to the last message; the answer is the mark after', async () => {
      const id = await room();
      const ana = person('Ana');
      await store().addMembers(id, [ana]);
      expect(await store().markRead(id, ana.id, 5)).toEqual({ seq: 0, changed: false });
      await postMany(id, 5);
      expect(await store().markRead(id, ana.id, 3)).toEqual({ seq: 3, changed: true });
      expect(await store().markRead(id, ana.id, 3)).toEqual({ seq: 3, changed: false });
      expect(await store().markRead(id, ana.id, 1)).toEqual({ seq: 3, changed: false });
      expect(await store().markRead(id, ana.id, -7)).toEqual({ seq: 3, changed: false });
      expect(await store().markRead(id, ana.id, 99)).toEqual({ seq: 5, changed: true });
      expect(await store().markRead(id, ana.id, 99)).toEqual({ seq: 5, changed: false });
      expect((await store().listMembers(id))[0]?.readSeq).toBe(5);
      await post(id, 'six');
      expect(await store().markRead(id, ana.id, Number.MAX_SAFE_INTEGER)).toEqual({ seq: 6, changed: true });
    });

    it('refuses read marks and levels of non-members with NOT_IN_ROOM, and bad values with VALIDATION_FAILED', async () => {
      const id = await room();
      const [ana, eve] = [person('Ana'), person('Eve')];
      await store().addMembers(id, [ana]);
      await postMany(id, 2);
      for (const call of [
        () => store().markRead(id, eve.id, 1),
        () => store().markRead(freshRoomId('none'), ana.id, 1),
        () => store().setNotifications(id, eve.id, 'none'),
        () => store().setNotifications(freshRoomId('none'), ana.id, 'none'),
      ]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ChatError);
        expect(error).toMatchObject({ code: 'NOT_IN_ROOM' });
      }
      await expect(store().markRead(id, ana.id, 1.5)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(store().markRead(id, ana.id, Number.NaN)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      // @ts-expect-error: a level that does not exist, as an untyped caller could pass it.
      await expect(store().setNotifications(id, ana.id, 'loud')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await store().isMember(id, eve.id)).toBe(false);
      expect((await store().listMembers(id))[0]).toMatchObject({ readSeq: 0, notifications: 'all' });
    });

    it('ends at the highest of many marks made at once (through two instances on the same data when the store has them), each move once', async () => {
      const id = await room();
      const ana = person('Ana');
      await store().addMembers(id, [ana]);
      await postMany(id, 40);
      const a = store();
      const b = openAgain ? await openAgain(a) : a;
      const seqs = Array.from({ length: 40 }, (_, i) => ((i * 17) % 40) + 1);
      const results = await Promise.all(seqs.map((seq, i) => (i % 2 === 0 ? a : b).markRead(id, ana.id, seq)));
      expect((await store().listMembers(id))[0]?.readSeq).toBe(40);
      const moves = results.filter((r) => r.changed).map((r) => r.seq);
      // Each mark that moved moved it to a value no other mark moved it to: no lost or doubled update.
      expect(new Set(moves).size).toBe(moves.length);
      expect(moves).toContain(40);
      for (const [i, r] of results.entries()) expect(r.seq).toBeGreaterThanOrEqual(seqs[i] as number);
    });

    it('counts unread as the messages after the mark (a sender marked read at their own message has none of theirs)', async () => {
      const id = await room();
      const [ana, ben] = [person('Ana'), person('Ben')];
      await store().addMembers(id, [ana, ben]);
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 0, unread: 0, mentions: 0 });
      await postMany(id, 5);
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 0, unread: 5 });
      await store().markRead(id, ana.id, 2);
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 2, unread: 3 });
      // Ana sends: the append itself marks her read at her own message.
      const own = await post(id, 'own', { user: ana });
      expect(own.seq).toBe(6);
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 6, unread: 0 });
      expect(await only(ben.id, id)).toMatchObject({ readSeq: 0, unread: 6 });
      await post(id, 'reply', { user: ben });
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 6, unread: 1 });
      expect(await only(ben.id, id)).toMatchObject({ readSeq: 7, unread: 0 });
      // A duplicate send moves no mark; a sender who is no member (a bot) moves none and is stored.
      await post(id, 'own', { user: ana });
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 6, unread: 1 });
      const bot = await post(id, 'bot', { user: { id: freshRoomId('user-bot'), name: 'Bot' } });
      expect(bot.seq).toBe(8);
      expect(await only(ana.id, id)).toMatchObject({ readSeq: 6, unread: 2 });
      expect(await only(ben.id, id)).toMatchObject({ readSeq: 7, unread: 1 });
    });

    it('counts mentions after the mark, kept right by edits and deletes', async () => {
      const id = await room();
      const [ana, ben] = [person('Ana'), person('Ben')];
      await store().addMembers(id, [ana, ben]);
      const m1 = await post(id, 'm1', { mentions: [ana.id] });
      await post(id, 'm2');
      const m3 = await post(id, 'm3', { mentions: [ana.id, ben.id] });
      const m4 = await post(id, 'm4', { mentions: [ben.id] });
      const m5 = await post(id, 'm5', { mentions: [ana.id] });
      expect(await only(ana.id, id)).toMatchObject({ unread: 5, mentions: 3 });
      expect(await only(ben.id, id)).toMatchObject({ unread: 5, mentions: 2 });
      await store().markRead(id, ana.id, 2);
      expect(await only(ana.id, id)).toMatchObject({ unread: 3, mentions: 2 });
      // An edit that takes the mention away, one that adds it, one that keeps it.
      await store().changeMessage(id, m3.id, edit('no one', [ben.id]));
      expect(await only(ana.id, id)).toMatchObject({ mentions: 1 });
      await store().changeMessage(id, m4.id, edit('both now', [ben.id, ana.id]));
      expect(await only(ana.id, id)).toMatchObject({ mentions: 2 });
      await store().changeMessage(id, m4.id, edit('both, reworded', [ana.id, ben.id]));
      expect(await only(ana.id, id)).toMatchObject({ mentions: 2 });
      expect(await only(ben.id, id)).toMatchObject({ mentions: 2 });
      // Reactions leave mentions alone; a delete takes them away.
      await store().changeMessage(id, m5.id, { type: 'react', emoji: '👍', userId: ben.id, maxEmojis: 20 });
      expect(await only(ana.id, id)).toMatchObject({ mentions: 2 });
      await store().changeMessage(id, m5.id, { type: 'delete', at: new Date().toISOString() });
      expect(await only(ana.id, id)).toMatchObject({ unread: 3, mentions: 1 });
      // Mentions before the mark never count, edited or not.
      await store().changeMessage(id, m1.id, edit('still you', [ana.id]));
      expect(await only(ana.id, id)).toMatchObject({ mentions: 1 });
      await store().markRead(id, ana.id, 5);
      expect(await only(ana.id, id)).toMatchObject({ unread: 0, mentions: 0 });
      expect(await only(ben.id, id)).toMatchObject({ unread: 5, mentions: 2 });
    });

    it("lists a user's rooms newest activity first (last message, else membership), ended rooms left out, at most limit", async () => {
      const ana = person('Ana');
      // Ids in the opposite order of activity, so that an order by id would fail.
      const [quiet, older, newer] = [await room({}, 'conv-c'), await room({}, 'conv-b'), await room({}, 'conv-a')];
      const ended = await room();
      const notMine = await room();
      await store().addMembers(quiet, [ana]);
      await store().addMembers(newer, [ana]);
      await store().addMembers(older, [ana]);
      await store().addMembers(ended, [ana]);
      await store().addMembers(notMine, [person('Ben')]);
      await clockTick();
      await post(older, 'o1');
      await post(ended, 'e1');
      await post(notMine, 'x');
      await clockTick();
      await post(newer, 'n1');
      await store().updateRoom(ended, { endedAt: new Date().toISOString() });
      const ids = async (limit = 500) => (await store().conversations(ana.id, { limit })).map((c) => c.room.id);
      expect(await ids()).toEqual([newer, older, quiet]);
      expect(await ids(2)).toEqual([newer, older]);
      expect(await ids(0)).toEqual([]);
      await clockTick();
      await post(older, 'o2');
      expect(await ids()).toEqual([older, newer, quiet]);
      // A room with no message ranks by when the user joined it.
      const joined = await room({}, 'conv-z');
      await clockTick();
      await store().addMembers(joined, [ana]);
      expect(await ids()).toEqual([joined, older, newer, quiet]);
      expect(await store().conversations(person('Nobody').id, { limit: 10 })).toEqual([]);
    });

    it('gives each conversation its room without privateMetadata, its newest message, its level and counts', async () => {
      const ana = person('Ana');
      const id = await room({ privateMetadata: { patientId: 'p-7' } });
      const empty = await room();
      await store().addMembers(id, [ana]);
      await store().addMembers(empty, [ana]);
      await clockTick();
      await post(id, 'first');
      const last = await post(id, 'last', { mentions: [ana.id] });
      await store().setNotifications(id, ana.id, 'mentions');
      const [row] = await store().conversations(ana.id, { limit: 1 });
      const stored = await store().getRoom(id);
      const { privateMetadata: _hidden, ...visible } = stored ?? { id: '', options: {}, createdAt: '' };
      expect(row).toEqual({ room: visible, readSeq: 0, unread: 2, mentions: 1, lastMessage: last, notifications: 'mentions' });
      expect(row?.room).not.toHaveProperty('privateMetadata');
      const deleted = await store().changeMessage(id, last.id, { type: 'delete', at: new Date().toISOString() });
      expect((await only(ana.id, id)).lastMessage).toEqual(deleted.message);
      const quiet = await only(ana.id, empty);
      expect(quiet).toMatchObject({ readSeq: 0, unread: 0, mentions: 0, notifications: 'all' });
      expect(quiet).not.toHaveProperty('lastMessage');
      expect(await store().listMembers(id)).toEqual([expect.objectContaining({ notifications: 'mentions' })]);
    });

    it('gives direct rooms their members (the user included, oldest first, latest names), other rooms none', async () => {
      const ana = person('Ana');
      const luis = { ...person('Luis'), avatarUrl: 'https://a.example/luis.png' };
      const direct = freshRoomId('conv-dm');
      await store().createRoom({ id: direct, options: { direct: true, private: true } });
      const group = await room();
      await store().addMembers(direct, [ana]);
      await clockTick();
      await store().addMembers(direct, [luis]);
      await store().addMembers(group, [ana, luis]);
      await store().saveUser({ id: ana.id, name: 'Ana M.' });
      expect((await only(ana.id, direct)).members).toEqual([{ id: ana.id, name: 'Ana M.' }, luis]);
      expect((await only(luis.id, direct)).members).toEqual([{ id: ana.id, name: 'Ana M.' }, luis]);
      expect(await only(ana.id, group)).not.toHaveProperty('members');
      // A copy: changing it changes nothing stored.
      const row = await only(ana.id, direct);
      if (row.members?.[0]) row.members[0].name = 'changed';
      expect((await only(ana.id, direct)).members?.[0]?.name).toBe('Ana M.');
    });

    it('stores users: latest name and avatar, lastSeenAt kept when not given and only moving forward', async () => {
      const ana = { ...person('Ana'), avatarUrl: 'https://a.example/ana.png' };
      const ben = person('Ben');
      const unknown = person('Nobody');
      await store().saveUser(ana);
      expect(await store().getUsers([ana.id])).toEqual([ana]);
      const seen = '2024-05-06T07:08:09.123Z';
      await store().saveUser(ana, seen);
      await store().saveUser(ben, '2024-01-01T00:00:00.000Z');
      expect(await store().getUsers([unknown.id, ben.id, ana.id, ben.id])).toEqual([
        { ...ben, lastSeenAt: '2024-01-01T00:00:00.000Z' },
        { ...ana, lastSeenAt: seen },
      ]);
      // Back online with a new name and no avatar: both change, the last-seen time stays.
      await store().saveUser({ id: ana.id, name: 'Ana M.' });
      expect(await store().getUsers([ana.id])).toEqual([{ id: ana.id, name: 'Ana M.', lastSeenAt: seen }]);
      await store().saveUser({ id: ana.id, name: 'Ana M.' }, '2024-05-06T07:00:00.000Z');
      expect((await store().getUsers([ana.id]))[0]?.lastSeenAt).toBe(seen);
      await store().saveUser({ id: ana.id, name: 'Ana M.' }, '2024-06-01T00:00:00.000Z');
      expect((await store().getUsers([ana.id]))[0]?.lastSeenAt).toBe('2024-06-01T00:00:00.000Z');
      expect(await store().getUsers([])).toEqual([]);
    });

    it('returns copies: changing a returned member, user or conversation changes nothing stored', async () => {
      const id = await room();
      const ana = person('Ana');
      await store().addMembers(id, [ana]);
      const { message } = await store().appendMessage({ ...draft(id, 'c'), mentions: [ana.id] });
      const [member] = await store().listMembers(id);
      if (member) {
        member.user.name = 'changed';
        member.readSeq = 99;
      }
      const [user] = await store().getUsers([ana.id]);
      if (user) user.name = 'changed';
      const [row] = await store().conversations(ana.id, { limit: 1 });
      if (row) {
        row.room.options.private = true;
        if (row.lastMessage) {
          row.lastMessage.text = 'changed';
          row.lastMessage.mentions?.push('someone');
        }
      }
      expect(await store().listMembers(id)).toEqual([expect.objectContaining({ user: ana, readSeq: 0 })]);
      expect(await store().getUsers([ana.id])).toEqual([ana]);
      const again = await only(ana.id, id);
      expect(again.room.options).toEqual({});
      expect(again.lastMessage).toEqual(message);
    });
  });
}
