import { describe, expect, it } from 'vitest';
import type { Message, UserRef } from '@chat/protocol';
import type { ChatStore, MessageDraft, MessagePage } from '../core/chat-store.js';
import { freshRoomId } from './fixtures.js';

/**
 * The `ChatStore` cases about threads: replies stored with `threadOf` and kept out of the main
 * log (unless `alsoInRoom`), paged by seq, the parent's summary changed with the room's next rev
 * in the same step as the append (exact under concurrent appends from two instances), a deleted
 * parent's thread, unread counts that leave thread-only replies out and count them per
 * participant. Part of `describeStoreConformance`.
 */
export function describeThreadConformance(
  store: () => ChatStore,
  openAgain?: (store: ChatStore) => Promise<ChatStore>,
  /** Whether the store keeps a person's data (`UserDataStore`): the cases' checks of it run only then. */
  userData = true,
): void {
  const person = (name: string): UserRef => ({ id: freshRoomId(`user-${name.toLowerCase()}`), name });
  const ana = person('Ana');
  async function room(): Promise<string> {
    const id = freshRoomId('thread');
    await store().createRoom({ id });
    return id;
  }
  async function post(roomId: string, clientId: string, extra: Partial<MessageDraft> = {}, into = store()) {
    return into.appendMessage({ roomId, clientId, user: ana, text: clientId, attachments: [], ...extra });
  }
  const seqs = (page: MessagePage) => [page.messages.map((m) => m.seq), page.hasMore];

  describe('threads', () => {
    it('keeps replies out of the main log unless alsoInRoom, and pages a thread by seq', async () => {
      const id = await room();
      const parent = (await post(id, 'p')).message; // 1
      const replies: Message[] = [];
      for (let i = 0; i < 5; i++) replies.push((await post(id, `r${i}`, { threadOf: parent.id })).message); // 2..6
      await post(id, 'main'); // 7
      const shown = (await post(id, 'shown', { threadOf: parent.id, alsoInRoom: true })).message; // 8
      expect(replies.map((r) => [r.seq, r.threadOf, r.alsoInRoom])).toEqual([2, 3, 4, 5, 6].map((s) => [s, parent.id, undefined]));
      expect(shown).toMatchObject({ seq: 8, threadOf: parent.id, alsoInRoom: true });
      expect(seqs(await store().listMessages(id, { limit: 10 }))).toEqual([[1, 7, 8], false]);
      expect(seqs(await store().listMessages(id, { limit: 2 }))).toEqual([[7, 8], true]);
      expect(seqs(await store().listMessages(id, { limit: 2, before: 7 }))).toEqual([[1], false]);
      expect(seqs(await store().listMessages(id, { limit: 2, after: 1 }))).toEqual([[7, 8], false]);
      expect(seqs(await store().listMessages(id, { limit: 1, after: 0 }))).toEqual([[1], true]);
      const thread = (q: { before?: number; after?: number; limit: number }) => store().listMessages(id, { threadOf: parent.id, ...q });
      expect(seqs(await thread({ limit: 10 }))).toEqual([[2, 3, 4, 5, 6, 8], false]);
      expect(seqs(await thread({ limit: 2 }))).toEqual([[6, 8], true]);
      expect(seqs(await thread({ limit: 2, before: 6 }))).toEqual([[4, 5], true]);
      expect(seqs(await thread({ limit: 3, before: 4 }))).toEqual([[2, 3], false]);
      expect(seqs(await thread({ limit: 2, after: 0 }))).toEqual([[2, 3], true]);
      expect(seqs(await thread({ limit: 9, after: 5 }))).toEqual([[6, 8], false]);
      expect(seqs(await store().listMessages(id, { threadOf: 'nothing-here', limit: 5 }))).toEqual([[], false]);
      expect((await store().getMessage(id, replies[0]!.id))?.threadOf).toBe(parent.id);
    });

    it("changes the parent's summary with the room's next rev in the append, and catch-up reads bring it", async () => {
      const id = await room();
      const parent = (await post(id, 'p')).message;
      expect(parent.thread).toBeUndefined();
      const people = ['Ben', 'Cy', 'Di', 'Ed', 'Flo', 'Gus'].map(person);
      let last: Message | undefined;
      for (const [i, user] of [...people, people[0]!].entries()) {
        const result = await post(id, `r${i}`, { threadOf: parent.id, user });
        expect(result.parent?.rev).toBe(i + 1);
        expect(result.parent?.thread?.replyCount).toBe(i + 1);
        last = result.message;
      }
      const stored = await store().getMessage(id, parent.id);
      expect(stored?.thread).toEqual({
        replyCount: 7,
        lastReplyAt: last?.createdAt,
        participants: people.slice(0, 5).map((p) => ({ id: p.id, name: p.name })),
      });
      expect(stored?.rev).toBe(7);
      expect(await store().roomRev(id)).toBe(7);
      const changed = await store().listMessages(id, { changedAfter: 3, limit: 10 });
      expect(changed.messages.map((m) => [m.id, m.rev])).toEqual([[parent.id, 7]]);
      // A retried reply is stored once and changes nothing.
      const again = await post(id, 'r0', { threadOf: parent.id, user: people[0] });
      expect(again.duplicate).toBe(true);
      expect(again.parent).toBeUndefined();
      expect((await store().getMessage(id, parent.id))?.thread?.replyCount).toBe(7);
      expect((await store().threadParticipants(id, parent.id)).sort()).toEqual([ana.id, ...people.map((p) => p.id)].sort());
    });

    it('keeps a thread of a deleted parent working: its replies, new replies and its summary', async () => {
      const id = await room();
      const parent = (await post(id, 'p')).message;
      await post(id, 'r1', { threadOf: parent.id });
      const deleted = await store().changeMessage(id, parent.id, { type: 'delete', at: new Date().toISOString() });
      expect(deleted.message.thread?.replyCount).toBe(1);
      const reply = await post(id, 'r2', { threadOf: parent.id });
      expect(reply.parent).toMatchObject({ deletedAt: deleted.message.deletedAt, text: '', thread: { replyCount: 2 } });
      expect(reply.parent!.rev).toBeGreaterThan(deleted.message.rev);
      expect((await store().listMessages(id, { threadOf: parent.id, limit: 5 })).messages.map((m) => m.text)).toEqual(['r1', 'r2']);
    });

    it('counts every reply exactly when two instances append to one thread at once', async () => {
      const id = await room();
      const parent = (await post(id, 'p')).message;
      const other = openAgain ? await openAgain(store()) : store();
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          post(id, `r${i}`, { threadOf: parent.id, user: { id: `u${i % 7}`, name: `U${i % 7}` } }, i % 2 === 0 ? store() : other),
        ),
      );
      const stored = await store().getMessage(id, parent.id);
      expect(stored?.thread?.replyCount).toBe(60);
      expect(stored?.thread?.participants).toHaveLength(5);
      // Appends stored together change the parent once; the last answer is the parent as stored.
      const revs = results.map((r) => r.parent?.rev ?? 0);
      expect(stored?.rev).toBe(Math.max(...revs));
      expect(await store().roomRev(id)).toBe(stored?.rev);
      expect(Math.max(...results.map((r) => r.parent?.thread?.replyCount ?? 0))).toBe(60);
      expect((await store().listMessages(id, { threadOf: parent.id, limit: 100 })).messages).toHaveLength(60);
    });

    it('takes reactions to a parent while replies to it arrive from another instance: every count exact, no deadlock', async () => {
      const id = await room();
      const parent = (await post(id, 'p')).message;
      const other = openAgain ? await openAgain(store()) : store();
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => [
          post(id, `r${i}`, { threadOf: parent.id, user: { id: `u${i}`, name: `U${i}` } }, other),
          store().changeMessage(id, parent.id, { type: 'react', emoji: '👍', userId: `u${i}`, maxEmojis: 20 }),
        ]).flat(),
      );
      const stored = await store().getMessage(id, parent.id);
      expect(stored?.thread?.replyCount).toBe(30);
      expect(stored?.reactions?.['👍']?.count).toBe(30);
      expect(stored?.rev).toBe(await store().roomRev(id));
    });

    it('leaves thread-only replies out of unread and counts every reply for the thread participants', async () => {
      const id = await room();
      const [ben, cy, di] = [person('Ben'), person('Cy'), person('Di')];
      await store().addMembers(id, [ana, ben, cy, di]);
      const parent = (await post(id, 'p', { user: ben })).message; // 1, Ben's
      await post(id, 'r1', { threadOf: parent.id, user: cy }); // 2
      await post(id, 'r2', { threadOf: parent.id, user: cy }); // 3
      await post(id, 'r3', { threadOf: parent.id, user: di, alsoInRoom: true }); // 4: in the room too
      await post(id, 'main', { user: cy }); // 5
      const row = async (user: UserRef) => {
        const found = (await store().conversations(user.id, { limit: 50 })).find((c) => c.room.id === id);
        return found && { unread: found.unread, threadUnread: found.threadUnread, readSeq: found.readSeq };
      };
      expect(await row(ana)).toEqual({ unread: 3, threadUnread: undefined, readSeq: 0 });
      // The reply in the room too counts once in each: in the room's unread and in its thread's.
      expect(await row(ben)).toEqual({ unread: 2, threadUnread: 3, readSeq: 1 });
      // Cy's own thread-only replies left his mark at 0; his main-log message moved it. Di's reply is after his thread mark.
      expect(await row(cy)).toEqual({ unread: 0, threadUnread: 1, readSeq: 5 });
      expect(await row(di)).toEqual({ unread: 1, threadUnread: undefined, readSeq: 4 });
      // The room's mark does not cover replies: the thread's own mark does.
      await store().markRead(id, ben.id, 4);
      expect(await row(ben)).toEqual({ unread: 1, threadUnread: 3, readSeq: 4 });
      expect(await store().markThreadRead(id, ben.id, parent.id, 2)).toEqual({ seq: 2, changed: true });
      expect(await row(ben)).toEqual({ unread: 1, threadUnread: 2, readSeq: 4 });
      expect(await store().markThreadRead(id, ben.id, parent.id, 4)).toEqual({ seq: 4, changed: true });
      expect(await row(ben)).toEqual({ unread: 1, threadUnread: undefined, readSeq: 4 });
      // The main log between two seqs: 1, 4 and 5 (2 and 3 are only in the thread).
      // Optional (the server counts seqs without it): checked where the store has it.
      if (store().mainLogCount) {
        expect(await store().mainLogCount?.(id, 0, 5)).toBe(3);
        expect(await store().mainLogCount?.(id, 1, 3)).toBe(0);
        expect(await store().mainLogCount?.(id, 1, 4)).toBe(1);
        expect(await store().mainLogCount?.(id, 3, 99)).toBe(2);
        expect(await store().mainLogCount?.(id, 5, 9)).toBe(0);
        expect(await store().mainLogCount?.(freshRoomId('none'), 0, 9)).toBe(0);
      }
    });

    it("keeps a mark per user and thread: forward only, clamped, members only, moved by the reader's own reply", async () => {
      const id = await room();
      const [ben, cy] = [person('Ben'), person('Cy')];
      await store().addMembers(id, [ana, ben, cy]);
      const first = (await post(id, 'p1', { user: ben })).message; // 1
      const second = (await post(id, 'p2', { user: ben })).message; // 2
      await post(id, 'a1', { threadOf: first.id, user: cy }); // 3
      await post(id, 'a2', { threadOf: first.id, user: cy }); // 4
      await post(id, 'b1', { threadOf: second.id, user: cy }); // 5
      await post(id, 'b2', { threadOf: second.id, user: cy, alsoInRoom: true }); // 6: counted in the room's unread too
      expect(await store().threadReads(id, ben.id, 10)).toEqual([
        { threadOf: second.id, readSeq: 0, unread: 2 },
        { threadOf: first.id, readSeq: 0, unread: 2 },
      ]);
      expect(await store().threadReads(id, ben.id, 1)).toEqual([{ threadOf: second.id, readSeq: 0, unread: 2 }]);
      // Ana takes part in no thread; Cy's own replies moved his marks: his threads are listed with
      // nothing unread (a client counts their next replies), the newest reply first.
      expect(await store().threadReads(id, ana.id, 10)).toEqual([]);
      expect(await store().threadReads(id, cy.id, 10)).toEqual([
        { threadOf: second.id, readSeq: 6, unread: 0 },
        { threadOf: first.id, readSeq: 4, unread: 0 },
      ]);
      expect(await store().markThreadRead(id, ben.id, first.id, 3)).toEqual({ seq: 3, changed: true });
      expect(await store().markThreadRead(id, ben.id, first.id, 1)).toEqual({ seq: 3, changed: false });
      expect(await store().markThreadRead(id, ben.id, first.id, 3)).toEqual({ seq: 3, changed: false });
      expect(await store().markThreadRead(id, ben.id, second.id, 0)).toEqual({ seq: 0, changed: false });
      expect(await store().threadReads(id, ben.id, 10)).toEqual([
        { threadOf: second.id, readSeq: 0, unread: 2 },
        { threadOf: first.id, readSeq: 3, unread: 1 },
      ]);
      expect(await store().markThreadRead(id, ben.id, first.id, Number.MAX_SAFE_INTEGER)).toEqual({ seq: 6, changed: true });
      // Ben's reply moves his mark in that thread (to his reply), as a message moves the room's.
      const mine = (await post(id, 'b3', { threadOf: second.id, user: ben })).message; // 7
      expect(await store().threadReads(id, ben.id, 10)).toEqual([
        { threadOf: second.id, readSeq: mine.seq, unread: 0 },
        { threadOf: first.id, readSeq: 6, unread: 0 },
      ]);
      await post(id, 'b4', { threadOf: second.id, user: cy }); // 8
      await post(id, 'a3', { threadOf: first.id, user: ben }); // 9: the newest reply, none unread
      // Threads with unread replies come first, however new the others' replies are.
      expect(await store().threadReads(id, ben.id, 10)).toEqual([
        { threadOf: second.id, readSeq: mine.seq, unread: 1 },
        { threadOf: first.id, readSeq: 9, unread: 0 },
      ]);
      expect(await store().threadReads(id, ben.id, 1)).toEqual([{ threadOf: second.id, readSeq: mine.seq, unread: 1 }]);
      await expect(store().markThreadRead(id, 'stranger', first.id, 1)).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
      await expect(store().markThreadRead(freshRoomId('none'), ben.id, first.id, 1)).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
      await expect(store().markThreadRead(id, ben.id, first.id, 1.5)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      // His data (chat.exportUser) carries his marks in threads.
      if (!userData) return;
      const marks = (await store().userRecords(ben.id)).threadReads.filter((mark) => mark.roomId === id);
      expect(marks.sort((a, b) => a.readSeq - b.readSeq)).toEqual([
        { roomId: id, threadOf: second.id, readSeq: mine.seq },
        { roomId: id, threadOf: first.id, readSeq: 9 },
      ]);
      // Erasing Ben takes his marks and his part in threads: none counts for him if he comes back.
      await store().eraseUserRecords(ben.id);
      expect((await store().userRecords(ben.id)).threadReads).toEqual([]);
      await store().addMembers(id, [ben]);
      expect(await store().threadReads(id, ben.id, 10)).toEqual([]);
      expect((await store().threadParticipants(id, first.id)).sort()).toEqual([cy.id].sort());
    });

    it('makes those a reply mentions take part in its thread from that reply on; the room counts mentions of its main log', async () => {
      const id = await room();
      const [ben, cy, dan] = [person('Ben'), person('Cy'), person('Dan')];
      await store().addMembers(id, [ana, ben, cy, dan]);
      const parent = (await post(id, 'p', { user: ben })).message; // 1
      await post(id, 'r1', { threadOf: parent.id, user: cy }); // 2
      const mention = (await post(id, 'r2', { threadOf: parent.id, user: cy, mentions: [dan.id, ben.id] })).message; // 3
      await post(id, 'r3', { threadOf: parent.id, user: cy }); // 4
      await post(id, 'r4', { threadOf: parent.id, user: cy, alsoInRoom: true, mentions: [ana.id] }); // 5
      expect((await store().threadParticipants(id, parent.id)).sort()).toEqual([ana.id, ben.id, cy.id, dan.id].sort());
      // Dan from the reply that mentions him: the one before it is not his to read. Ben wrote the parent: all of them.
      expect(await store().threadReads(id, dan.id, 10)).toEqual([{ threadOf: parent.id, readSeq: mention.seq - 1, unread: 3 }]);
      expect(await store().threadReads(id, ben.id, 10)).toEqual([{ threadOf: parent.id, readSeq: 0, unread: 4 }]);
      expect(await store().threadReads(id, ana.id, 10)).toEqual([{ threadOf: parent.id, readSeq: 4, unread: 1 }]);
      const counts = async (user: UserRef) => {
        const row = (await store().conversations(user.id, { limit: 500 })).find((c) => c.room.id === id);
        return { unread: row?.unread, mentions: row?.mentions, threadUnread: row?.threadUnread };
      };
      // The thread-only mention counts in Dan's thread, not in the room; Ana's reply also in the room counts in both.
      expect(await counts(dan)).toEqual({ unread: 2, mentions: 0, threadUnread: 3 });
      expect(await counts(ana)).toEqual({ unread: 2, mentions: 1, threadUnread: 1 });
    });

    it('moves thread marks atomically: two at once end at the higher', async () => {
      const id = await room();
      const ben = person('Ben');
      await store().addMembers(id, [ana, ben]);
      const parent = (await post(id, 'p', { user: ben })).message;
      for (let i = 0; i < 8; i++) await post(id, `r${i}`, { threadOf: parent.id });
      const other = openAgain ? await openAgain(store()) : store();
      await Promise.all([5, 9, 3, 7, 8, 2].map((seq, i) => (i % 2 === 0 ? store() : other).markThreadRead(id, ben.id, parent.id, seq)));
      expect(await store().threadReads(id, ben.id, 10)).toEqual([{ threadOf: parent.id, readSeq: 9, unread: 0 }]);
      expect(await store().markThreadRead(id, ben.id, parent.id, 4)).toEqual({ seq: 9, changed: false });
    });
  });
}
