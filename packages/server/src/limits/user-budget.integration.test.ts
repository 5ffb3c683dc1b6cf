import { describe, expect, it } from 'vitest';
import type { ChatErrorData } from '@chat/protocol';
import { MemoryStore } from '../store/memory-store.js';
import { rawSocket, request, sdkClient, startChat, type RawSocket } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

const big = (i: number) => ({
  text: `${i} ${'x'.repeat(3990)}`,
  attachments: Array.from({ length: 10 }, (_, a) => ({ url: `https://files.example/${'f'.repeat(200)}/${i}-${a}.png`, type: 'image/png' })),
});

async function tabs(url: string, count: number, roomId: string): Promise<RawSocket[]> {
  const auth = { name: 'Flood', guestKey: 'flood-guest-key-0123456789' };
  const sockets: RawSocket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = await rawSocket(url, auth);
    expect(await request(socket, 'room:join', { roomId })).toMatchObject({ ok: true });
    sockets.push(socket);
  }
  return sockets;
}

function codes(results: Array<{ ok: boolean; error?: ChatErrorData }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok ? 'ok' : (r.error?.code ?? '?');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('limits hold per user, over all of the user sockets, and bound bytes and work', () => {
  it('the event budget is shared by a user sockets: four tabs get no more than one', async () => {
    const { url } = await startChat({ limits: { eventBurst: 10, eventsPerSecond: 0.001 } });
    const sockets = await tabs(url, 4, 'r'); // 4 joins spend 4 of the 10 events
    const results = await Promise.all(
      sockets.flatMap((s) => Array.from({ length: 5 }, () => request(s, 'message:history', { roomId: 'r', limit: 1 }))),
    );
    expect(codes(results as Array<{ ok: boolean; error?: ChatErrorData }>)).toEqual({ ok: 6, RATE_LIMITED: 14 });
    // Another user is not affected.
    const other = await rawSocket(url, { name: 'Calm' });
    expect(await request(other, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
  });

  it('history is limited by the bytes it sends, not only by the number of requests', async () => {
    const store = new MemoryStore();
    const { url, chat } = await startChat({ store, limits: { readBytesBurst: 200_000, readBytesPerSecond: 1 } });
    for (let i = 0; i < 100; i++) await chat.sendMessage('big', { user: { id: 'host', name: 'Host' }, ...big(i) });
    const [socket] = await tabs(url, 1, 'big'); // the join page (50 large messages) uses the burst up
    const page = await request(socket as RawSocket, 'message:history', { roomId: 'big', limit: 100 });
    expect(page).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    expect((page as { error: ChatErrorData }).error.message).toMatch(/history too fast/u);
    // Small pages of small rooms are not what the budget is for: a user with a fresh budget reads them.
    const reader = await rawSocket(url, { name: 'Reader' });
    expect(await request(reader, 'room:join', { roomId: 'small' })).toMatchObject({ ok: true });
    expect(await request(reader, 'message:history', { roomId: 'small' })).toMatchObject({ ok: true });
  });

  it('a user has at most maxRequestsInFlightPerUser requests worked on at once, over all tabs', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class SlowStore extends MemoryStore {
      override async listMessages(...args: Parameters<MemoryStore['listMessages']>) {
        await gate;
        return super.listMessages(...args);
      }
    }
    const { url } = await startChat({ store: new SlowStore(), limits: { maxRequestsInFlightPerUser: 3 } });
    const auth = { name: 'Flood', guestKey: 'flood-guest-key-0123456789' };
    const sockets = [await rawSocket(url, auth), await rawSocket(url, auth)];
    // Joins read history, so they wait at the gate too.
    const pending = sockets.flatMap((s, i) => [request(s, 'room:join', { roomId: `a${i}` }), request(s, 'room:join', { roomId: `b${i}` })]);
    const results = await Promise.race([
      Promise.all(pending),
      new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 300)),
    ]);
    expect(results).toBe('waiting'); // three wait at the gate; the fourth was answered at once
    release();
    expect(codes((await Promise.all(pending)) as Array<{ ok: boolean; error?: ChatErrorData }>)).toEqual({ ok: 3, RATE_LIMITED: 1 });
  });

  it('a user may have at most maxSocketsPerUser sockets', async () => {
    const { url } = await startChat({ limits: { maxSocketsPerUser: 2 } });
    const auth = { name: 'Many', guestKey: 'many-guest-key-0123456789' };
    await rawSocket(url, auth);
    await rawSocket(url, auth);
    await expect(rawSocket(url, auth)).rejects.toMatchObject({ data: { code: 'RATE_LIMITED' } });
  });

  it('maxSocketsPerUser holds when many handshakes finish at once', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let waiting = 0;
    const { url } = await startChat({
      limits: { maxSocketsPerUser: 2 },
      authenticate: async () => {
        waiting++;
        await gate; // every handshake waits for the same thing (a JWKS fetch, say)
        return { id: 'same-user', name: 'Same' };
      },
    });
    const attempts = Array.from({ length: 10 }, () =>
      rawSocket(url, { name: 'x' }).then(
        () => 'connected',
        (error: { data?: ChatErrorData }) => error.data?.code ?? 'error',
      ),
    );
    await waitFor(() => expect(waiting).toBe(10)); // all ten are waiting at the gate
    release();
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'connected')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'RATE_LIMITED')).toHaveLength(8);
  });

  it('leaving always works, even when rate-limited: no ghost member, and the next join is not ALREADY_IN_ROOM', async () => {
    const { url } = await startChat({ limits: { eventBurst: 3, eventsPerSecond: 1 }, presenceCoalesceMs: 10 });
    const observer = await sdkClient(url, { auth: { name: 'Observer' } }).join('r');
    const ana = await rawSocket(url, { name: 'Ana' });
    expect(await request(ana, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
    await waitFor(() => expect(observer.members.map((m) => m.name).sort()).toEqual(['Ana', 'Observer']));
    const spent = await Promise.all(Array.from({ length: 4 }, () => request(ana, 'message:history', { roomId: 'r' })));
    expect(spent.at(-1)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await request(ana, 'room:leave', { roomId: 'r' })).toEqual({ ok: true, data: {} });
    await waitFor(() => expect(observer.members.map((m) => m.name)).toEqual(['Observer']));
    await waitFor(async () => expect(await request(ana, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true }), { interval: 300 });
  });

  it('the SDK leaves while rate-limited without an error', async () => {
    const { url } = await startChat({ limits: { eventBurst: 1, eventsPerSecond: 0.001 } });
    const client = sdkClient(url);
    const room = await client.join('r'); // the budget is spent
    await expect(room.history({ before: 5 })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(room.leave()).resolves.toBeUndefined();
    expect(client.getRoom('r')).toBeUndefined();
    // Leaving a room one is not in is no free pass around the budget.
    const raw = await rawSocket(url, { name: 'Raw' });
    expect(await request(raw, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
    expect(await request(raw, 'room:leave', { roomId: 'elsewhere' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});
