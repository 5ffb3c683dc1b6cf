import { describe, expect, it } from 'vitest';
import { ChatError, type Message } from '@chat/protocol';
import { MemoryStore } from '../../server/src/store/memory-store.js';
import { PostgresStore } from '../../server/src/store/postgres/postgres-store.js';
import type { MessageDraft } from '../../server/src/core/chat-store.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import { rawSocket, request, sdkClient, startChat } from '../../../test-support/servers.js';
import { Gate } from '../../../test-support/gate.js';
import { waitFor } from '../../../test-support/wait.js';

// A store that stalls past the request timeout and then stores the message after all: the
// sender is told the outcome is unknown, and resending with the same clientId stores it once.
describe('a send whose outcome is unknown', () => {
  it('answers TIMEOUT (not a failure), and the SDK resends with the same clientId: stored once', async () => {
    // The store stalls until the server has answered the send with TIMEOUT (it reports that).
    const stall = new Gate();
    stall.close();
    class StallingStore extends MemoryStore {
      override async appendMessage(draft: MessageDraft) {
        await stall.wait();
        return super.appendMessage(draft);
      }
    }
    const store = new StallingStore();
    const { url, chat } = await startChat({ store, requestTimeoutMs: 200 });
    chat.on('error', (error) => {
      if (/not answered/u.test(error.message)) stall.open();
    });
    const room = await sdkClient(url).join('r');
    const sent = await room.send('hello once');
    expect(sent.text).toBe('hello once');
    const page = await store.listMessages('r', { limit: 10 });
    expect(page.messages.map((m) => [m.text, m.clientId])).toEqual([['hello once', sent.clientId]]);
    expect(room.outbox).toEqual([]);
    expect(room.messages.map((m) => m.id)).toEqual([sent.id]);

    stall.close();
    const raw = await rawSocket(url);
    await request(raw, 'room:join', { roomId: 'r' });
    expect(await request(raw, 'message:send', { roomId: 'r', clientId: 'k1', text: 'raw' })).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT', message: expect.stringMatching(/may still go through/u) },
    });
    expect(new ChatError('TIMEOUT', 'x').retryable).toBe(true);
  });

  it('room.retry() of a failed message keeps its clientId, so a copy stored after all is not doubled', async () => {
    let failAfterStoring = 1;
    class LossyStore extends MemoryStore {
      override async appendMessage(draft: MessageDraft) {
        const result = await super.appendMessage(draft);
        if (failAfterStoring-- > 0) throw new Error('connection reset after commit');
        return result;
      }
    }
    const store = new LossyStore();
    const { url, chat } = await startChat({ store });
    chat.on('error', () => undefined);
    const room = await sdkClient(url).join('r');
    const failed = await room.send('only once').catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'INTERNAL' });
    const [entry] = room.outbox;
    expect(entry).toMatchObject({ status: 'failed', text: 'only once' });
    const retried: Message = await room.retry(entry?.clientId as string);
    expect(retried.clientId).toBe(entry?.clientId);
    const page = await store.listMessages('r', { limit: 10 });
    expect(page.messages.map((m) => m.text)).toEqual(['only once']);
    expect(room.outbox).toEqual([]);
    await expect(room.retry('no-such-id')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
  });

  const schema = skipWithoutPostgres() ? undefined : useTestSchema();
  it.skipIf(schema === undefined)('PostgreSQL frozen by a lock past the timeout: one row, and the sender gets it', async () => {
    const pool = (schema as ReturnType<typeof useTestSchema>).pool();
    const store = new PostgresStore({ pool });
    const { url, chat } = await startChat({ store, requestTimeoutMs: 300 });
    let timedOut = 0;
    chat.on('error', (error) => {
      if (/not answered/u.test(error.message)) timedOut++;
    });
    const room = await sdkClient(url).join('frozen');
    const sends: string[] = [];
    for (const socket of chat.io.of('/').sockets.values()) socket.onAny((event: string) => sends.push(event));
    // Another session holds the room's row lock: every append waits on it.
    const locker = await pool.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM chat_rooms WHERE id = $1 FOR UPDATE', ['frozen']);
    const sending = room.send('through the freeze');
    // The first send timed out and the SDK sent it again (same clientId), both waiting on the lock.
    await waitFor(() => expect(timedOut).toBeGreaterThanOrEqual(1));
    await waitFor(() => expect(sends.filter((e) => e === 'message:send').length).toBeGreaterThanOrEqual(2));
    await locker.query('COMMIT');
    locker.release();
    const sent = await sending;
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM chat_messages WHERE room_id = $1', ['frozen']);
    expect(rows[0]?.n).toBe('1');
    expect(sent.text).toBe('through the freeze');
    expect(room.outbox).toEqual([]);
  });
});
