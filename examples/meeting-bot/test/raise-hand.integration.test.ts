// The worked example of docs/plugins.md, tested as a built-in capability is: both stores, two
// processes through Redis, bad input, the audience of its REST route, a person's data.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ChatHandshake, ChatServerOptions, ChatStore } from '@chat/server';
import { ChatError } from '@chat/protocol';
import { raiseHand, type HandsEvent } from '../src/raise-hand.js';
import { bothStores } from '../../../test-support/stores.js';
import { rawSocket, sdkClient, startChat } from '../../../test-support/servers.js';
import { startClusterChats } from '../../../test-support/cluster.js';
import { skipWithoutRedis } from '../../../test-support/redis.js';
import { waitFor } from '../../../test-support/wait.js';

// People by the id they send: the tests need stable ids for a person's data.
const authenticate = (handshake: ChatHandshake) => ({ id: String(handshake.auth['id']), name: String(handshake.auth['name']) });
const person = (id: string, name: string) => ({ auth: { id, name } as unknown as { name: string } });
// On PostgreSQL the file's tests share one schema: each test has rooms and people of its own.
const fresh = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

async function chatWithRest(options: ChatServerOptions) {
  // The REST handler is made once the chat server is: the HTTP server's listener reads it then.
  const mounted: { rest?: ReturnType<Awaited<ReturnType<typeof startChat>>['chat']['httpHandler']> } = {};
  const http = createServer((req, res) => mounted.rest?.(req, res, () => res.writeHead(404).end()));
  const started = await startChat({ authenticate, plugins: [raiseHand], ...options }, http);
  mounted.rest = started.chat.httpHandler();
  await started.chat.ready();
  return started;
}

async function getHands(url: string, roomId: string, as: { id: string; name: string }) {
  const res = await fetch(`${url}/hands/${roomId}`, { headers: { 'x-chat-auth': encodeURIComponent(JSON.stringify(as)) } });
  return { status: res.status, body: (await res.json()) as { hands?: HandsEvent['hands']; error?: { code: string; message: string } } };
}

