import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import type { ChatStore, ChatStoreCore } from '../core/chat-store.js';
import { lackedParts } from '../core/complete-store.js';
import { BUILT_IN_STORE_PARTS, type BuiltInStorePartName } from '../core/store-parts.js';
import { describeChangeConformance } from './change-conformance.js';
import { describeConversationConformance } from './conversation-conformance.js';
import { describeMemberRoomsConformance } from './member-rooms-conformance.js';
import { describeModerationConformance } from './moderation-conformance.js';
import { describeE2eeConformance } from './e2ee-conformance.js';
import { describePushConformance } from './push-conformance.js';
import { describeSearchConformance } from './search-conformance.js';
import { describeThreadConformance } from './thread-conformance.js';
import { describeRetentionConformance } from './retention-conformance.js';
import { describeUserDataConformance } from './user-data-conformance.js';
import { describeEraseConformance, type StoreDump } from './erase-conformance.js';
import { draft, freshRoomId } from './fixtures.js';

export { freshRoomId } from './fixtures.js';

/** Options of {@link describeStoreConformance}. */
export interface StoreConformanceOptions<Store extends ChatStoreCore = ChatStore> {
  /** Runs after each test with the store `makeStore` gave. */
  cleanup?: (store: Store) => Promise<void>;
  /**
   * The built-in parts the store leaves out (`['PushStore', 'SearchStore']`, `'E2eeStore'` for a
   * store without `e2ee`): their cases are not run, and one case checks that the store has none of
   * their methods and every method of the rest.
   * @default [] (a whole `ChatStore`)
   */
  without?: ReadonlyArray<BuiltInStorePartName | 'E2eeStore'>;
  /**
   * A second, separate instance on the same data, as another process would have it (for
   * PostgreSQL: another store on its own pool). The concurrency cases then write through both;
   * without it they write through the one store.
   */
  openAgain?: (store: Store) => Promise<Store>;
  /**
   * Everything the store keeps, as one text, for the erase case's proof that a person's name and
   * words are nowhere: a store that keeps its data outside the process gives it (for a database,
   * every row of every table the store uses, as PostgresStore's suite does). Default: every string
   * reachable from the store object in this process, private fields included (an in-memory store).
   */
  dump?: StoreDump;
}

/**
 * The behaviour every `ChatStore` must have: rooms, messages, messages that change (edits,
 * deletes, reactions, the rev counter and `changedAfter` reads) and conversations (members, read
 * marks, unread and mention counts, a user's rooms, notification levels, stored users), moderation
 * (standings, the audit log, reports), push subscriptions, message search, threads, retention, a person's data and
 * erasing a person (nothing of their name or words left anywhere in the store: see `dump`). Run it in a vitest test file
 * with a factory that gives a ready store (`@chat/server/testing` needs `vitest` installed).
 * @example describeStoreConformance('MyStore', async () => { const s = new MyStore(); await s.init(); return s; });
 */
