import { describe, expect, it } from 'vitest';
import { ChatError, type Message } from '@chat/protocol';
import { MemoryStore, type ChatStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { awayAndBack, sdkClient, startChat } from '../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import { waitFor } from '../../../test-support/wait.js';

// `room.around(seq)`: the history around an old message (a search result's) loaded apart from the
// room's messages, paged both ways, kept current, and put into `room.messages` with no hole and no
// duplicate once it reaches them. Real server, both stores.

const ana = { id: 'ana', name: 'Ana' };
const texts = (messages: readonly Message[]) => messages.map((m) => m.text);
/** `m 0` ... `m n-1`: what the room holds from message `from` to `to` (inclusive). */
const run = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `m ${from + i}`);

function suite(name: string, store: () => Promise<ChatStore>) {
  describe(name, () => {
    it('loads 300 messages’ message 20 with its neighbours, pages both ways, and joins the room’s messages', async () => {
      const { chat, url } = await startChat({ store: await store() });
      const sent: Message[] = [];
      for (let i = 0; i < 300; i++) {
        sent.push(await chat.sendMessage('window-long', { user: ana, text: `m ${i}` }));
        // A thread reply between two messages: a seq the main log never holds, and no hole.
        if (i === 30) await chat.sendMessage('window-long', { user: ana, text: 'reply', threadOf: sent[10]!.id });
      }
      const client = sdkClient(url, { auth: { name: 'Luis' }, autoAway: false });
      const room = await client.join('window-long');
      const joined = texts(room.messages);
      expect(joined.at(-1)).toBe('m 299');
      expect(joined).not.toContain('m 20');

      const window = await room.around(sent[20]!.seq, { limit: 20 });
      // Message 20 and ten on each side of it: nothing of the 250 between it and the room's.
      expect(texts(window.messages)).toEqual(run(11, 30));
      expect([window.hasOlder, window.hasNewer, window.merged]).toEqual([true, true, false]);
      expect(texts(room.messages)).toEqual(joined);

      await window.older();
      expect(texts(window.messages)).toEqual(run(0, 30));
      expect(window.hasOlder).toBe(false);

      // A change to one of its messages reaches it; a new message of the room does not.
      let updates = 0;
      window.on('updated', () => updates++);
      await chat.editMessage('window-long', sent[15]!.id, 'm 15 (edited)');
      await chat.sendMessage('window-long', { user: ana, text: 'm 300' });
      await waitFor(() => expect(window.messages.find((m) => m.id === sent[15]!.id)?.text).toBe('m 15 (edited)'));
      await waitFor(() => expect(texts(room.messages).at(-1)).toBe('m 300'));
      expect(updates).toBe(1);
      expect(window.messages).toHaveLength(31);

      while (!window.merged) await window.newer();
      // The window reached the room's messages: one list from message 0 to the newest.
      const expected = [...run(0, 300)];
      expected[15] = 'm 15 (edited)';
      expect(texts(room.messages)).toEqual(expected);
      expect(new Set(room.messages.map((m) => m.seq)).size).toBe(room.messages.length);
      expect(room.hasMoreHistory).toBe(false);
      client.close();
    }, 60_000);

    it('a window not merged catches up after a reconnect: changes in its run, messages after it, then it joins', async () => {
      // Pages of 10: the re-join pages forward, and the window's changes come in more than one page.
      const limits = { defaultHistoryPage: 10, maxHistoryPage: 50 };
      const { chat, url } = await startChat({ store: await store(), limits });
      const roomId = 'window-away';
      const sent: Message[] = [];
      for (let i = 0; i < 100; i++) sent.push(await chat.sendMessage(roomId, { user: ana, text: `m ${i}` }));
      const client = sdkClient(url, { auth: { name: 'Luis' }, autoAway: false });
      const room = await client.join(roomId);
      expect(texts(room.messages)).toEqual(run(90, 99));
      const window = await room.around(sent[20]!.seq, { limit: 20 });
      expect(texts(window.messages)).toEqual(run(11, 30));

      // While away: every message of the window changes (one deleted), one between the window
      // and the room's changes, and more than a page of new messages is sent.
      const expected = run(0, 129);
      await awayAndBack(chat, roomId, async () => {
        for (let i = 11; i <= 30; i++) {
          if (i === 22) await chat.deleteMessage(roomId, sent[i]!.id);
          else await chat.editMessage(roomId, sent[i]!.id, (expected[i] = `m ${i} (away)`));
        }
        await chat.editMessage(roomId, sent[50]!.id, (expected[50] = 'm 50 (away)'));
        for (let i = 100; i < 130; i++) await chat.sendMessage(roomId, { user: ana, text: `m ${i}` });
      });
      expected[22] = '';
      await waitFor(() => expect(texts(window.messages)).toEqual(expected.slice(11, 31)));
      expect(window.messages.find((m) => m.id === sent[22]!.id)?.deletedAt).toBeDefined();
      await waitFor(() => expect(texts(room.messages)).toEqual(expected.slice(90)));
      expect(window.merged).toBe(false);

      while (!window.merged) await window.newer();
      // One run from the window's first message to the newest: no hole, no duplicate.
      expect(texts(room.messages)).toEqual(expected.slice(11));
      expect(new Set(room.messages.map((m) => m.seq)).size).toBe(room.messages.length);
      client.close();
    }, 60_000);

    it('a window around a message the room holds joins at once; a refused one says why', async () => {
      const { chat, url } = await startChat({ store: await store() });
      const sent: Message[] = [];
      for (let i = 0; i < 80; i++) sent.push(await chat.sendMessage('window-near', { user: ana, text: `m ${i}` }));
      const client = sdkClient(url, { auth: { name: 'Luis' }, autoAway: false });
      const room = await client.join('window-near');
      const oldest = room.messages[0]!;
      expect(oldest.seq).toBeGreaterThan(sent[20]!.seq);

      // Message 20's window of 40 ends past the oldest message the room holds: merged at once.
      const window = await room.around(sent[20]!.seq, { limit: 40 });
      expect(window.merged).toBe(true);
      expect(texts(room.messages)).toEqual(run(1, 79));
      expect(room.hasMoreHistory).toBe(true);
      await room.history();
      expect(texts(room.messages)).toEqual(run(0, 79));

      const refusal = await room.around(-3).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ChatError);
      expect(refusal).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((refusal as ChatError).message).toMatch(/\w+ \w+/u);
      client.close();
    }, 30_000);
  });
}

suite('memory store', () => Promise.resolve(new MemoryStore()));

describe.skipIf(skipWithoutPostgres())('on PostgreSQL', () => {
  const schema = useTestSchema();
  suite('PostgreSQL store', async () => {
    const store = new PostgresStore({ pool: schema.pool() });
    await store.init();
    return store;
  });
});
