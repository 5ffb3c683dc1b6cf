import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message, UserRef } from '@chat/protocol';
import { MemoryStore, type ChatServer, type ChatStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { ERASED_USER } from '../../core/chat-store.js';
import { moderationChat, passThrough } from '../moderation/moderation-fixtures.js';
import { nextEvent, okData, rawSocket, request, type RawSocket, type TestChat } from '../../../../../test-support/servers.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { expectStoredNowhere } from '../../../../../test-support/stored-nowhere.js';

// After `chat.eraseUser`, the person's name, words and id are in nothing another member reads
// (history, thread history, a thread's summary, the conversations list, join answers), and their
// name and words in no row or in-memory structure of the store: their messages are placeholders
// naming ERASED_USER, as the audit log does. Real servers and sockets, both stores, two processes.

/** A person whose name and words carry `mark`, and the others of the scene. */
function cast() {
  const mark = randomBytes(6).toString('hex');
  const zelda: UserRef = { id: `zelda-${randomUUID()}`, name: `Zelda Namemark${mark}` };
  const luis: UserRef = { id: `luis-${randomUUID()}`, name: 'Luis' };
  const eva: UserRef = { id: `eva-${randomUUID()}`, name: 'Eva' };
  return { mark, zelda, luis, eva, kept: `luisword${randomBytes(6).toString('hex')}` };
}

/** A socket signed in as `user` (the handshake names them: `passThrough`). */
const signIn = (url: string, user: UserRef): Promise<RawSocket> => rawSocket(url, { id: user.id, name: user.name });

async function say(socket: RawSocket, roomId: string, text: string, threadOf?: string): Promise<Message> {
  return okData(await request(socket, 'message:send', { roomId, clientId: randomUUID(), text, ...(threadOf && { threadOf }) })).message;
}

/**
 * Zelda writes in a room (a thread of hers, a reply in Luis's thread that Eva replied in too, a
 * message she deleted herself) and last in her direct conversation with Luis. `app` serves the
 * sockets; `other` (another process, or the same) serves the watcher.
 */
async function scene(app: TestChat, other: TestChat) {
  const people = cast();
  const { mark, zelda, luis, eva, kept } = people;
  const town = `town-${randomUUID()}`;
  const [z, l] = [await signIn(app.url, zelda), await signIn(app.url, luis)];
  const e = await signIn(other.url, eva);
  // Luis first: the room is his (`createdBy`, which an erase keeps).
  for (const socket of [l, z, e]) okData(await request(socket, 'room:join', { roomId: town }));
  await app.chat.addMembers(town, [zelda.id, luis.id, eva.id]);
  const asks = await say(l, town, `${kept} asks`);
  await say(z, town, `wordmark${mark} answers`, asks.id);
  await say(e, town, 'me too', asks.id);
  const own = await say(z, town, `wordmark${mark} starts a thread`);
  await say(l, town, `${kept} replies`, own.id);
  const gone = await say(z, town, `wordmark${mark} soon deleted`);
  okData(await request(z, 'message:delete', { roomId: town, messageId: gone.id }));
  const dm = await app.chat.openDirectRoom([zelda.id, luis.id]);
  for (const socket of [z, l]) okData(await request(socket, 'room:join', { roomId: dm.id }));
  await say(l, dm.id, `${kept} in private`);
  await say(z, dm.id, `wordmark${mark} last word`);
  return { ...people, town, dm: dm.id, asks, own, watcher: e };
}

/** Everything Luis reads afterwards: history, both threads, the direct room, his conversations, fresh join answers. */
async function whatLuisReads(chat: TestChat, luis: UserRef, town: string, dm: string, threads: string[]) {
  const socket = await signIn(chat.url, luis);
  const history = async (roomId: string, threadOf?: string) =>
    okData(await request(socket, 'message:history', { roomId, limit: 100, ...(threadOf && { threadOf }) })).messages;
  const joins = [okData(await request(socket, 'room:join', { roomId: town })), okData(await request(socket, 'room:join', { roomId: dm }))];
  const messages = [...(await history(town)), ...(await history(dm))];
  for (const parent of threads) messages.push(...(await history(town, parent)));
  const { conversations } = okData(await request(socket, 'conversations:list', {}));
  return { messages: [...messages, ...joins.flatMap((j) => j.messages)], conversations, joins };
}

async function expectErased(chat: TestChat, s: Awaited<ReturnType<typeof scene>>, store: ChatServer): Promise<void> {
  const read = await whatLuisReads(chat, s.luis, s.town, s.dm, [s.asks.id, s.own.id]);
  const placeholders = read.messages.filter((m) => m.deletedAt !== undefined);
  // Her four messages (one deleted by herself before), most read more than once: placeholders of ERASED_USER.
  expect(new Set(placeholders.map((m) => m.id)).size).toBe(4);
  for (const m of placeholders) expect(m).toMatchObject({ user: ERASED_USER, text: '', attachments: [] });
  expect(read.messages.find((m) => m.id === s.asks.id)?.thread?.participants).toEqual([ERASED_USER, s.eva]);
  expect(read.conversations.find((c) => c.room.id === s.dm)?.lastMessage).toMatchObject({ user: ERASED_USER, text: '' });
  const text = JSON.stringify(read);
  expect(text).toContain(s.kept);
  for (const left of [s.mark, s.zelda.id]) expect(text).not.toContain(left);
  // Not only what is read: no row of any table, no part of a memory store's state.
  await expectStoredNowhere(store, s.mark, [s.zelda.id, s.luis.id], { found: s.kept });
}

function eraseNamesSuite(makeStore: () => ChatStore): void {
  it('after an erase, her name, words and id are in nothing the others read, and her name and words nowhere in the store', async () => {
    const app = await moderationChat({ store: makeStore() });
    await app.chat.ready();
    const s = await scene(app, app);
    // Members online see the thread's summary change at once.
    const summary = nextEvent(s.watcher, 'message:updated', (m) => m.id === s.asks.id && m.thread?.participants[0]?.id === ERASED_USER.id);
    await app.chat.eraseUser(s.zelda.id);
    expect((await summary).thread?.participants).toEqual([ERASED_USER, s.eva]);
    await expectErased(app, s, app.chat);
    // Run again: nothing left to change, nothing fails.
    await app.chat.eraseUser(s.zelda.id);
    expect(await app.chat.store.userMessages(s.zelda.id, { limit: 10 })).toEqual([]);
  });
}

describe('erasing a name (MemoryStore)', () => {
  eraseNamesSuite(() => new MemoryStore());
});

describe.skipIf(skipWithoutPostgres())('erasing a name (PostgresStore)', () => {
  const schema = useTestSchema();
  eraseNamesSuite(() => new PostgresStore({ pool: schema.pool() }));
});

eachRedis('erasing a name, one PostgreSQL', (redis, schema) => {
  it("erased on one process: the other's members see the summary change, and read nothing of her", async () => {
    const pool = schema.pool();
    const [a, b] = (await startClusterChats(2, { authenticate: passThrough }, redis(), () => new PostgresStore({ pool }))) as [
      TestChat,
      TestChat,
    ];
    const s = await scene(a, b);
    const summary = nextEvent(s.watcher, 'message:updated', (m) => m.id === s.asks.id && m.thread?.participants[0]?.id === ERASED_USER.id);
    await a.chat.eraseUser(s.zelda.id);
    expect((await summary).thread?.participants).toEqual([ERASED_USER, s.eva]);
    await expectErased(b, s, b.chat);
  });
});
