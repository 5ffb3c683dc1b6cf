// A store of a host's own with the core alone (docs/storage.md, "Writing another store"): what the
// server serves on it, what each part it lacks answers, and the options it refuses.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@chat/protocol';
import { createChatServer, MemoryStore, webPush, type ChatStoreCore } from '../index.js';
import { coreOnlyStore } from '../store/core-only-store-fixtures.js';
import { vapid } from '../plugins/push/push-fixtures.js';
import { okData, request } from '../../../../test-support/servers.js';
import { connect, fresh, join, say, startWithRest } from '../capabilities/conversations/conversation-fixtures.js';

describe('a store with the core alone', () => {
  it('serves rooms, messages, history, threads, read marks, conversations and bans', async () => {
    const { url, chat } = await startWithRest({ store: coreOnlyStore() });
    const [ana, luis, town] = [fresh('ana'), fresh('luis'), fresh('town')];
    const anaSocket = await connect(url, ana);
    const luisSocket = await connect(url, luis);
    await join(anaSocket, town);
    await join(luisSocket, town);
    const first = await say(anaSocket, town, 'hola');
    const reply = okData(
      await request(luisSocket, 'message:send', { roomId: town, clientId: 'r1', text: 'in the thread', threadOf: first.id }),
    ).message;
    expect(reply.threadOf).toBe(first.id);
    const history = okData(await request(luisSocket, 'message:history', { roomId: town, limit: 10 }));
    expect(history.messages.map((m) => m.text)).toEqual(['hola']);
    const thread = okData(await request(anaSocket, 'message:history', { roomId: town, threadOf: first.id, limit: 10 }));
    expect(thread.messages.map((m) => m.text)).toEqual(['in the thread']);
    okData(await request(luisSocket, 'read:mark', { roomId: town, seq: first.seq }));
    const rows = okData(await request(luisSocket, 'conversations:list', {})).conversations;
    expect(rows.map((row) => [row.room.id, row.unread])).toEqual([[town, 0]]);

    // Bans are the core's standings: they hold, and the host hears of an action no log keeps (id '').
    const heard: AuditEntry[] = [];
    chat.on('moderation', (entry) => heard.push(entry));
    const entry = await chat.ban(town, luis, { reason: 'spam' });
    expect(entry).toMatchObject({ id: '', action: 'ban', targetUserId: luis, reason: 'spam' });
    expect(heard).toEqual([entry]);
    const again = await connect(url, luis);
    expect(await request(again, 'room:join', { roomId: town })).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  });

  it('answers FORBIDDEN, naming the part, where a part it lacks is needed; nothing is half done', async () => {
    const { url, chat } = await startWithRest({ store: coreOnlyStore() });
    const [ana, luis, town] = [fresh('ana'), fresh('luis'), fresh('town')];
    const socket = await connect(url, ana);
    const luisSocket = await connect(url, luis);
    await join(socket, town);
    await join(luisSocket, town);
    const said = await say(socket, town, 'hola');
    const refusal = (part: string) => ({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(`(${part})`) } });
    expect(await request(socket, 'message:search', { query: 'hola' })).toMatchObject(refusal('SearchStore'));
    expect(await request(luisSocket, 'message:report', { roomId: town, messageId: said.id, reason: 'rude' })).toMatchObject(
      refusal('ModerationStore'),
    );
    await expect(chat.auditLog(town)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('ModerationStore') });
    await expect(chat.reports(town)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const exported = async () => {
      for await (const chunk of chat.exportUser(ana)) void chunk;
    };
    await expect(exported()).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('UserDataStore') });
    await expect(chat.eraseUser(ana)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('UserDataStore') });
    // The refused erase did nothing: Ana is still connected, and her message is there.
    expect(socket.connected).toBe(true);
    expect((await chat.store.getMessage(town, said.id))?.text).toBe('hola');
    // A room that would keep messages for a time needs RetentionStore, on every path that sets it.
    await expect(chat.createRoom({ id: fresh('kept'), options: { retentionDays: 30 } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('RetentionStore'),
    });
    await expect(chat.updateRoom(town, { options: { retentionDays: 30 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await chat.getRoom(town))?.options.retentionDays).toBeUndefined();
  });

  it('is refused by createChatServer with an option whose part it lacks, and when it has part of a part', () => {
    const http = createServer();
    const store = coreOnlyStore();
    expect(() => createChatServer(http, { store, push: webPush({ ...vapid, subject: 'mailto:ops@chat.example' }) })).toThrow(
      'The push option needs the store part PushStore (savePushSubscription, listPushSubscriptions, removePushSubscription), which this store does not provide',
    );
    expect(() => createChatServer(http, { store, retention: { days: 30 } })).toThrow(
      'The retention.days option needs the store part RetentionStore (scanRooms, expireMessages)',
    );
    const memory = new MemoryStore();
    const halfPush: ChatStoreCore = {
      ...coreOnlyStore(memory),
      savePushSubscription: memory.savePushSubscription.bind(memory),
    } as ChatStoreCore;
    expect(() => createChatServer(http, { store: halfPush })).toThrow(
      "The store has some of PushStore's methods but not listPushSubscriptions, removePushSubscription",
    );
    expect(http.listenerCount('request')).toBe(0);
  });

  it('serves a frozen store, and reads a method replaced after the server was made', async () => {
    const store = Object.freeze(coreOnlyStore()) as ChatStoreCore;
    const { url, chat } = await startWithRest({ store });
    const [ana, town] = [fresh('ana'), fresh('town')];
    const socket = await connect(url, ana);
    await join(socket, town);
    expect((await say(socket, town, 'hola')).text).toBe('hola');
    const open: Record<string, unknown> = { ...coreOnlyStore() };
    const { chat: again } = await startWithRest({ store: open as unknown as ChatStoreCore });
    open['getRoom'] = async () => ({ id: 'replaced', options: {}, createdAt: new Date(0).toISOString() });
    expect((await again.getRoom('anything'))?.id).toBe('replaced');
    expect(await chat.getRoom(fresh('none'))).toBeNull();
  });

  it('is the store itself when it provides every part (MemoryStore)', async () => {
    const store = new MemoryStore();
    const { chat } = await startWithRest({ store });
    expect(chat.store).toBe(store);
  });
});
