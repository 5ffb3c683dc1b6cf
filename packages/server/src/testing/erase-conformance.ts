import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message, UserRef } from '@chat/protocol';
import { ERASED_USER, type ChangeResult, type ChatStore } from '../core/chat-store.js';
import { freshRoomId } from './fixtures.js';
import { reachableText } from './reachable-text.js';

/** Everything a store holds, as one text (`StoreConformanceOptions.dump`). */
export type StoreDump = (store: ChatStore) => Promise<string>;

/** Every string reachable from the store object, private fields included: all of an in-memory store's state. */
const dumpReachable: StoreDump = async (store) => (await reachableText(store)).join('\n');

/**
 * The `ChatStore` case of erasing a person (`chat.eraseUser`): each of their messages, deleted
 * ones too, deleted with `author: ERASED_USER`, their reactions taken back, `eraseUserRecords`;
 * then neither their name nor their words nor their id is in anything the store answers, and
 * neither their name nor their words is anywhere in `dump` of the store. Part of `describeStoreConformance`.
 */
export function describeEraseConformance(store: () => ChatStore, dump: StoreDump = dumpReachable): void {
  describe('erasing a person', () => {
    const at = () => new Date().toISOString();

    async function setUp() {
      const mark = randomBytes(6).toString('hex');
      // Their name, avatar and words each carry `mark`; the other person's words carry `kept`.
      const person: UserRef = { id: freshRoomId('erased'), name: `Erna Namemark${mark}`, avatarUrl: `https://img.example/face${mark}.png` };
      const other: UserRef = { id: freshRoomId('other'), name: 'Olga' };
      const kept = `olgaword${randomBytes(6).toString('hex')}`;
      const [town, dm] = [freshRoomId('erase'), freshRoomId('erase-dm')];
      await store().createRoom({ id: town });
      await store().createRoom({ id: dm, options: { direct: true } });
      for (const id of [town, dm]) await store().addMembers(id, [person, other]);
      let n = 0;
      const say = async (roomId: string, user: UserRef, text: string, extra: { threadOf?: string; alsoInRoom?: boolean } = {}) =>
        (await store().appendMessage({ roomId, clientId: `c${n++}`, user, text, attachments: [], ...extra })).message;
      const own = await say(town, person, `wordmark${mark} thread of mine`);
      await say(town, other, `${kept} answers`, { threadOf: own.id });
      const theirs = await say(town, other, `${kept} asks`);
      await say(town, person, `wordmark${mark} reply`, { threadOf: theirs.id });
      await say(town, person, `wordmark${mark} reply shown`, { threadOf: theirs.id, alsoInRoom: true });
      await say(town, other, `${kept} replies too`, { threadOf: theirs.id });
      const gone = await say(town, person, `wordmark${mark} deleted before`);
      await store().changeMessage(town, gone.id, { type: 'delete', at: at() });
      await store().changeMessage(town, theirs.id, { type: 'react', emoji: '👍', userId: person.id, maxEmojis: 20 });
      await say(dm, other, `${kept} in private`);
      await say(dm, person, `wordmark${mark} last in private`);
      await store().markThreadRead(town, person.id, theirs.id, 100);
      await store().saveUser(person, at());
      return { mark, person, other, kept, town, dm, own, theirs };
    }

    // What chat.eraseUser asks of the store, in its order.
    async function erase(userId: string): Promise<ChangeResult[]> {
      const results: ChangeResult[] = [];
      for (const m of await store().userMessages(userId, { limit: 100 }))
        results.push(await store().changeMessage(m.roomId, m.id, { type: 'delete', at: at(), author: { ...ERASED_USER } }));
      for (const { roomId, messageId, emoji } of (await store().userRecords(userId)).reactions)
        await store().changeMessage(roomId, messageId, { type: 'unreact', emoji, userId });
      await store().eraseUserRecords(userId);
      return results;
    }

    it('leaves neither their name nor their words in what the store answers or holds; placeholders and summaries name ERASED_USER', async () => {
      const { mark, person, other, kept, town, dm, own, theirs } = await setUp();
      const rev = await store().roomRev(town);
      const results = await erase(person.id);
      // Five messages, one of them deleted before: each changes, and names ERASED_USER.
      expect(results.map((r) => [r.changed, r.message.user])).toEqual(results.map(() => [true, ERASED_USER]));
      expect(results).toHaveLength(5);
      // The first of their replies changed the parent's summary (a rev of its own, after the reply's); the second found it changed.
      const parents = results.flatMap((r) => (r.parent ? [{ parent: r.parent, after: r.message.rev }] : []));
      expect(parents).toHaveLength(1);
      expect(parents[0]?.parent).toMatchObject({
        id: theirs.id,
        rev: (parents[0]?.after ?? 0) + 1,
        thread: { participants: [ERASED_USER, other] },
      });
      expect(await store().userMessages(person.id, { limit: 100 })).toEqual([]);
      // A second run finds nothing, and a placeholder that names ERASED_USER already does not change.
      expect(await erase(person.id)).toEqual([]);
      const again = await store().changeMessage(town, own.id, { type: 'delete', at: at(), author: { ...ERASED_USER } });
      expect(again.changed).toBe(false);

      const read: Message[] = [];
      for (const query of [{}, { threadOf: own.id }, { threadOf: theirs.id }, { changedAfter: rev }])
        read.push(...(await store().listMessages(town, { limit: 100, ...query })).messages);
      read.push(...(await store().listMessages(dm, { limit: 100 })).messages);
      const placeholders = read.filter((m) => m.deletedAt !== undefined);
      expect(new Set(placeholders.map((m) => m.id))).toEqual(new Set(results.map((r) => r.message.id)));
      for (const m of placeholders) expect(m).toMatchObject({ user: ERASED_USER, text: '', attachments: [] });
      expect((await store().getMessage(town, theirs.id))?.thread?.participants).toEqual([ERASED_USER, other]);
      const rows = await store().conversations(other.id, { limit: 10 });
      expect(rows.find((r) => r.room.id === dm)?.lastMessage).toMatchObject({ user: ERASED_USER, text: '' });
      expect(await store().threadParticipants(town, own.id)).toEqual([other.id]);
      expect(await store().threadParticipants(town, theirs.id)).toEqual([other.id]);
      const answered = JSON.stringify([read, rows, await store().listMembers(town), await store().getUsers([person.id])]);
      for (const left of [mark, person.id]) expect(answered).not.toContain(left);
      expect(answered).toContain(kept);

      // Not only what it answers: everything it holds.
      const held = await dump(store());
      expect(held).toContain(kept);
      expect(held).not.toContain(person.name);
      expect(held).not.toContain(mark);
    });
  });
}
