import { expect, it } from 'vitest';
import type { PresenceDelta, UserPresence } from '@chat/protocol';
import { nextEvent, okData, request, startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, clusterSuite, connect, eachStore, fresh, join } from './conversation-fixtures.js';

const presenceOf = async (socket: RawSocket, userIds: string[]): Promise<UserPresence[]> =>
  okData(await request(socket, 'presence:of', { userIds })).users;

eachStore('status and last seen', (store) => {
  it('a status and its text are seen in the room, kept by a new socket of the user, and cleared', async () => {
    const { url } = await startChat({ store: store(), authenticate: byHandshake });
    const roomId = fresh('room');
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana, 'Ana');
    const luisSocket = await connect(url, luis, 'Luis');
    const seenJoined = new Set<string>();
    luisSocket.on('presence', (d) => d.joined.forEach((m) => seenJoined.add(m.id)));
    await join(anaSocket, roomId);
    await join(luisSocket, roomId);

    // Both joins are announced first, so that the status change is a window of its own. Ana's
    // join went out no later than Luis's (one window per room), and before Luis was in the room
    // when the store is slow (then Luis has her in his join's answer instead): his own is enough.
    await waitFor(() => expect(seenJoined.has(luis)).toBe(true));
    const updated = nextEvent(luisSocket, 'presence', (d) => d.updated.length > 0);
    expect(await request(anaSocket, 'presence:status', { status: 'busy', text: '  En consulta hasta las 3 ' })).toEqual({
      ok: true,
      data: {},
    });
    expect(await updated).toEqual({
      roomId,
      joined: [],
      left: [],
      updated: [expect.objectContaining({ id: ana, status: 'busy', statusText: 'En consulta hasta las 3' })],
    });
    // A second tab of Ana keeps the status; others see it in the join ack.
    const anaTab = await connect(url, ana, 'Ana');
    expect((await join(anaTab, roomId)).self).toMatchObject({ status: 'busy', statusText: 'En consulta hasta las 3' });
    const members = (await join(await connect(url, fresh('eva')), roomId)).members;
    expect(members.find((m) => m.id === ana)).toMatchObject({ status: 'busy', statusText: 'En consulta hasta las 3' });
    expect(await presenceOf(luisSocket, [ana])).toEqual([{ id: ana, online: true, status: 'busy', statusText: 'En consulta hasta las 3' }]);

    const back = nextEvent(luisSocket, 'presence', (d) => [...d.joined, ...d.updated].some((m) => m.id === ana && m.status === 'online'));
    okData(await request(anaTab, 'presence:status', { status: 'online' }));
    const delta: PresenceDelta = await back;
    expect([...delta.joined, ...delta.updated].find((m) => m.id === ana)).not.toHaveProperty('statusText');
    okData(await request(anaSocket, 'presence:status', { status: 'away', text: '   ' }));
    expect(await presenceOf(luisSocket, [ana])).toEqual([{ id: ana, online: true, status: 'away' }]);
  });

  it('status texts over the limit or with control characters are refused, and change nothing', async () => {
    const { url } = await startChat({ store: store(), authenticate: byHandshake });
    const ana = fresh('ana');
    const socket = await connect(url, ana);
    okData(await request(socket, 'presence:status', { status: 'busy', text: 'x'.repeat(100) }));
    expect(await request(socket, 'presence:status', { status: 'busy', text: 'x'.repeat(101) })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'A status text can be at most 100 characters long.' },
    });
    for (const text of ['line\nbreak', 'tab\there', 'bell\u0007', 'rtl \u202eevil', 'nul\u0000', 'sep\u2028']) {
      expect(await request(socket, 'presence:status', { status: 'busy', text })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    for (const payload of [{ status: 'invisible' }, { status: 'busy', text: 42 }, {}, 'busy']) {
      expect(await request(socket, 'presence:status', payload as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await presenceOf(socket, [ana])).toEqual([{ id: ana, online: true, status: 'busy', statusText: 'x'.repeat(100) }]);
  });

  it('lastSeenAt is stored when the last socket goes, not while another tab stays; presenceOf for users in no shared room', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const asker = await connect(url, fresh('asker'));
    const tab1 = await connect(url, ana);
    const tab2 = await connect(url, ana);
    expect(await presenceOf(asker, [ana, luis, 'never-seen'])).toEqual([
      { id: ana, online: true, status: 'online' },
      { id: luis, online: false, status: 'online' },
      { id: 'never-seen', online: false, status: 'online' },
    ]);
    tab1.disconnect();
    await waitFor(async () => expect(chat.io.of('/').sockets.size).toBe(2));
    expect(await presenceOf(asker, [ana])).toEqual([{ id: ana, online: true, status: 'online' }]);
    expect((await chat.store.getUsers([ana]))[0]?.lastSeenAt).toBeUndefined();

    const before = Date.now();
    tab2.disconnect();
    const [gone] = await waitFor(async () => {
      const answer = await presenceOf(asker, [ana]);
      expect(answer[0]).toMatchObject({ online: false, lastSeenAt: expect.any(String) });
      return answer;
    });
    expect(Date.parse(gone?.lastSeenAt as string)).toBeGreaterThanOrEqual(before - 1);
    expect((await chat.store.getUsers([ana]))[0]).toMatchObject({ id: ana, lastSeenAt: gone?.lastSeenAt });
    expect(await chat.presenceOf([ana, ana])).toEqual([gone, gone]);
    // Back online: no lastSeenAt while online.
    await connect(url, ana);
    expect(await chat.presenceOf([ana])).toEqual([{ id: ana, online: true, status: 'online' }]);
  });

  it('presence:of bad input, and authorize may refuse it', async () => {
    const { url } = await startChat({
      store: store(),
      authenticate: byHandshake,
      authorize: (action, ctx) => action !== 'presence:of' || !ctx.user.id.startsWith('nosy'),
    });
    const socket = await connect(url, fresh('ana'));
    expect(await request(socket, 'presence:of', { userIds: Array.from({ length: 101 }, (_, i) => `u${i}`) })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect(await request(socket, 'presence:of', { userIds: [] })).toEqual({ ok: true, data: { users: [] } });
    expect(await request(socket, 'presence:of', { userIds: [7] } as never)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const nosy = await connect(url, fresh('nosy'));
    expect(await request(nosy, 'presence:of', { userIds: ['x'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

clusterSuite('status and last seen', (twoProcesses) => {
  it('a status set on one process is seen by members on the other; online and last seen are cluster-wide', async () => {
    const [a, b] = await twoProcesses();
    const roomId = fresh('room');
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaOnA = await connect(a.url, ana, 'Ana');
    const luisOnB = await connect(b.url, luis, 'Luis');
    const anaJoined = nextEvent(luisOnB, 'presence', (d) => d.joined.some((m) => m.id === ana));
    await join(luisOnB, roomId);
    await join(anaOnA, roomId);
    await anaJoined; // so that the status change is a window of its own
    const seen = nextEvent(luisOnB, 'presence', (d) => d.updated.some((m) => m.id === ana));
    okData(await request(anaOnA, 'presence:status', { status: 'busy', text: 'Operando' }));
    expect((await seen).updated).toEqual([expect.objectContaining({ id: ana, status: 'busy', statusText: 'Operando' })]);
    // Ana's tab on process B keeps it, and members joining on B see it.
    const anaOnB = await connect(b.url, ana, 'Ana');
    expect((await join(anaOnB, roomId)).self).toMatchObject({ status: 'busy', statusText: 'Operando' });
    expect(await presenceOf(luisOnB, [ana])).toEqual([{ id: ana, online: true, status: 'busy', statusText: 'Operando' }]);
    // The status set from B reaches the member on A.
    const fromB = nextEvent(anaOnA, 'presence', (d) => [...d.joined, ...d.updated].some((m) => m.id === ana && m.status === 'away'));
    okData(await request(anaOnB, 'presence:status', { status: 'away' }));
    await fromB;

    // Online while any socket is anywhere: A's goes, B's stays.
    anaOnA.disconnect();
    await waitFor(async () => expect(a.chat.io.of('/').sockets.size).toBe(0));
    expect(await presenceOf(luisOnB, [ana])).toEqual([{ id: ana, online: true, status: 'away' }]);
    expect((await a.chat.store.getUsers([ana]))[0]?.lastSeenAt).toBeUndefined();
    anaOnB.disconnect();
    await waitFor(async () => expect((await a.chat.presenceOf([ana]))[0]).toMatchObject({ online: false, lastSeenAt: expect.any(String) }));
  });
});
