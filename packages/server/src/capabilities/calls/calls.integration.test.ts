import { describe, expect, it } from 'vitest';
import type { ChatUser } from '@chat/protocol';
import type { ChatServerOptions } from '../../options.js';
import { byHandshake, connect, fresh, join } from '../conversations/conversation-fixtures.js';
import { okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { candidate, ids, joinCall, offer, record, startCall } from './call-fixtures.js';

// Calls on one process with plain Socket.IO clients (Node has no WebRTC: signalling only).

const turnFor = (user: ChatUser) => [
  { urls: 'stun:stun.example.test:3478' },
  { urls: ['turn:turn.example.test:3478'], username: `1700000000:${user.id}`, credential: 'secret' },
];

async function server(options: ChatServerOptions = {}) {
  return startChat({ authenticate: byHandshake, calls: { iceServers: turnFor }, presenceCoalesceMs: 10, ...options });
}

describe('calls', () => {
  it('a call in a direct room rings every tab of the other member, who accepts; both get ICE servers, and the history tells', async () => {
    const { chat, url } = await server();
    const room = await chat.openDirectRoom([
      { id: 'ana', name: 'Ana' },
      { id: 'ben', name: 'Ben' },
    ]);
    const ana = await connect(url, 'ana', 'Ana');
    const benPhone = await connect(url, 'ben', 'Ben');
    const benLaptop = await connect(url, 'ben', 'Ben'); // not in the room: rings all the same
    await join(ana, room.id);
    await join(benPhone, room.id);
    const [anaLog, phone, laptop] = [record(ana), record(benPhone), record(benLaptop)];

    const started = await startCall(ana, room.id); // no invite: a direct room rings its other members
    expect(started.iceServers).toEqual(turnFor({ id: 'ana', name: 'Ana' }));
    expect(started.call).toMatchObject({ roomId: room.id, kind: 'video', startedBy: { id: 'ana', name: 'Ana' }, version: 1 });
    expect(ids(started.call)).toEqual(['ana']);
    expect(started.call.ringing).toEqual([{ id: 'ben', name: 'Ben' }]);
    const callId = started.call.id;
    await waitFor(() => expect(phone.latest(callId)?.ringing.map((u) => u.id)).toEqual(['ben']));
    await waitFor(() => expect(laptop.latest(callId)?.ringing.map((u) => u.id)).toEqual(['ben']));

    // "Ana started a video call", stored and in history, before anyone can answer.
    await waitFor(() => expect(phone.messages.map((m) => m.text)).toEqual(['Ana started a video call']));
    expect(phone.messages[0]).toMatchObject({ user: { id: 'ana' }, system: { type: 'call:started', callId, kind: 'video' } });

    // A member joining the room now sees the call in the join ack.
    const again = await connect(url, 'ben', 'Ben');
    expect((await join(again, room.id)).calls).toEqual([expect.objectContaining({ id: callId, ringing: [{ id: 'ben', name: 'Ben' }] })]);

    const accepted = await joinCall(benLaptop, callId); // answered on the laptop
    expect(accepted.iceServers).toEqual(turnFor({ id: 'ben', name: 'Ben' }));
    expect(ids(accepted.call)).toEqual(['ana', 'ben']);
    expect(accepted.call.ringing).toEqual([]);
    // Every tab stops ringing; the caller sees Ben in.
    for (const log of [anaLog, phone, laptop]) await waitFor(() => expect(ids(log.latest(callId))).toEqual(['ana', 'ben']));

    // Signals go to the socket that answered, and back.
    okData(await request(ana, 'call:signal', { callId, to: 'ben', data: offer() }));
    await waitFor(() => expect(laptop.signals).toEqual([{ callId, from: 'ana', data: offer() }]));
    okData(await request(benLaptop, 'call:signal', { callId, to: 'ana', data: candidate(2) }));
    await waitFor(() => expect(anaLog.signals).toEqual([{ callId, from: 'ben', data: candidate(2) }]));
    expect(phone.signals).toEqual([]);

    // Hanging up a two-person call ends it for both, and the history says how long it was.
    const left = okData(await request(ana, 'call:leave', { callId }));
    expect(left.call.endedAt).toEqual(expect.any(String));
    for (const log of [anaLog, phone, laptop]) await waitFor(() => expect(log.latest(callId)?.endedAt).toBeDefined());
    await waitFor(() =>
      expect(phone.messages.map((m) => m.text)).toEqual(['Ana started a video call', expect.stringMatching(/^Call ended, \d+ s$/u)]),
    );
    expect(phone.messages[1]?.system).toMatchObject({ type: 'call:ended', callId, kind: 'video', durationMs: expect.any(Number) });
    expect(phone.messages[1]?.system).not.toHaveProperty('missed');
    const history = okData(await request(benPhone, 'message:history', { roomId: room.id }));
    expect(history.messages.map((m) => m.system?.type)).toEqual(['call:started', 'call:ended']);
    // An ended call is gone: accepting it now is CALL_NOT_FOUND.
    expect(await request(benPhone, 'call:join', { callId })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect((await join(await connect(url, 'ben', 'Ben'), room.id)).calls).toEqual([]);
  });

  it('a member of the room who is not in the call never receives its signals', async () => {
    const { url } = await server();
    const roomId = fresh('team');
    const [ana, ben, eve] = await Promise.all([connect(url, 'ana'), connect(url, 'ben'), connect(url, 'eve')]);
    for (const s of [ana, ben, eve]) await join(s, roomId);
    const [benLog, eveLog] = [record(ben), record(eve)];
    const { call } = await startCall(ana, roomId, ['ben'], 'audio');
    await waitFor(() => expect(eveLog.latest(call.id)?.ringing.map((u) => u.id)).toEqual(['ben'])); // she sees the call
    await joinCall(ben, call.id);
    for (let i = 0; i < 20; i++) okData(await request(ana, 'call:signal', { callId: call.id, to: 'ben', data: candidate(i) }));
    await waitFor(() => expect(benLog.signals).toHaveLength(20));
    // Eve may not signal into it, nor have anything delivered to her.
    expect(await request(eve, 'call:signal', { callId: call.id, to: 'ben', data: offer() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: expect.stringMatching(/not in this call/u) },
    });
    expect(await request(ana, 'call:signal', { callId: call.id, to: 'eve', data: offer() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: expect.stringMatching(/"eve" is not in this call/u) },
    });
    expect(eveLog.signals).toEqual([]);
    expect(benLog.signals.every((s) => s.from === 'ana')).toBe(true);
  });

  it('declined by everyone rung, a call with only its caller ends as missed', async () => {
    const { url } = await server();
    const roomId = fresh('team');
    const [ana, ben, cy] = await Promise.all([connect(url, 'ana', 'Ana'), connect(url, 'ben'), connect(url, 'cy')]);
    for (const s of [ana, ben, cy]) await join(s, roomId);
    const anaLog = record(ana);
    const { call } = await startCall(ana, roomId, ['ben', 'cy']);
    const first = okData(await request(ben, 'call:decline', { callId: call.id }));
    expect(first.call.endedAt).toBeUndefined();
    expect(first.call.ringing.map((u) => u.id)).toEqual(['cy']);
    // Declining twice (another tab) changes nothing.
    expect(okData(await request(ben, 'call:decline', { callId: call.id })).call.version).toBe(first.call.version);
    const last = okData(await request(cy, 'call:decline', { callId: call.id }));
    expect(last.call.endedAt).toEqual(expect.any(String));
    await waitFor(() => expect(anaLog.latest(call.id)?.endedAt).toBeDefined());
    await waitFor(() =>
      expect(anaLog.messages.at(-1)).toMatchObject({
        text: 'Missed video call',
        system: { type: 'call:ended', missed: true, durationMs: 0 },
      }),
    );
  });

  it('rings out after ringTimeoutMs: the rung users are dropped and a call nobody answered ends as missed', async () => {
    const { url } = await server({ calls: { ringTimeoutMs: 150 } });
    const roomId = fresh('team');
    const [ana, ben, cy] = await Promise.all([connect(url, 'ana'), connect(url, 'ben'), connect(url, 'cy')]);
    for (const s of [ana, ben, cy]) await join(s, roomId);
    const [anaLog, benLog] = [record(ana), record(ben)];

    const missed = (await startCall(ana, roomId, ['ben'], 'audio')).call;
    await waitFor(() => expect(benLog.latest(missed.id)?.endedAt).toBeDefined());
    expect(benLog.latest(missed.id)?.ringing).toEqual([]);
    await waitFor(() => expect(anaLog.messages.at(-1)).toMatchObject({ text: 'Missed audio call', system: { missed: true } }));

    // Answered by one, not the other: the call goes on without the one who did not answer. Ben's
    // join must come while the call rings: on a busy machine it can come more than 150 ms after the
    // start, when the call has ended as missed, so this call is on a server that rings for 3 s.
    const longer = await server({ calls: { ringTimeoutMs: 3000 } });
    const [caller, answerer, away] = await Promise.all([connect(longer.url, 'ana'), connect(longer.url, 'ben'), connect(longer.url, 'cy')]);
    for (const s of [caller, answerer, away]) await join(s, roomId);
    const callerLog = record(caller);
    const answered = (await startCall(caller, roomId, ['ben', 'cy'])).call;
    await joinCall(answerer, answered.id);
    await waitFor(() => expect(callerLog.latest(answered.id)?.ringing).toEqual([]));
    expect(ids(callerLog.latest(answered.id))).toEqual(['ana', 'ben']);
    expect(callerLog.latest(answered.id)?.endedAt).toBeUndefined();
  });

  it('a call without invitees is open to the room: members join it, up to maxCallParticipants', async () => {
    const { url } = await server();
    const roomId = fresh('town-hall');
    const people = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => connect(url, id)));
    for (const s of people) await join(s, roomId);
    const [p1, p2, p3, p4, p5] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ];
    const { call } = await startCall(p1, roomId);
    expect(call.ringing).toEqual([]);
    for (const s of [p2, p3, p4]) await joinCall(s, call.id);
    const full = await request(p5, 'call:join', { callId: call.id });
    expect(full).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: expect.stringContaining('at most 4 people') },
    });
    expect(!full.ok && full.error.message).toContain('docs/calls.md');
    // Joining again from the same socket changes nothing; from another tab it is refused.
    expect(ids((await joinCall(p2, call.id)).call)).toEqual(['p1', 'p2', 'p3', 'p4']);
    const p2Tab = await connect(url, 'p2');
    await join(p2Tab, roomId);
    expect(await request(p2Tab, 'call:join', { callId: call.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: expect.stringMatching(/another tab/u) },
    });
    // One leaves a bigger call: it goes on, and the fifth gets in.
    const left = okData(await request(p3, 'call:leave', { callId: call.id }));
    expect(ids(left.call)).toEqual(['p1', 'p2', 'p4']);
    expect(ids((await joinCall(p5, call.id)).call)).toEqual(['p1', 'p2', 'p4', 'p5']);
  });

  it('one call per room: a second start is refused while the first goes on, and allowed once it ended', async () => {
    const { url } = await server();
    const roomId = fresh('team');
    const [ana, ben] = await Promise.all([connect(url, 'ana'), connect(url, 'ben')]);
    for (const s of [ana, ben]) await join(s, roomId);
    const { call } = await startCall(ana, roomId, ['ben']);
    expect(await request(ben, 'call:start', { roomId, kind: 'audio' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'A call is already going on in this room. Join it instead of starting another.' },
    });
    // Two at once in another room: exactly one wins.
    const other = fresh('team');
    const [cy, dee] = await Promise.all([connect(url, 'cy'), connect(url, 'dee')]);
    for (const s of [cy, dee]) await join(s, other);
    const both = await Promise.all([cy, dee].map((s) => request(s, 'call:start', { roomId: other, kind: 'video' })));
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    // A socket in a call cannot start a second one elsewhere.
    await join(ana, other);
    expect(await request(ana, 'call:start', { roomId: other, kind: 'video' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: 'You are in another call. Hang up first.' },
    });
    okData(await request(ana, 'call:leave', { callId: call.id }));
    expect((await startCall(ben, roomId, ['ana'])).call.id).not.toBe(call.id);
  });

  it('a participant whose socket goes leaves the call; the last two going ends it, with no ghost left', async () => {
    const { url } = await server();
    const roomId = fresh('team');
    const [ana, ben, cy, watcher] = await Promise.all([connect(url, 'ana'), connect(url, 'ben'), connect(url, 'cy'), connect(url, 'w')]);
    for (const s of [ana, ben, cy, watcher]) await join(s, roomId);
    const log = record(watcher);
    const { call } = await startCall(ana, roomId, ['ben', 'cy']);
    await joinCall(ben, call.id);
    await joinCall(cy, call.id);
    cy.disconnect(); // tab closed
    await waitFor(() => expect(ids(log.latest(call.id))).toEqual(['ana', 'ben']));
    expect(log.latest(call.id)?.endedAt).toBeUndefined();
    ben.disconnect();
    await waitFor(() => expect(log.latest(call.id)?.endedAt).toBeDefined());
    await waitFor(() => expect(log.messages.at(-1)?.system).toMatchObject({ type: 'call:ended', callId: call.id }));
    expect((await join(await connect(url, 'z'), roomId)).calls).toEqual([]);
  });

  it('leaving the room hangs up the call of that room', async () => {
    const { url } = await server();
    const roomId = fresh('team');
    const [ana, ben] = await Promise.all([connect(url, 'ana'), connect(url, 'ben')]);
    for (const s of [ana, ben]) await join(s, roomId);
    const log = record(ben);
    const { call } = await startCall(ana, roomId, ['ben']);
    await joinCall(ben, call.id);
    okData(await request(ana, 'room:leave', { roomId }));
    await waitFor(() => expect(log.latest(call.id)?.endedAt).toBeDefined());
  });

  it('an ephemeral room gets the lines broadcast, not stored', async () => {
    const { chat, url } = await server();
    const room = await chat.createRoom({ id: fresh('meet'), options: { ephemeral: true } });
    const [ana, ben] = await Promise.all([connect(url, 'ana', 'Ana'), connect(url, 'ben')]);
    for (const s of [ana, ben]) await join(s, room.id);
    const log = record(ben);
    const { call } = await startCall(ana, room.id, ['ben'], 'audio');
    await joinCall(ben, call.id);
    okData(await request(ben, 'call:leave', { callId: call.id }));
    await waitFor(() => expect(log.messages.map((m) => m.system?.type)).toEqual(['call:started', 'call:ended']));
    expect(log.messages[0]?.text).toBe('Ana started an audio call');
    expect((await chat.store.listMessages(room.id, { limit: 10 })).messages).toEqual([]);
  });

  it('without the calls option every call event answers FORBIDDEN, and joins list no calls', async () => {
    const { url } = await startChat({ authenticate: byHandshake });
    const ana = await connect(url, 'ana');
    const roomId = fresh('team');
    expect((await join(ana, roomId)).calls).toEqual([]);
    const refused = { ok: false, error: { code: 'FORBIDDEN', lang: 'en', message: 'Calls are not enabled on this server.' } };
    expect(await request(ana, 'call:start', { roomId, kind: 'video' })).toEqual(refused);
    expect(await request(ana, 'call:join', { callId: 'x' })).toEqual(refused);
    expect(await request(ana, 'call:signal', { callId: 'x', to: 'ben', data: offer() })).toEqual(refused);
  });
});
