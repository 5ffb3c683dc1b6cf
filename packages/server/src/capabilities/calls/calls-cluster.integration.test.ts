import { expect, it } from 'vitest';
import { clusterSuite, connect, fresh, join } from '../conversations/conversation-fixtures.js';
import { okData, request } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { candidate, ids, joinCall, offer, record, startCall } from './call-fixtures.js';

// Calls across two processes on Redis (two servers in this process on one Redis and one
// PostgreSQL schema): the call is one truth, signals reach the one socket they are for on the
// other process, nobody else gets them.

clusterSuite('calls', (twoProcesses) => {
  it('caller on A, callee on B: both see one call, signals go both ways, a member on either process gets none', async () => {
    const [a, b] = await twoProcesses({ calls: { iceServers: [{ urls: 'stun:stun.example.test' }] } });
    const room = await a.chat.openDirectRoom([
      { id: 'ana', name: 'Ana' },
      { id: 'ben', name: 'Ben' },
    ]);
    const roomId = fresh('team');
    const ana = await connect(a.url, 'ana', 'Ana');
    const ben = await connect(b.url, 'ben', 'Ben');
    const benOnA = await connect(a.url, 'ben', 'Ben'); // another tab of Ben's, on the other process
    const [eveA, eveB] = await Promise.all([connect(a.url, 'eve'), connect(b.url, 'eve2')]);
    for (const s of [ana, ben, eveA, eveB]) await join(s, roomId);
    await join(ana, room.id);
    const [anaLog, benLog, benTab, eveALog, eveBLog] = [record(ana), record(ben), record(benOnA), record(eveA), record(eveB)];

    // In the direct room: Ben's tab on A rings, he answers on B.
    const direct = (await startCall(ana, room.id)).call;
    await waitFor(() => expect(benLog.latest(direct.id)?.ringing.map((u) => u.id)).toEqual(['ben']));
    await waitFor(() => expect(benTab.latest(direct.id)?.ringing.map((u) => u.id)).toEqual(['ben']));
    const answered = await joinCall(ben, direct.id);
    expect(answered.iceServers).toEqual([{ urls: 'stun:stun.example.test' }]);
    await waitFor(() => expect(ids(anaLog.latest(direct.id))).toEqual(['ana', 'ben']));
    await waitFor(() => expect(benTab.latest(direct.id)?.ringing).toEqual([]));
    okData(await request(ana, 'call:signal', { callId: direct.id, to: 'ben', data: offer() }));
    okData(await request(ben, 'call:signal', { callId: direct.id, to: 'ana', data: { description: { type: 'answer', sdp: 'v=0' } } }));
    await waitFor(() => expect(benLog.signals).toEqual([{ callId: direct.id, from: 'ana', data: offer() }]));
    await waitFor(() =>
      expect(anaLog.signals).toEqual([{ callId: direct.id, from: 'ben', data: { description: { type: 'answer', sdp: 'v=0' } } }]),
    );
    okData(await request(ben, 'call:leave', { callId: direct.id }));
    await waitFor(() => expect(anaLog.latest(direct.id)?.endedAt).toBeDefined());
    // One "started" and one "ended" line, stored once (PostgreSQL is shared). Asked five times a
    // second, within the room's rate of requests.
    await waitFor(
      async () => {
        const history = okData(await request(ana, 'message:history', { roomId: room.id }));
        expect(history.messages.map((m) => m.system?.type)).toEqual(['call:started', 'call:ended']);
      },
      { interval: 200 },
    );

    // In a group room: Eve on A and Eve2 on B see the call but get no signal.
    const { call } = await startCall(ana, roomId, ['ben']);
    await waitFor(() => expect(eveBLog.latest(call.id)?.ringing.map((u) => u.id)).toEqual(['ben']));
    expect((await join(await connect(b.url, 'late'), roomId)).calls.map((c) => c.id)).toEqual([call.id]); // seen from B
    await joinCall(ben, call.id);
    for (let i = 0; i < 10; i++) {
      okData(await request(ana, 'call:signal', { callId: call.id, to: 'ben', data: candidate(i) }));
      okData(await request(ben, 'call:signal', { callId: call.id, to: 'ana', data: candidate(100 + i) }));
    }
    await waitFor(() => expect(benLog.signals.filter((s) => s.callId === call.id)).toHaveLength(10));
    await waitFor(() => expect(anaLog.signals.filter((s) => s.callId === call.id)).toHaveLength(10));
    expect(eveALog.signals).toEqual([]);
    expect(eveBLog.signals).toEqual([]);
    expect(benTab.signals).toEqual([]);
    expect(await request(eveB, 'call:signal', { callId: call.id, to: 'ana', data: offer() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('starts racing on two processes: one call; joins racing for the last place: one gets it', async () => {
    const [a, b] = await twoProcesses({ calls: {}, limits: { maxCallParticipants: 2 } });
    const roomId = fresh('team');
    const [p1, p2, p3] = await Promise.all([connect(a.url, 'p1'), connect(b.url, 'p2'), connect(a.url, 'p3')]);
    for (const s of [p1, p2, p3]) await join(s, roomId);
    const starts = await Promise.all([
      request(p1, 'call:start', { roomId, kind: 'video' }),
      request(p2, 'call:start', { roomId, kind: 'video' }),
    ]);
    expect(starts.filter((r) => r.ok)).toHaveLength(1);
    const won = starts.find((r) => r.ok);
    const callId = won?.ok ? won.data.call.id : '';
    const others = won === starts[0] ? [p2, p3] : [p1, p3];
    const joins = await Promise.all(others.map((s) => request(s, 'call:join', { callId })));
    expect(joins.filter((r) => r.ok)).toHaveLength(1);
    expect(joins.find((r) => !r.ok)).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringContaining('at most 2 people') } });
  });

  it('a participant on one process disconnects: the other process sees the call end', async () => {
    const [a, b] = await twoProcesses({ calls: {} });
    const roomId = fresh('team');
    const [ana, ben] = await Promise.all([connect(a.url, 'ana'), connect(b.url, 'ben')]);
    for (const s of [ana, ben]) await join(s, roomId);
    const anaLog = record(ana);
    const { call } = await startCall(ana, roomId, ['ben']);
    await joinCall(ben, call.id);
    ben.disconnect();
    await waitFor(() => expect(anaLog.latest(call.id)?.endedAt).toBeDefined());
  });
});