describe.each(bothStores())('raise hand (docs/plugins.md), %s', (_name, makeStore) => {
  it('raises with an ack, tells the room, and a later join brings the hands', async () => {
    const standup = fresh('standup');
    const anaId = fresh('ana');
    const luisId = fresh('luis');
    const evaId = fresh('eva');
    const { url } = await chatWithRest({ store: makeStore() });
    const ana = sdkClient(url, person(anaId, 'Ana'));
    const luis = sdkClient(url, person(luisId, 'Luis'));
    await ana.join(standup);
    await luis.join(standup);
    const heard: HandsEvent[] = [];
    luis.on('hand:changed', (event) => heard.push(event));

    const answer = await ana.request('hand:raise', { roomId: standup, raised: true });
    expect(answer.hands.map((h) => h.name)).toEqual(['Ana']);
    await waitFor(() => expect(heard.at(-1)?.hands.map((h) => h.userId)).toEqual([anaId]));

    const eva = sdkClient(url, person(evaId, 'Eva'));
    const room = await eva.join(standup);
    expect(room.plugins['raise-hand']).toEqual({ hands: [expect.objectContaining({ userId: anaId, name: 'Ana' })] });

    await luis.request('hand:raise', { roomId: standup, raised: true });
    const lowered = await ana.request('hand:raise', { roomId: standup, raised: false });
    expect(lowered.hands.map((h) => h.userId)).toEqual([luisId]);
  });

  it('refuses bad input and rooms not joined with a sentence, and stores nothing', async () => {
    const standup = fresh('standup');
    const other = fresh('other');
    const anaId = fresh('ana');
    const { url } = await chatWithRest({ store: makeStore() });
    const ana = sdkClient(url, person(anaId, 'Ana'));
    await ana.join(standup);
    const bad = await ana.request('hand:raise', { roomId: standup, raised: 'yes' as unknown as boolean }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ChatError);
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/"hand:raise": raised: .{10,}/u) as string });
    const elsewhere = await ana.request('hand:raise', { roomId: other, raised: true }).catch((e: unknown) => e);
    expect(elsewhere).toMatchObject({ code: 'NOT_IN_ROOM' });
    // A raw socket that sends no payload at all is answered, not dropped.
    const raw = await rawSocket(url, { id: 'raw', name: 'Raw' });
    const none = (await (raw as unknown as { timeout(ms: number): { emitWithAck(e: string): Promise<unknown> } })
      .timeout(5000)
      .emitWithAck('hand:raise')) as { ok: boolean; error: { code: string } };
    expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // Read by someone who joins now (ana's room is the one her first join made): nothing was stored.
    const eva = sdkClient(url, person(fresh('eva'), 'Eva'));
    expect((await eva.join(standup)).plugins['raise-hand']).toEqual({ hands: [] });
  });

  it('lists hands over REST to those who may read the room, and refuses others', async () => {
    const board = fresh('board');
    const anaId = fresh('ana');
    const malloryId = fresh('mallory');
    const { url, chat } = await chatWithRest({ store: makeStore() });
    await chat.createRoom({ id: board, options: { private: true }, createdBy: anaId });
    const ana = sdkClient(url, person(anaId, 'Ana'));
    await ana.join(board);
    await ana.request('hand:raise', { roomId: board, raised: true });
    const mine = await getHands(url, board, { id: anaId, name: 'Ana' });
    expect([mine.status, mine.body.hands?.map((h) => h.userId)]).toEqual([200, [anaId]]);
    const stranger = await getHands(url, board, { id: malloryId, name: 'Mallory' });
    expect([stranger.status, stranger.body.error?.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('a hand goes down when its user leaves the meeting: the room, or the last tab they had in it', async () => {
    const standup = fresh('standup');
    const [anaId, luisId, evaId] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const { url } = await chatWithRest({ store: makeStore() });
    const [ana, luis, eva] = [
      sdkClient(url, person(anaId, 'Ana')),
      sdkClient(url, person(luisId, 'Luis')),
      sdkClient(url, person(evaId, 'Eva')),
    ];
    await ana.join(standup);
    await luis.join(standup);
    const evaRoom = await eva.join(standup);
    await ana.request('hand:raise', { roomId: standup, raised: true });
    await eva.request('hand:raise', { roomId: standup, raised: true });
    const heard: HandsEvent[] = [];
    luis.on('hand:changed', (event) => heard.push(event));

    await evaRoom.leave();
    await waitFor(() => expect(heard.at(-1)?.hands.map((h) => h.userId)).toEqual([anaId]));
    ana.close();
    await waitFor(() => expect(heard.at(-1)?.hands).toEqual([]));
    expect((await getHands(url, standup, { id: luisId, name: 'Luis' })).body.hands).toEqual([]);
  });

  it("exports and erases a person's hands, and the room sees it go down", async () => {
    const standup = fresh('standup');
    const anaId = fresh('ana');
    const luisId = fresh('luis');
    const { url, chat } = await chatWithRest({ store: makeStore() });
    const ana = sdkClient(url, person(anaId, 'Ana'));
    const luis = sdkClient(url, person(luisId, 'Luis'));
    await ana.join(standup);
    await luis.join(standup);
    await ana.request('hand:raise', { roomId: standup, raised: true });
    let exported = '';
    for await (const chunk of chat.exportUser(anaId)) exported += chunk;
    const doc = JSON.parse(exported) as { plugins?: Record<string, unknown> };
    expect(doc.plugins?.['raise-hand']).toEqual([expect.objectContaining({ roomId: standup, userId: anaId, name: 'Ana' })]);

    const heard: HandsEvent[] = [];
    luis.on('hand:changed', (event) => heard.push(event));
    await chat.eraseUser(anaId);
    await waitFor(() => expect(heard.at(-1)?.hands).toEqual([]));
    const again = await luis.request('hand:raise', { roomId: standup, raised: false });
    expect(JSON.stringify(again)).not.toContain('Ana');
  });
});

describe.skipIf(skipWithoutRedis())('raise hand across two processes (one Redis)', () => {
  it.each(bothStores())('a hand raised on one process reaches the room on the other, %s', async (_name, makeStore) => {
    const [standup, anaId, luisId, evaId] = [fresh('standup'), fresh('ana'), fresh('luis'), fresh('eva')];
    let shared: ChatStore | undefined;
    // One store for both, as two processes share one database (a MemoryStore stands in for it here).
    const [a, b] = await startClusterChats(2, { authenticate, plugins: [raiseHand] }, {}, () => (shared ??= makeStore()));
    const ana = sdkClient(a!.url, person(anaId, 'Ana'));
    const luis = sdkClient(b!.url, person(luisId, 'Luis'));
    await ana.join(standup);
    await luis.join(standup);
    const heard: HandsEvent[] = [];
    luis.on('hand:changed', (event) => heard.push(event));
    await ana.request('hand:raise', { roomId: standup, raised: true });
    await waitFor(() => expect(heard.at(-1)?.hands.map((h) => h.userId)).toEqual([anaId]));
    const eva = sdkClient(b!.url, person(evaId, 'Eva'));
    expect((await eva.join(standup)).plugins['raise-hand']).toEqual({ hands: [expect.objectContaining({ userId: anaId })] });
    // Ana leaves on her process: the room on the other hears her hand go down.
    ana.close();
    await waitFor(() => expect(heard.at(-1)?.hands).toEqual([]));
  });
});
