import { expect, it, vi } from 'vitest';
import { ChatError, type ChatUser, type Message } from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import { STORAGE_UNREACHABLE } from '../../core/storage-unreachable.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { okData, rawSocket, request, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Issue 29: a send whose batch PostgreSQL committed after the store's deadline. The sender was
// told it failed; nobody heard of the message. It is announced once in every case: when the
// resend comes back to the same process (as new), when it goes to another process of the cluster
// (answered there as a duplicate, as it must be), and when it never comes (the process that
// failed it finds it stored). Two chat servers on Redis (one, or a Redis Cluster) over one PostgreSQL
// schema.

const passThrough = (handshake: ChatHandshake): ChatUser => {
  const { id } = handshake.auth as Record<string, string | undefined>;
  if (!id) throw new ChatError('UNAUTHENTICATED', 'Who are you?');
  return { id, name: id };
};

eachRedis('a message stored after its send failed past the deadline', (redis, schema) => {
  async function cluster() {
    const poolA = schema.pool();
    const stores = [new PostgresStore({ pool: poolA }), new PostgresStore({ pool: schema.pool() })];
    let made = 0;
    const [a, b] = await startClusterChats(2, { authenticate: passThrough }, redis(), () => stores[made++]!);
    const roomId = `late-${made}-${Math.random().toString(36).slice(2, 8)}`;
    await a!.chat.createRoom({ id: roomId });
    // Every announce of the cluster (chat.on('message') runs on the process that stored it).
    const announced: Message[] = [];
    for (const { chat } of [a!, b!]) chat.on('message', (message) => announced.push(message));
    const join = async (url: string, id: string): Promise<RawSocket> => {
      const socket = await rawSocket(url, { id });
      okData(await request(socket, 'room:join', { roomId }));
      return socket;
    };
    const ana = await join(a!.url, 'ana');
    const luis = await join(b!.url, 'luis');
    const heard: Message[] = [];
    luis.on('message', (message) => heard.push(message));
    luis.on('messages', (batch) => heard.push(...batch.messages));
    /** A's next batch reaches PostgreSQL and commits, but its answer comes past the deadline. */
    const commitLate = () => {
      const query = poolA.query.bind(poolA) as (...args: unknown[]) => Promise<unknown>;
      // Every other query goes through as it is, with all its arguments (a read with values too).
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- pool.query's overloads include the callback form; the store calls the promise form only
      const spy = vi.spyOn(poolA, 'query').mockImplementation((...args: unknown[]) => {
        if (!(args[0] as { name?: string }).name?.startsWith('chat_append_batch')) return query(...args);
        spy.mockRestore();
        return query(...args).then(() => {
          throw new Error('Query read timeout');
        });
      });
    };
    const send = (socket: RawSocket, clientId: string, text: string) => request(socket, 'message:send', { roomId, clientId, text });
    /** Every announce before this message's has reached luis and the cluster's listeners. */
    const barrier = async (text: string) => {
      okData(await send(ana, `barrier-${text}`, text));
      await waitFor(() => expect(heard.map((m) => m.text)).toContain(text));
      await waitFor(() => expect(announced.map((m) => m.text)).toContain(text));
    };
    const count = (clientId: string) => ({
      heard: heard.filter((m) => m.clientId === clientId).length,
      announced: announced.filter((m) => m.clientId === clientId).length,
    });
    return { b: b!, roomId, ana, luis, heard, announced, commitLate, send, barrier, count, join };
  }

  const UNREACHABLE = { ok: false, error: { code: 'INTERNAL', message: STORAGE_UNREACHABLE } };

  it('is announced once by the process that failed it when the resend goes to another process (answered there as a duplicate)', async () => {
    const { b, commitLate, send, ana, barrier, count, join } = await cluster();
    commitLate();
    expect(await send(ana, 'c1', 'said in the cut')).toMatchObject(UNREACHABLE);
    // Ana's resend reaches the other process: the row is there, so it is a duplicate there.
    const anaOnB = await join(b.url, 'ana');
    const resent = okData(await send(anaOnB, 'c1', 'said in the cut'));
    expect(resent.message).toMatchObject({ clientId: 'c1', text: 'said in the cut', seq: 1 });
    // The process that failed it finds it stored and announces it.
    await waitFor(() => expect(count('c1')).toEqual({ heard: 1, announced: 1 }));
    await barrier('after');
    expect(count('c1')).toEqual({ heard: 1, announced: 1 });
  });

  it('is announced once when no resend ever comes', async () => {
    const { commitLate, send, ana, barrier, count } = await cluster();
    commitLate();
    expect(await send(ana, 'c2', 'never sent again')).toMatchObject(UNREACHABLE);
    await waitFor(() => expect(count('c2')).toEqual({ heard: 1, announced: 1 }));
    await barrier('after');
    expect(count('c2')).toEqual({ heard: 1, announced: 1 });
  });

  it('is announced once, by the resend, when the resend comes back to the same process', async () => {
    const { commitLate, send, ana, barrier, count } = await cluster();
    commitLate();
    expect(await send(ana, 'c3', 'sent twice')).toMatchObject(UNREACHABLE);
    // At once: before the process looks for it (a second after the failure).
    const resent = okData(await send(ana, 'c3', 'sent twice'));
    expect(resent.message).toMatchObject({ clientId: 'c3', seq: 1 });
    await waitFor(() => expect(count('c3')).toEqual({ heard: 1, announced: 1 }));
    // Past the process's first look for it: it does not announce it again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await barrier('after');
    expect(count('c3')).toEqual({ heard: 1, announced: 1 });
  });
});
