import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { MemoryStore, type ChatServerOptions } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { awayAndBack, sdkClient, startChat } from '../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import type { ChatClient } from './chat-client.js';
import type { ChatRoom } from './chat-room.js';
import { waitFor } from '../../../test-support/wait.js';

const pace = () => new Promise((resolve) => setTimeout(resolve, 2));

function cutFromClient(client: ChatClient): void {
  client.socket.io.engine.close();
}

/** A small seeded generator (mulberry32): the same seed gives the same mix of operations. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The reader's transport is cut four times (twice by the client, twice by the server) while a
// writer sends, edits and deletes its messages, a watcher and the writer react and take
// reactions back, and the host edits old messages, in a seeded random mix. Each cut lasts
// until more than a history page of new messages and of changes went by. The reader sends and
// reacts through the cuts. Afterwards every client's messages equal the store's, field by field.
// CHAT_TEST_SEED=<n> replays a mix (the moments of the cuts still depend on timing).
async function cutsWhileOthersWork(options: ChatServerOptions): Promise<void> {
  const seed = Number(process.env['CHAT_TEST_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  try {
    await cutsWithSeed(options, seed);
  } catch (error) {
    console.error(`cutsWhileOthersWork failed with CHAT_TEST_SEED=${seed}`);
    if (error instanceof Error) error.message = `[CHAT_TEST_SEED=${seed}] ${error.message}`;
    throw error;
  }
}

async function cutsWithSeed(options: ChatServerOptions, seed: number): Promise<void> {
  const page = 5;
  const { url, chat } = await startChat({
    ...options,
    limits: {
      messageBurst: 1000,
      messagesPerSecond: 1000,
      eventBurst: 10_000,
      eventsPerSecond: 10_000,
      maxHistoryPage: 2 * page,
      defaultHistoryPage: page,
    },
  });
  const bot = { id: 'bot', name: 'Bot' };
  const old: Message[] = [];
  for (let i = 1; i <= 8; i++) old.push(await chat.sendMessage('live', { user: bot, text: `old ${i}` }));
  const reader = sdkClient(url, { auth: { name: 'Reader' } });
  const room = await reader.join('live');
  const writer = await sdkClient(url, { auth: { name: 'Writer' } }).join('live');
  const watcher = await sdkClient(url, { auth: { name: 'Watcher' } }).join('live');
  // Each holds the latest page: changes to older messages stay out until history() loads them.
  const firstSeq = 8 - page + 1;
  for (const r of [room, writer, watcher]) expect(r.messages[0]?.seq).toBe(firstSeq);
  const held = old.filter((m) => m.seq >= firstSeq);
  const mentionable = [room.self?.id, watcher.self?.id] as string[];

  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const emojis = ['👍', '❤️', '😂', '🎉'];
  const total = 120;
  const done = { sends: 0, changes: 0 };
  const sentByWriter: string[] = [];
  const writerAlive: string[] = [];
  // Never deleted (the writer deletes only its own): anyone may react to them at any time.
  const reactable = old.map((m) => m.id);
  const reactedBy = new Map<ChatRoom, Set<string>>([
    [writer, new Set()],
    [watcher, new Set()],
  ]);
  const working = (async () => {
    while (done.sends < total) {
      const roll = random();
      if (roll < 0.4 || writerAlive.length === 0) {
        const text = `w${done.sends}`;
        const message = await writer.send(roll < 0.08 ? { text: `${text} @all`, mentions: mentionable } : text);
        sentByWriter.push(message.id);
        writerAlive.push(message.id);
        reactable.push(message.id);
        done.sends++;
      } else if (roll < 0.55) {
        const id = pick(writerAlive);
        await writer.edit(id, `edited ${done.changes}`, random() < 0.3 ? { mentions: mentionable } : {});
        done.changes++;
      } else if (roll < 0.62) {
        const id = writerAlive.splice(Math.floor(random() * writerAlive.length), 1)[0] as string;
        reactable.splice(reactable.indexOf(id), 1);
        for (const set of reactedBy.values()) for (const key of set) if (key.startsWith(`${id} `)) set.delete(key);
        await writer.delete(id);
        done.changes++;
      } else if (roll < 0.67) {
        await chat.editMessage('live', pick(old).id, `host edit ${done.changes}`);
        done.changes++;
      } else if (roll < 0.88) {
        const actor = random() < 0.5 ? writer : watcher;
        const id = pick(reactable);
        const emoji = pick(emojis);
        await actor.react(id, emoji);
        reactedBy.get(actor)?.add(`${id} ${emoji}`);
        done.changes++;
      } else {
        const actor = random() < 0.5 ? writer : watcher;
        const reactions = [...(reactedBy.get(actor) ?? [])];
        if (reactions.length === 0) continue;
        const key = pick(reactions);
        const [id, emoji] = key.split(' ') as [string, string];
        await actor.unreact(id, emoji);
        reactedBy.get(actor)?.delete(key);
        done.changes++;
      }
      await pace();
    }
  })();

  const states: string[] = [];
  reader.on('state', (s) => states.push(s));
  const own: Array<Promise<Message>> = [];
  const ownReactions: Array<Promise<Message>> = [];
  for (let cut = 0; cut < 4; cut++) {
    await waitFor(() => expect(done.sends).toBeGreaterThan(cut * 30 + 5));
    own.push(room.send(`r${cut}-as-cut`)); // may be stored while its ack is lost
    reader.socket.io.reconnection(false);
    if (cut % 2 === 0) cutFromClient(reader);
    else for (const s of chat.io.of('/').sockets.values()) if (s.handshake.auth['name'] === 'Reader') s.conn.close(); // server-side drop
    await waitFor(() => expect(reader.state).toBe('reconnecting'));
    own.push(room.send(`r${cut}-offline`)); // queued in the outbox
    ownReactions.push(room.react(pick(held).id, pick(emojis))); // waits for the re-join
    // Away until more than a page of new messages and more than a page of changes went by.
    const from = { ...done };
    await waitFor(() => expect(done.sends - from.sends > page && done.changes - from.changes > page).toBe(true));
    reader.socket.io.reconnection(true);
    reader.socket.connect();
    await waitFor(() => expect(reader.state).toBe('connected'));
  }
  await working;
  const mine = await Promise.all(own);
  await Promise.all(ownReactions);
  expect(states).toContain('reconnecting');

  const stored = async () => (await chat.store.listMessages('live', { limit: 1000 })).messages;
  const expected = old.length + total + own.length;
  for (const r of [room, writer, watcher]) {
    await waitFor(async () => expect(r.messages).toEqual((await stored()).filter((m) => m.seq >= firstSeq)));
    expect(r.outbox).toEqual([]);
  }
  expect(room.messages.map((m) => m.seq)).toEqual(Array.from({ length: expected - firstSeq + 1 }, (_, i) => firstSeq + i));
  // Writer's messages arrive in the order sent.
  expect(room.messages.filter((m) => m.user.name === 'Writer').map((m) => m.id)).toEqual(sentByWriter);
  const readerTexts = (await stored()).filter((m) => m.user.name === 'Reader').map((m) => m.text);
  expect(readerTexts.sort()).toEqual(mine.map((m) => m.text).sort());
  expect(readerTexts).toHaveLength(own.length);
  // The older messages, loaded now, come as they are (edited by the host meanwhile).
  while (room.hasMoreHistory) await room.history();
  expect(room.messages).toEqual(await stored());
}

describe('reconnects lose nothing and double nothing', () => {
  it('cuts the transport while others send, edit, delete and react; the reader sends and reacts through the cuts (memory store)', async () => {
    await cutsWhileOthersWork({ store: new MemoryStore() });
  }, 60_000);

  describe.skipIf(skipWithoutPostgres())('on PostgreSQL', () => {
    const schema = useTestSchema();
    it('cuts the transport while others send, edit, delete and react (PostgreSQL store)', async () => {
      const store = new PostgresStore({ pool: schema.pool() });
      await store.init();
      await cutsWhileOthersWork({ store });
    }, 60_000);
  });

  it('a message sent while offline waits in the outbox as pending and is delivered after the reconnect', async () => {
    const { url } = await startChat();
    const client = sdkClient(url, { socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
    const room = await client.join('q');
    const other = await sdkClient(url).join('q');
    cutFromClient(client);
    expect(client.state).toBe('reconnecting');
    const sent = room.send('queued');
    expect(room.outbox.map((e) => [e.text, e.status])).toEqual([['queued', 'pending']]);
    const message = await sent;
    expect(message.seq).toBe(1);
    await waitFor(() => expect(other.messages.map((m) => m.text)).toEqual(['queued']));
    expect(room.outbox).toEqual([]);
  });

  it('members are right again after a reconnect and a peer leaving while we were away', async () => {
    const { url } = await startChat({ presenceCoalesceMs: 10 });
    const client = sdkClient(url, { auth: { name: 'Ana' }, socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
    const room = await client.join('m');
    const luis = sdkClient(url, { auth: { name: 'Luis' } });
    await luis.join('m');
    await waitFor(() => expect(room.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
    cutFromClient(client);
    luis.close();
    await waitFor(() => expect(client.state).toBe('connected'));
    await waitFor(() => expect(room.members.map((m) => m.name)).toEqual(['Ana']));
  });

  it('leave() fails what is still queued with NOT_IN_ROOM', async () => {
    const { url } = await startChat();
    const client = sdkClient(url, { socketOptions: { reconnectionDelay: 5000, reconnectionDelayMax: 5000 } });
    const room = await client.join('l');
    cutFromClient(client);
    const sent = room.send('never');
    await room.leave();
    await expect(sent).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    expect(client.getRoom('l')).toBeUndefined();
  });
});

// The client stays offline while a bot posts 3.5 history pages; on the way back it must re-join
// `since` what it had and page forward to the end before it calls itself joined again.
async function longOutage(options: ChatServerOptions): Promise<void> {
  const { url, chat } = await startChat({ ...options, limits: { maxHistoryPage: 100, defaultHistoryPage: 20 } });
  const bot = { id: 'bot', name: 'Bot' };
  for (let i = 1; i <= 5; i++) await chat.sendMessage('long', { user: bot, text: `before ${i}` });
  const client = sdkClient(url, { auth: { name: 'Away' } });
  const room = await client.join('long');
  expect(room.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  const announced: number[] = [];
  room.on('message', (m) => announced.push(m.seq));
  // What the room holds the moment it is joined again, before the gap filler could help.
  const atRejoin = new Promise<number[]>((resolve) => {
    let back = false;
    client.on('state', (state) => (back ||= state === 'connected'));
    room.on('updated', () => {
      if (back && room.state === 'joined') resolve(room.messages.map((m) => m.seq));
    });
  });

  client.socket.io.reconnection(false);
  cutFromClient(client);
  await waitFor(() => expect(client.state).toBe('reconnecting'));
  const total = 5 + 350;
  for (let i = 6; i <= total; i++) await chat.sendMessage('long', { user: bot, text: `while away ${i}` });
  client.socket.io.reconnection(true);
  client.socket.connect();

  const all = Array.from({ length: total }, (_, i) => i + 1);
  expect(await atRejoin).toEqual(all);
  expect(announced).toEqual(all.slice(5));
  expect(new Set(room.messages.map((m) => m.id)).size).toBe(total);
  expect(room.messages.at(-1)?.text).toBe(`while away ${total}`);
}

describe('a reconnect after a gap longer than several history pages loses nothing and doubles nothing', () => {
  it('on the memory store', async () => {
    await longOutage({ store: new MemoryStore() });
  });

  describe.skipIf(skipWithoutPostgres())('on PostgreSQL', () => {
    const schema = useTestSchema();
    it('on the PostgreSQL store', async () => {
      const store = new PostgresStore({ pool: schema.pool() });
      await store.init();
      await longOutage({ store });
    });
  });
});

describe('a message lost while connected', () => {
  it('is fetched when the seqs show a hole that lasts', async () => {
    const { url, chat } = await startChat();
    const room = await sdkClient(url).join('gap');
    await chat.sendMessage('gap', { user: { id: 'bot', name: 'Bot' }, text: 'one' });
    // Stored but never broadcast: what a lost broadcast looks like to a client.
    await chat.store.appendMessage({
      roomId: 'gap',
      clientId: 'lost',
      user: { id: 'bot', name: 'Bot' },
      text: 'two (lost)',
      attachments: [],
    });
    await chat.sendMessage('gap', { user: { id: 'bot', name: 'Bot' }, text: 'three' });
    await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['one', 'two (lost)', 'three']));
  });

  it('steps over a hole the store no longer has (trimmed), and asks from the new place next time', async () => {
    const { url, chat } = await startChat({ store: new MemoryStore({ maxMessagesPerRoom: 2 }) });
    const room = await sdkClient(url).join('trim');
    const asked: unknown[] = [];
    for (const s of chat.io.of('/').sockets.values()) {
      s.onAny((event: string, payload: { after?: number }) => {
        if (event === 'message:history') asked.push(payload.after);
      });
    }
    const bot = { id: 'bot', name: 'Bot' };
    const lost = (text: string) => chat.store.appendMessage({ roomId: 'trim', clientId: text, user: bot, text, attachments: [] });
    // Seqs 1 and 2 are never broadcast, and 1 is trimmed before the client can fetch it.
    await lost('one (lost, trimmed)');
    await lost('two (lost)');
    await chat.sendMessage('trim', { user: bot, text: 'three' });
    await waitFor(() => expect(room.messages.map((m) => m.seq)).toEqual([2, 3]));
    expect(asked).toEqual([0]);
    // A later hole is asked for from after the step, not from the old hole again.
    await lost('four (lost)');
    await chat.sendMessage('trim', { user: bot, text: 'five' });
    await waitFor(() => expect(room.messages.map((m) => m.seq)).toEqual([2, 3, 4, 5]));
    expect(asked).toEqual([0, 3]);
  });

  it('steps over a hole the server cannot fill (ephemeral rooms) without asking forever', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'eph-gap', options: { ephemeral: true } });
    const requests: string[] = [];
    // The re-join's catch-up of changes (`changedAfter`) is not a request for the hole.
    chat.io.on('connection', (s) =>
      s.onAny((event: string, payload: { changedAfter?: number }) => {
        if (payload.changedAfter === undefined) requests.push(event);
      }),
    );
    // What was sent before a client joined an ephemeral room is not a hole for it.
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'one' });
    const client = sdkClient(url);
    const joinedLate = await client.join('eph-gap');
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'two' });
    await waitFor(() => expect(joinedLate.messages.map((m) => m.seq)).toEqual([2]));
    // Away while 3 goes by: after the re-join, 4 shows a hole the server cannot fill.
    await awayAndBack(chat, 'eph-gap', async () => {
      await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'three' });
    });
    const steppedOver = new Promise((resolve) => joinedLate.once('discontinuity', resolve));
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'four' });
    // The hole is asked about once; with nothing to fill it, the room steps over it (and says so).
    expect(await steppedOver).toEqual({ reason: 'gap', after: 2, resumedAt: 4 });
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'five' });
    await waitFor(() => expect(joinedLate.messages.map((m) => m.seq)).toEqual([2, 4, 5]));
    expect(requests.filter((e) => e === 'message:history').length).toBe(1);
  });
});
