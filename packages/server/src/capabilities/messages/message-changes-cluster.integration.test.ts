import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChatError, type ChatUser, type Message, type RoomJoinResult } from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import type { ChatServerOptions } from '../../options.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { answerChangesTogether } from '../../../../../test-support/gate.js';
import { nextEvent, okData, rawSocket, request, startChat, type RawSocket, type TestChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Changes across processes (PostgreSQL for stored rooms, Redis for ephemeral ones and
// presence), and ephemeral rooms on one process: exact reaction counts when users on two
// processes react at once, updates reaching every process, mentions checked cluster-wide, and a
// re-joining client catching up what changed in an ephemeral room.

const passThrough = (handshake: ChatHandshake): ChatUser => {
  const { id, name } = handshake.auth as Record<string, string | undefined>;
  if (!id) throw new ChatError('UNAUTHENTICATED', 'Who are you?');
  return { id, name: name ?? id };
};
const options: ChatServerOptions = { authenticate: passThrough, presenceCoalesceMs: 10 };

async function member(url: string, roomId: string, id: string): Promise<[RawSocket, RoomJoinResult]> {
  const socket = await rawSocket(url, { id, name: id });
  return [socket, okData(await request(socket, 'room:join', { roomId }))];
}

async function send(socket: RawSocket, roomId: string, text: string, extra: Record<string, unknown> = {}): Promise<Message> {
  return okData(await request(socket, 'message:send', { roomId, clientId: randomUUID(), text, ...extra })).message;
}

/** The newest copy of each message a socket has seen: in acks it got, and in `message:updated`. */
function newestCopies(socket: RawSocket): { take(m: Message): void; of(id: string): Message | undefined; updates: number } {
  const held = new Map<string, Message>();
  const state = {
    updates: 0,
    take(m: Message) {
      const mine = held.get(m.id);
      if (!mine || m.rev > mine.rev) held.set(m.id, m);
    },
    of: (id: string) => held.get(id),
  };
  socket.on('message:updated', (m) => {
    state.updates++;
    state.take(m);
  });
  return state;
}

/**
 * Many users on two processes react with one emoji at once: the count is exact and every client
 * ends with it. In a stored room the stores' answers are held until the whole storm is stored
 * (see {@link answerChangesTogether}), so that it is one burst on each process at any load.
 */
async function reactionStorm(
  a: TestChat,
  b: TestChat,
  roomId: string,
  readBack: (id: string) => Promise<Message | undefined>,
  stored: boolean,
) {
  const emojis = ['⚽', '🎉', '🔥'];
  if (stored) answerChangesTogether([a.chat.store, b.chat.store], 24 * emojis.length);
  const joined = await Promise.all(Array.from({ length: 24 }, (_, i) => member((i % 2 ? a : b).url, roomId, `fan${i}`)));
  const sockets = joined.map(([s]) => s);
  const author = sockets[0] as RawSocket;
  const message = await send(author, roomId, 'goal!');
  const seen = sockets.map((s) => newestCopies(s));
  seen[0]?.take(message);
  const acks = await Promise.all(
    sockets.flatMap((s) => emojis.map((emoji) => request(s, 'reaction:add', { roomId, messageId: message.id, emoji }))),
  );
  acks.forEach((ack, i) => seen[Math.floor(i / emojis.length)]?.take(okData(ack).message));
  const final = (await readBack(message.id)) as Message;
  for (const emoji of emojis) expect(final.reactions?.[emoji]?.count).toBe(24);
  expect(final.rev).toBe(72);
  await waitFor(() => {
    for (const s of seen) expect(s.of(message.id)).toEqual(final);
  });
  // Uncoalesced, each reaction would reach the 23 others: 72 x 23 = 1656 deliveries. A burst in
  // one window costs each process two updates to everyone at most: the first change at once, then
  // the message as it is when the window closes.
  const delivered = seen.reduce((n, s) => n + s.updates, 0);
  expect(delivered).toBeLessThan(1656 / 2);
  if (stored) expect(delivered).toBeLessThanOrEqual(2 * 2 * sockets.length);
  return { message, final, sockets };
}

describe('ephemeral rooms on one process (LocalEphemeralLog)', () => {
  it('edits, deletes and reactions work; the join rev and changedAfter pages come from the log; nothing reaches the store', async () => {
    const { url, chat } = await startChat(options);
    const roomId = 'meeting';
    await chat.createRoom({ id: roomId, options: { ephemeral: true } });
    const [ana] = await member(url, roomId, 'ana');
    let [luis, first] = await member(url, roomId, 'luis');
    expect(first.rev).toBe(0);
    const sent: Message[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(ana, roomId, `point ${i}`, { mentions: ['luis', 'eva'] }));
    expect(sent[0]?.mentions).toEqual(['luis']);
    const updated = nextEvent(luis, 'message:updated');
    const edited = okData(await request(ana, 'message:edit', { roomId, messageId: sent[0]?.id as string, text: 'point zero' })).message;
    expect(await updated).toEqual(edited);
    first = okData(await request(luis, 'room:join', { roomId })); // answered again: the room's rev now
    expect(first.rev).toBe(edited.rev);
    luis.disconnect();

    okData(await request(ana, 'message:delete', { roomId, messageId: sent[1]?.id as string }));
    okData(await request(ana, 'reaction:add', { roomId, messageId: sent[2]?.id as string, emoji: '👍' }));
    okData(await request(ana, 'reaction:add', { roomId, messageId: sent[3]?.id as string, emoji: '👍' }));
    okData(await request(ana, 'message:edit', { roomId, messageId: sent[2]?.id as string, text: 'point two, edited' }));

    [luis] = await member(url, roomId, 'luis');
    const changed: Message[] = [];
    let after = first.rev;
    for (;;) {
      const page = okData(await request(luis, 'message:history', { roomId, changedAfter: after, minSeq: 1, maxSeq: 5, limit: 2 }));
      changed.push(...page.messages);
      if (!page.hasMore) break;
      after = page.messages.at(-1)?.rev as number;
    }
    expect(changed.map((m) => [m.seq, m.rev])).toEqual([
      [2, 2],
      [4, 4],
      [3, 5],
    ]);
    expect(changed[0]).toMatchObject({ text: '', deletedAt: expect.any(String) });
    expect(changed[2]).toMatchObject({ text: 'point two, edited', reactions: { '👍': { count: 1, userIds: ['ana'] } } });
    expect(await chat.store.listMessages(roomId, { limit: 10 })).toEqual({ messages: [], hasMore: false });
    expect(await chat.store.roomRev(roomId)).toBe(0);
  });
});

eachRedis('message changes', (redis, schema) => {
  const twoServers = async () => {
    const pool = schema.pool();
    return (await startClusterChats(2, options, redis(), () => new PostgresStore({ pool }))) as [TestChat, TestChat];
  };

  it('a stored room: users on both processes reacting with one emoji at once count exactly, and every client ends with it', async () => {
    const [a, b] = await twoServers();
    const roomId = `storm-${randomUUID().slice(0, 8)}`;
    await reactionStorm(a, b, roomId, async (id) => (await a.chat.store.getMessage(roomId, id)) ?? undefined, true);
  });

  it('an ephemeral room: the same across processes, from the Redis log; edits and catch-up work from either process', async () => {
    const [a, b] = await twoServers();
    const roomId = `eph-${randomUUID().slice(0, 8)}`;
    await a.chat.createRoom({ id: roomId, options: { ephemeral: true } });
    const [ana] = await member(a.url, roomId, 'ana');
    const history = async (socket: RawSocket, id: string) =>
      okData(await request(socket, 'message:history', { roomId, changedAfter: 0, limit: 100 })).messages.find((m) => m.id === id);
    const { message, final, sockets } = await reactionStorm(a, b, roomId, (id) => history(ana, id), false);
    // The author is on B, the second fan on A.
    const [author, onA] = sockets as [RawSocket, RawSocket];

    // An edit on B reaches A; a join on B reports the rev, and changedAfter from it returns the edit.
    const [luis, before] = await member(b.url, roomId, 'luis');
    expect(before.rev).toBe(final.rev);
    const seenOnA = nextEvent(onA, 'message:updated', (m) => m.editedAt !== undefined);
    const edited = okData(await request(author, 'message:edit', { roomId, messageId: message.id, text: 'GOAL!' })).message;
    expect(await seenOnA).toEqual(edited);
    const page = okData(await request(luis, 'message:history', { roomId, changedAfter: before.rev }));
    expect(page).toEqual({ messages: [edited], hasMore: false });
    expect(okData(await request(luis, 'room:join', { roomId })).rev).toBe(edited.rev);
    expect(await a.chat.store.getMessage(roomId, message.id)).toBeNull();
  });

  it('mentions are checked against presence on every process; edits and host deletes reach both processes', async () => {
    const [a, b] = await twoServers();
    const roomId = `mentions-${randomUUID().slice(0, 8)}`;
    const [ana] = await member(a.url, roomId, 'ana');
    const [luis] = await member(b.url, roomId, 'luis');
    const sent = await send(ana, roomId, '@luis @eva', { mentions: ['luis', 'eva'] });
    expect(sent.mentions).toEqual(['luis']);
    const toLuis = nextEvent(luis, 'message:updated');
    const edited = okData(
      await request(ana, 'message:edit', { roomId, messageId: sent.id, text: 'only @luis', mentions: ['luis'] }),
    ).message;
    expect(edited.text).toBe('only @luis');
    expect(await toLuis).toEqual(edited);
    const toAna = nextEvent(ana, 'message:updated');
    const deleted = await b.chat.deleteMessage(roomId, sent.id);
    expect(await toAna).toEqual(deleted);
    expect(await a.chat.store.getMessage(roomId, sent.id)).toEqual(deleted);
  });
});