export function describeStoreConformance<Store extends ChatStoreCore = ChatStore>(
  name: string,
  makeStore: () => Promise<Store>,
  options: StoreConformanceOptions<Store> | StoreConformanceOptions<Store>['cleanup'] = {},
): void {
  const { cleanup, openAgain: again, dump, without = [] } = typeof options === 'function' ? { cleanup: options } : options;
  const has = (part: keyof typeof BUILT_IN_STORE_PARTS): boolean => !without.includes(BUILT_IN_STORE_PARTS[part].name);
  // A part's cases reach only the parts the store provides (`without` leaves the others out).
  const openAgain = again && ((store: ChatStore) => again(store as unknown as Store) as Promise<unknown> as Promise<ChatStore>);
  describe(`${name} conforms to ChatStore`, () => {
    let made: Store;
    let store: ChatStore;
    beforeEach(async () => {
      made = await makeStore();
      store = made as unknown as ChatStore;
    });
    afterEach(async () => {
      await cleanup?.(made);
    });

    it('provides every method of the built-in parts it keeps, and none of those it leaves out', () => {
      const left: string[] = lackedParts(made).map((part) => BUILT_IN_STORE_PARTS[part].name);
      if (made.e2ee === undefined) left.push('E2eeStore');
      expect(left.sort()).toEqual([...without].sort());
    });

    it('creates and gets rooms; a second create with the same id returns the first room, created: false', async () => {
      const id = freshRoomId();
      const { room, created } = await store.createRoom({
        id,
        title: 'Cita 42',
        metadata: { doctor: 'Ruiz' },
        options: { private: true },
        createdBy: 'u1',
      });
      expect(created).toBe(true);
      expect(room).toMatchObject({ id, title: 'Cita 42', metadata: { doctor: 'Ruiz' }, options: { private: true }, createdBy: 'u1' });
      expect(Date.parse(room.createdAt)).not.toBeNaN();
      expect(await store.getRoom(id)).toEqual(room);
      expect(await store.createRoom({ id, title: 'other', createdBy: 'u2' })).toEqual({ room, created: false });
      expect(await store.getRoom(freshRoomId())).toBeNull();
    });

    it('tells exactly one of several concurrent creates of one id that it created the room', async () => {
      const id = freshRoomId();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.createRoom({ id, createdBy: `u${i}` })));
      const winners = results.filter((r) => r.created);
      expect(winners).toHaveLength(1);
      for (const r of results) expect(r.room).toEqual(winners[0]?.room);
    });

    it('creates a room with a generated id when none is given', async () => {
      const a = await store.createRoom({});
      const b = await store.createRoom({});
      expect([a.created, b.created]).toEqual([true, true]);
      expect(a.room.id).not.toBe(b.room.id);
      expect(a.room.options).toEqual({});
    });

    it('keeps privateMetadata apart from metadata: created, read, listed, replaced by updateRoom', async () => {
      const id = freshRoomId();
      const owner = freshRoomId('owner');
      const { room } = await store.createRoom({
        id,
        metadata: { topic: 'follow-up' },
        privateMetadata: { patientId: 'p-7' },
        createdBy: owner,
      });
      expect(room).toMatchObject({ metadata: { topic: 'follow-up' }, privateMetadata: { patientId: 'p-7' } });
      expect(await store.getRoom(id)).toEqual(room);
      expect(await store.listRooms({ createdBy: owner })).toEqual([room]);
      const renamed = await store.updateRoom(id, { title: 'x' });
      expect(renamed.privateMetadata).toEqual({ patientId: 'p-7' });
      const updated = await store.updateRoom(id, { privateMetadata: { patientId: 'p-8' } });
      expect(updated).toMatchObject({ metadata: { topic: 'follow-up' }, privateMetadata: { patientId: 'p-8' } });
      expect((await store.getRoom(id))?.privateMetadata).toEqual({ patientId: 'p-8' });
      const plain = await store.createRoom({ id: freshRoomId() });
      expect(plain.room).not.toHaveProperty('privateMetadata');
    });

    it('updates rooms; an ended room stays ended; an unknown room is ROOM_NOT_FOUND', async () => {
      const id = freshRoomId();
      await store.createRoom({ id, title: 'a' });
      const updated = await store.updateRoom(id, { title: 'b', metadata: { x: 1 } });
      expect(updated).toMatchObject({ title: 'b', metadata: { x: 1 } });
      const endedAt = new Date().toISOString();
      const ended = await store.updateRoom(id, { endedAt });
      expect(ended.endedAt).toBeDefined();
      const again = await store.updateRoom(id, { endedAt: new Date(Date.now() + 60_000).toISOString() });
      expect(again.endedAt).toBe(ended.endedAt);
      await expect(store.updateRoom(freshRoomId(), { title: 'x' })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      await expect(store.updateRoom(freshRoomId(), { title: 'x' })).rejects.toBeInstanceOf(ChatError);
    });

    it('lists active rooms by default and ended ones on request', async () => {
      const owner = freshRoomId('owner');
      const live = freshRoomId();
      const over = freshRoomId();
      await store.createRoom({ id: live, createdBy: owner });
      await store.createRoom({ id: over, createdBy: owner });
      await store.updateRoom(over, { endedAt: new Date().toISOString() });
      expect((await store.listRooms({ createdBy: owner })).map((r) => r.id)).toEqual([live]);
      expect((await store.listRooms({ createdBy: owner, includeEnded: true })).map((r) => r.id).sort()).toEqual([live, over].sort());
      expect(await store.listRooms({ createdBy: owner, limit: 0, includeEnded: true })).toEqual([]);
    });

    it('appends with per-room seq 1, 2, 3 and fills id and createdAt', async () => {
      const a = freshRoomId();
      const b = freshRoomId();
      await store.createRoom({ id: a });
      await store.createRoom({ id: b });
      const m1 = await store.appendMessage({
        ...draft(a, 'c1'),
        attachments: [{ url: 'https://x.example/a.png', type: 'image/png', name: 'a.png', size: 10 }],
      });
      const m2 = await store.appendMessage(draft(a, 'c2'));
      const n1 = await store.appendMessage(draft(b, 'c1'));
      expect([m1.message.seq, m2.message.seq, n1.message.seq]).toEqual([1, 2, 1]);
      expect(m1.duplicate).toBe(false);
      expect(m1.message).toMatchObject({ roomId: a, clientId: 'c1', user: { id: 'u1', name: 'Ana' }, text: 'c1' });
      expect(m1.message.attachments).toEqual([{ url: 'https://x.example/a.png', type: 'image/png', name: 'a.png', size: 10 }]);
      expect(m1.message.id).not.toBe(n1.message.id);
      expect(Date.parse(m1.message.createdAt)).not.toBeNaN();
      expect(await store.getMessage(a, m1.message.id)).toEqual(m1.message);
      expect(await store.getMessage(b, m1.message.id)).toBeNull();
    });

    it('is idempotent on roomId + clientId', async () => {
      const id = freshRoomId();
      await store.createRoom({ id });
      const first = await store.appendMessage(draft(id, 'same', 'first'));
      const second = await store.appendMessage(draft(id, 'same', 'second text'));
      expect(second).toEqual({ message: first.message, duplicate: true });
      const next = await store.appendMessage(draft(id, 'other'));
      expect(next.message.seq).toBe(2);
    });

    it('keeps seqs unique and gap-free under concurrent appends, duplicates included', async () => {
      const id = freshRoomId();
      await store.createRoom({ id });
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.appendMessage(draft(id, `c${i % 30}`))));
      const stored = results
        .filter((r) => !r.duplicate)
        .map((r) => r.message.seq)
        .sort((x, y) => x - y);
      expect(stored).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const page = await store.listMessages(id, { limit: 100 });
      expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('appending to an unknown room is ROOM_NOT_FOUND and stores nothing', async () => {
      const id = freshRoomId();
      await expect(store.appendMessage(draft(id, 'c'))).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
      expect(await store.listMessages(id, { limit: 10 })).toEqual({ messages: [], hasMore: false });
    });

    it('pages backwards (latest, before) and forwards (after), oldest first within a page', async () => {
      const id = freshRoomId();
      await store.createRoom({ id });
      for (let i = 1; i <= 10; i++) await store.appendMessage(draft(id, `c${i}`));
      const seqs = (p: { messages: Array<{ seq: number }>; hasMore: boolean }) => [p.messages.map((m) => m.seq), p.hasMore];
      expect(seqs(await store.listMessages(id, { limit: 3 }))).toEqual([[8, 9, 10], true]);
      expect(seqs(await store.listMessages(id, { limit: 3, before: 8 }))).toEqual([[5, 6, 7], true]);
      expect(seqs(await store.listMessages(id, { limit: 3, before: 4 }))).toEqual([[1, 2, 3], false]);
      expect(seqs(await store.listMessages(id, { limit: 3, before: 1 }))).toEqual([[], false]);
      expect(seqs(await store.listMessages(id, { limit: 20 }))).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], false]);
      expect(seqs(await store.listMessages(id, { limit: 4, after: 0 }))).toEqual([[1, 2, 3, 4], true]);
      expect(seqs(await store.listMessages(id, { limit: 4, after: 6 }))).toEqual([[7, 8, 9, 10], false]);
      expect(seqs(await store.listMessages(id, { limit: 4, after: 10 }))).toEqual([[], false]);
      expect(seqs(await store.listMessages(id, { limit: 4, after: 99 }))).toEqual([[], false]);
    });

    it('returns copies: changing a returned message or room changes nothing stored', async () => {
      const id = freshRoomId();
      const { room } = await store.createRoom({ id, metadata: { a: 1 }, privateMetadata: { b: 1 } });
      (room.metadata as Record<string, unknown>)['a'] = 2;
      (room.privateMetadata as Record<string, unknown>)['b'] = 2;
      const { message } = await store.appendMessage(draft(id, 'c'));
      message.text = 'changed';
      expect((await store.getRoom(id))?.metadata).toEqual({ a: 1 });
      expect((await store.getRoom(id))?.privateMetadata).toEqual({ b: 1 });
      expect((await store.listMessages(id, { limit: 1 })).messages[0]?.text).toBe('c');
    });

    describeChangeConformance(() => store, openAgain);
    describeConversationConformance(() => store, openAgain, has('userData'));
    describeModerationConformance(() => store, openAgain, has('moderation'));
    if (has('push')) describePushConformance(() => store, openAgain);
    if (has('search')) describeSearchConformance(() => store);
    if (has('search')) describeMemberRoomsConformance(() => store);
    describeThreadConformance(() => store, openAgain, has('userData'));
    if (has('retention')) describeRetentionConformance(() => store, openAgain);
    if (has('userData')) describeUserDataConformance(() => store, { moderation: has('moderation'), push: has('push') });
    if (has('userData')) describeEraseConformance(() => store, dump && ((s: ChatStore) => dump(s)));
    if (!without.includes('E2eeStore')) describeE2eeConformance(() => store, openAgain);
  });
}
