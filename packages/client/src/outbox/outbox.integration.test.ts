import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { ChatError, type Message } from '@chat/protocol';
import type { ChatServer } from '@chat/server';
import { outboxesOfTwoPages } from '../../../../test-support/outbox-stores.js';
import { sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import type { ChatClient } from '../chat-client.js';
import type { ChatRoom } from '../chat-room.js';
import { indexedDbOutbox, type OutboxLocks } from './indexeddb-outbox.js';
import type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox-store.js';

/** A guest that stays the same user across clients (the same secret guest key). */
const ana = { name: 'Ana', guestKey: 'ana-secret-guest-key-0001' };
const luis = { name: 'Luis', guestKey: 'luis-secret-guest-key-001' };

/** Every `message:send` that reaches the server, as the clientIds sent (a resend counts again). */
function countSends(chat: ChatServer): string[] {
  const sent: string[] = [];
  chat.io.on('connection', (socket) =>
    socket.onAny((event: string, payload: { clientId?: string }) => {
      if (event === 'message:send' && payload.clientId) sent.push(payload.clientId);
    }),
  );
  return sent;
}

/** Locks shared by the clients of one test, as Web Locks are by the tabs of an origin. */
function sharedLocks(): OutboxLocks {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, task: () => Promise<T>): Promise<T> {
      const run = (tails.get(name) ?? Promise.resolve()).then(task);
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

const scopeOf = (url: string, room: ChatRoom): OutboxScope => ({ server: `${url}/`, userId: room.self?.id ?? '', roomId: room.id });
const texts = (messages: readonly Message[]) => messages.map((m) => m.text);

/**
 * A page that goes offline after joining, sends `lines`, and is closed (a reload) once the
 * store holds them. Returns the clientIds in send order.
 */
async function leaveUnsent(url: string, outbox: OutboxStore, roomId: string, lines: string[], auth = ana): Promise<string[]> {
  const page = sdkClient(url, { auth, outbox });
  const room = await page.join(roomId);
  page.socket.disconnect();
  const sends = lines.map((line) => room.send(line));
  const refused = Promise.allSettled(sends);
  const ids = room.outbox.map((e) => e.clientId);
  await waitFor(async () => expect((await outbox.load(scopeOf(url, room))).map((e) => e.clientId)).toEqual(ids));
  page.close();
  // The closed page's promises reject; the store keeps the entries for the next page.
  for (const result of await refused) expect(result.status).toBe('rejected');
  return ids;
}

async function storedTexts(chat: ChatServer, roomId: string): Promise<string[]> {
  return texts((await chat.store.listMessages(roomId, { limit: 100 })).messages);
}

describe('an outbox kept in IndexedDB (fake-indexeddb) survives the client', () => {
  it('messages sent offline go out once, in order, when the next client of the same user joins; acked ones leave the store', async () => {
    const { url, chat } = await startChat();
    const sent = countSends(chat);
    const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: false });
    const ids = await leaveUnsent(url, outbox, 'r', ['one', 'two', 'three']);
    expect(sent).toEqual([]);

    const next = sdkClient(url, { auth: ana, outbox });
    const room = await next.join('r');
    await waitFor(() => expect(texts(room.messages)).toEqual(['one', 'two', 'three']));
    expect(await storedTexts(chat, 'r')).toEqual(['one', 'two', 'three']);
    expect(sent).toEqual(ids);
    expect(room.messages.map((m) => m.clientId)).toEqual(ids);
    await waitFor(async () => expect(await outbox.load(scopeOf(url, room))).toEqual([]));
    expect(room.outbox).toEqual([]);
  });

  it('keeps a message sent while the first join is under way, and sends it after the ones left before', async () => {
    const { url, chat } = await startChat();
    const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: false });
    await leaveUnsent(url, outbox, 'r', ['left before']);
    const next = sdkClient(url, { auth: ana, outbox });
    const joined = next.join('r');
    const early = (next.getRoom('r') as ChatRoom).send('sent while joining');
    const room = await joined;
    expect((await early).text).toBe('sent while joining');
    await waitFor(async () => expect(await storedTexts(chat, 'r')).toEqual(['left before', 'sent while joining']));
    await waitFor(async () => expect(await outbox.load(scopeOf(url, room))).toEqual([]));
  });

  it('a refused message is still failed after a reload: not sent again until retried; discard forgets it', async () => {
    let refuse = true;
    const { url, chat } = await startChat({
      beforeMessage: (draft) => {
        if (refuse && draft.text.startsWith('bad')) throw new ChatError('FORBIDDEN', 'Not this one.');
        return draft;
      },
    });
    const sent = countSends(chat);
    const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: false });
    const first = sdkClient(url, { auth: ana, outbox });
    const firstRoom = await first.join('r');
    await expect(firstRoom.send('bad one')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(firstRoom.send('bad two')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const scope = scopeOf(url, firstRoom);
    await waitFor(async () => expect((await outbox.load(scope)).map((e) => e.status)).toEqual(['failed', 'failed']));
    first.close();

    const next = sdkClient(url, { auth: ana, outbox });
    const room = await next.join('r');
    await waitFor(() => expect(room.outbox.map((e) => [e.text, e.status, e.error?.code])).toHaveLength(2));
    expect(room.outbox.map((e) => [e.text, e.status, e.error?.code, e.error?.message])).toEqual([
      ['bad one', 'failed', 'FORBIDDEN', 'Not this one.'],
      ['bad two', 'failed', 'FORBIDDEN', 'Not this one.'],
    ]);
    await room.send('fine');
    expect(sent).toHaveLength(3); // the two refused ones were not sent again

    refuse = false;
    const [one, two] = room.outbox;
    expect((await room.retry(one?.clientId as string)).text).toBe('bad one');
    room.discard(two?.clientId as string);
    expect(room.outbox).toEqual([]);
    await waitFor(async () => expect(await outbox.load(scope)).toEqual([]));
    expect(await storedTexts(chat, 'r')).toEqual(['fine', 'bad one']);

    // And the next page has nothing left to send.
    const third = await sdkClient(url, { auth: ana, outbox }).join('r');
    expect(third.outbox).toEqual([]);
  });

  it('another user, or the same user on another server, never sends them', async () => {
    const { url, chat } = await startChat();
    const other = await startChat();
    const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: false });
    await leaveUnsent(url, outbox, 'r', ['from ana']);

    const luisRoom = await sdkClient(url, { auth: luis, outbox }).join('r');
    const anaElsewhere = await sdkClient(other.url, { auth: ana, outbox }).join('r');
    await luisRoom.send('from luis');
    await anaElsewhere.send('ana on the other server');
    expect(luisRoom.outbox).toEqual([]);
    expect(anaElsewhere.outbox).toEqual([]);
    expect(await storedTexts(chat, 'r')).toEqual(['from luis']);
    expect(await storedTexts(other.chat, 'r')).toEqual(['ana on the other server']);

    const anaBack = await sdkClient(url, { auth: ana, outbox }).join('r');
    await waitFor(async () => expect(await storedTexts(chat, 'r')).toEqual(['from luis', 'from ana']));
    await waitFor(() => expect(anaBack.outbox).toEqual([]));
  });

  describe('two clients of the same user over one store (two tabs)', () => {
    async function twoTabs(locks: OutboxLocks | false) {
      const { url, chat } = await startChat();
      const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks });
      const ids = await leaveUnsent(url, outbox, 'r', ['one', 'two', 'three', 'four']);
      const sent = countSends(chat);
      const tabs: ChatClient[] = [sdkClient(url, { auth: ana, outbox }), sdkClient(url, { auth: ana, outbox })];
      const rooms = await Promise.all(tabs.map((tab) => tab.join('r')));
      for (const room of rooms) {
        await waitFor(() => expect(texts(room.messages)).toEqual(['one', 'two', 'three', 'four']));
        await waitFor(() => expect(room.outbox).toEqual([]));
      }
      expect(await storedTexts(chat, 'r')).toEqual(['one', 'two', 'three', 'four']);
      await waitFor(async () => expect(await outbox.load(scopeOf(url, rooms[0] as ChatRoom))).toEqual([]));
      return { ids, sent };
    }

    it('with locks, each entry goes on the wire once', async () => {
      const { ids, sent } = await twoTabs(sharedLocks());
      expect(sent).toEqual(ids);
    });

    it('without locks, the server still stores each once (same clientId) and both see them sent', async () => {
      const { ids, sent } = await twoTabs(false);
      expect([...new Set(sent)].sort()).toEqual([...ids].sort());
    });
  });

  describe('two open tabs of the same user over one store, with locks', () => {
    it('the messages both wrote offline reach the server in the order they were written, whichever tab is back first', async () => {
      const { url, chat } = await startChat();
      const sent = countSends(chat);
      const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: sharedLocks() });
      const [first, second] = [sdkClient(url, { auth: ana, outbox }), sdkClient(url, { auth: ana, outbox })];
      const [firstRoom, secondRoom] = await Promise.all([first.join('r'), second.join('r')]);
      first.socket.disconnect();
      second.socket.disconnect();
      const written = ['one', 'two', 'three'].map((text) => firstRoom.send(text));
      // Orders are times in milliseconds (unique within a page): the other tab writes in a later one.
      const before = Date.now();
      await waitFor(() => expect(Date.now()).toBeGreaterThan(before));
      written.push(secondRoom.send('four'));
      const scope = scopeOf(url, firstRoom);
      await waitFor(async () => expect((await outbox.load(scope)).map((e) => e.text)).toEqual(['one', 'two', 'three', 'four']));

      // The tab that wrote last is back first: it sends what the other wrote before its own.
      second.socket.connect();
      expect((await written[3])?.text).toBe('four');
      expect(await storedTexts(chat, 'r')).toEqual(['one', 'two', 'three', 'four']);
      await waitFor(() => expect(texts(secondRoom.messages)).toEqual(['one', 'two', 'three', 'four']));
      expect(secondRoom.outbox).toEqual([]);

      // The other finds them delivered: its send() promises resolve, nothing goes twice.
      first.socket.connect();
      expect(texts(await Promise.all(written))).toEqual(['one', 'two', 'three', 'four']);
      await waitFor(() => expect(texts(firstRoom.messages)).toEqual(['one', 'two', 'three', 'four']));
      expect(firstRoom.outbox).toEqual([]);
      expect(sent).toHaveLength(4);
      expect(new Set(sent).size).toBe(4);
      expect(await outbox.load(scope)).toEqual([]);
    });

    it('a tab that waits while the other sends an entry it loaded shows it, when it comes in a batch', async () => {
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const { url, chat } = await startChat({ beforeMessage: async (draft) => (await gate, draft) });
      const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: sharedLocks() });
      const ids = await leaveUnsent(url, outbox, 'r', ['one']);
      const sent = countSends(chat);
      // Held on the server until the gate opens, then stored in one turn: the first goes out
      // alone, the next two (Ana's last) in one `messages` batch.
      const others = [sdkClient(url, { auth: luis }), sdkClient(url, { auth: { name: 'Bea', guestKey: 'bea-secret-guest-key-0001' } })];
      const theirs: Array<Promise<Message>> = [];
      for (const [i, other] of others.entries()) {
        theirs.push((await other.join('r')).send(i === 0 ? 'hi' : 'ho'));
        await waitFor(() => expect(sent).toHaveLength(i + 1));
      }
      const sending = await sdkClient(url, { auth: ana, outbox }).join('r');
      await waitFor(() => expect(sent).toHaveLength(3));
      const waiting = await sdkClient(url, { auth: ana, outbox }).join('r');
      await waitFor(() => expect(waiting.outbox.map((e) => e.text)).toEqual(['one']));
      open();
      for (const room of [sending, waiting]) {
        await waitFor(() => expect(texts(room.messages)).toEqual(['hi', 'ho', 'one']));
        await waitFor(() => expect(room.outbox).toEqual([]));
      }
      expect(texts(await Promise.all(theirs))).toEqual(['hi', 'ho']);
      expect(sent.filter((id) => ids.includes(id))).toEqual(ids); // once on the wire
    });
  });

  describe('two open tabs of the same user hearing the store', () => {
    it('with locks, a tab sends what the other wrote while that one is offline, once; the writer finds it sent', async () => {
      const { url, chat } = await startChat();
      const sent = countSends(chat);
      const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: sharedLocks() });
      const [online, offline] = [sdkClient(url, { auth: ana, outbox }), sdkClient(url, { auth: ana, outbox })];
      const [onlineRoom, offlineRoom] = await Promise.all([online.join('r'), offline.join('r')]);
      offline.socket.disconnect();
      const written = offlineRoom.send('written offline');
      await waitFor(() => expect(texts(onlineRoom.messages)).toEqual(['written offline']));
      expect(onlineRoom.outbox).toEqual([]);
      offline.socket.connect();
      expect((await written).text).toBe('written offline');
      await waitFor(() => expect(offlineRoom.outbox).toEqual([]));
      expect(texts(offlineRoom.messages)).toEqual(['written offline']);
      expect(sent).toHaveLength(1);
    });

    it('without locks, a tab leaves what the other sends to it: each goes on the wire once', async () => {
      const { url, chat } = await startChat();
      const sent = countSends(chat);
      const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: false });
      const [other, sending] = [sdkClient(url, { auth: ana, outbox }), sdkClient(url, { auth: ana, outbox })];
      const [otherRoom, room] = await Promise.all([other.join('r'), sending.join('r')]);
      const lines = ['one', 'two', 'three', 'four', 'five'];
      await Promise.all(lines.map((line) => room.send(line)));
      await waitFor(() => expect(texts(otherRoom.messages)).toEqual(lines));
      await waitFor(() => expect(otherRoom.outbox).toEqual([]));
      expect(sent).toHaveLength(lines.length);
    });
  });

  describe('a failed message both tabs of the user show, settled in one of them', () => {
    /**
     * Ana's tabs, over one store with locks: the first sent `bad`, refused; the second loaded it
     * failed. `quiet`: a store that does not tell its changes (no `watch`).
     */
    async function failedInBoth(quiet = false) {
      // `hold`: the server answers `bad` only once it settles.
      const server: { refuse: string | undefined; hold?: Promise<void> } = { refuse: 'Not this one.' };
      const { url, chat } = await startChat({
        beforeMessage: async (draft) => {
          if (draft.text === 'bad') await server.hold;
          if (server.refuse !== undefined && draft.text === 'bad') throw new ChatError('FORBIDDEN', server.refuse);
          return draft;
        },
      });
      const sent = countSends(chat);
      const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: sharedLocks() });
      if (quiet) delete outbox.watch;
      const [here, there] = [sdkClient(url, { auth: ana, outbox }), sdkClient(url, { auth: ana, outbox })];
      const room = await here.join('r');
      await expect(room.send('bad')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const clientId = room.outbox[0]?.clientId as string;
      await waitFor(async () => expect((await outbox.load(scopeOf(url, room))).map((e) => e.status)).toEqual(['failed']));
      const other = await there.join('r');
      await waitFor(() => expect(other.outbox.map((e) => [e.clientId, e.status])).toEqual([[clientId, 'failed']]));
      let updates = 0;
      room.on('updated', () => (updates += 1));
      return { chat, server, here, room, other, clientId, updates: () => updates, sent };
    }
    const shown = (room: ChatRoom) => room.outbox.map((e) => [e.text, e.status, e.error?.message]);

    it('discarded in the other tab: it leaves this one too, with `updated`', async () => {
      const { room, other, clientId, updates } = await failedInBoth();
      other.discard(clientId);
      await waitFor(() => expect(room.outbox).toEqual([]));
      expect(updates()).toBeGreaterThan(0);
    });

    it('retried in the other tab: this one shows it sending, then the new refusal', async () => {
      const { server, room, other, clientId, sent } = await failedInBoth();
      let answer = (): void => undefined;
      server.hold = new Promise<void>((resolve) => (answer = resolve));
      server.refuse = 'Still not this one.';
      const retried = other.retry(clientId);
      await waitFor(() => expect(shown(room)).toEqual([['bad', 'pending', undefined]]));
      answer();
      await expect(retried).rejects.toMatchObject({ message: 'Still not this one.' });
      await waitFor(() => expect(shown(room)).toEqual([['bad', 'failed', 'Still not this one.']]));
      // The first try and the retry; this tab, waiting for the lock, found it refused: not sent again.
      expect(sent).toEqual([clientId, clientId]);
    });

    it('retried in the other tab and refused again while this one was offline: once back, this one shows the new refusal', async () => {
      const { server, here, room, other, clientId } = await failedInBoth(true);
      here.socket.disconnect();
      server.refuse = 'Still not this one.';
      await expect(other.retry(clientId)).rejects.toMatchObject({ message: 'Still not this one.' });
      here.socket.connect();
      await waitFor(() => expect(shown(room)).toEqual([['bad', 'failed', 'Still not this one.']]));
    });

    it('retried in the other tab and delivered while this one was offline: shown as sent once back, not also failed', async () => {
      // A store that does not tell: this tab finds it out when it joins again.
      const { chat, server, here, room, other, clientId, sent } = await failedInBoth(true);
      here.socket.disconnect();
      server.refuse = undefined;
      expect((await other.retry(clientId)).text).toBe('bad');
      here.socket.connect();
      await waitFor(() => expect(texts(room.messages)).toEqual(['bad']));
      await waitFor(() => expect(room.outbox).toEqual([]));
      expect(await storedTexts(chat, 'r')).toEqual(['bad']);
      expect(sent).toEqual([clientId, clientId]);
    });
  });

  describe.each(outboxesOfTwoPages)('a page that sends over %s reads the store for its sends, not for its own writes', (_name, make) => {
    it('N messages sent at once: one read before each and one after the last, none after a put or a delete of its own', async () => {
      const { url, chat } = await startChat();
      const { store, another } = make('outbox-reads');
      let reads = 0;
      const counted: OutboxStore = { ...store, load: (scope) => ((reads += 1), store.load(scope)) };
      const room = await sdkClient(url, { auth: ana, outbox: counted }).join('r');
      await waitFor(() => expect(reads).toBe(1)); // the join loads what earlier pages left

      const lines = ['one', 'two', 'three', 'four', 'five'];
      await Promise.all(lines.map((line) => room.send(line)));
      expect(await storedTexts(chat, 'r')).toEqual(lines);
      // The drain's reads: one before each message, one that finds nothing left.
      await waitFor(() => expect(reads).toBe(1 + lines.length + 1));

      // Another page's write is told: this page reads the store once, and shows what it found.
      // Refreshes run one at a time: any read its own puts and deletes caused is counted by now.
      const row: StoredOutboxEntry = {
        clientId: 'from-another-page',
        roomId: 'r',
        text: 'refused there',
        attachments: [],
        status: 'failed',
        error: { code: 'FORBIDDEN', message: 'Not this one.' },
        createdAt: new Date().toISOString(),
        order: Date.now(),
      };
      await another.put(scopeOf(url, room), row, 'another-page');
      await waitFor(() => expect(room.outbox.map((e) => e.clientId)).toEqual(['from-another-page']));
      expect(reads).toBe(1 + lines.length + 1 + 1);
    });
  });

  it('a store that fails is reported once on the room, and messages still go out', async () => {
    const { url, chat } = await startChat();
    const broken: OutboxStore = {
      load: () => [],
      get: () => undefined,
      put: () => Promise.reject(new Error('QuotaExceededError')),
      delete: () => Promise.reject(new Error('QuotaExceededError')),
    };
    const client = sdkClient(url, { auth: ana, outbox: broken });
    const room = await client.join('r');
    const errors: ChatError[] = [];
    room.on('error', (error) => errors.push(error));
    await room.send('one');
    await room.send('two');
    expect(await storedTexts(chat, 'r')).toEqual(['one', 'two']);
    await waitFor(() => expect(errors.map((e) => e.code)).toEqual(['INTERNAL']));
    expect(errors[0]?.message).toBe('Messages waiting to be sent cannot be kept on this device: they will not survive a page reload.');
  });
});
