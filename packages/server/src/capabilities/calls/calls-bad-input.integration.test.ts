import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ID_LIMITS } from '@chat/protocol';
import { createChatServer } from '../../chat-server.js';
import type { ChatServerOptions } from '../../options.js';
import { byHandshake, connect, fresh, join } from '../conversations/conversation-fixtures.js';
import { okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { candidate, joinCall, offer, record, startCall } from './call-fixtures.js';

// Bad input to calls: coded errors with a sentence, no crash, nothing delivered.

async function server(options: ChatServerOptions = {}) {
  const started = await startChat({ authenticate: byHandshake, calls: {}, ...options });
  const errors: unknown[] = [];
  started.chat.on('error', (error) => errors.push(error));
  return { ...started, errors };
}

/** Ana and Ben in a call in a fresh room, Eve a member of the room outside it. */
async function inCall(url: string) {
  const roomId = fresh('team');
  const [ana, ben, eve] = await Promise.all([connect(url, 'ana'), connect(url, 'ben'), connect(url, 'eve')]);
  for (const s of [ana, ben, eve]) await join(s, roomId);
  const { call } = await startCall(ana, roomId, ['ben']);
  await joinCall(ben, call.id);
  return { roomId, ana, ben, eve, callId: call.id };
}

describe('calls: bad input', () => {
  it('starting in a room not joined, not existing or ended, or ringing non-members, is refused', async () => {
    const { chat, url, errors } = await server();
    const ana = await connect(url, 'ana');
    const roomId = fresh('team');
    await chat.createRoom({ id: roomId });
    expect(await request(ana, 'call:start', { roomId, kind: 'video' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM', message: 'Join this room first.' },
    });
    expect(await request(ana, 'call:start', { roomId: fresh('nowhere'), kind: 'video' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_FOUND' },
    });
    await join(ana, roomId);
    expect(await request(ana, 'call:start', { roomId, kind: 'video', invite: ['stranger'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You can only call members of this room, and "stranger" is not here.' },
    });
    expect(await request(ana, 'call:start', { roomId, kind: 'hologram' } as never)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'kind must be audio or video.' },
    });
    expect(await request(ana, 'call:start', { roomId, kind: 'audio', invite: ['a', 'b', 'c', 'd'] })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
    await chat.endRoom(roomId);
    expect(await request(ana, 'call:start', { roomId, kind: 'video' })).toMatchObject({ ok: false, error: { code: 'ROOM_ENDED' } });
    expect(errors).toEqual([]);
  });

  it('a private room rings its stored members even when they are away, and refuses outsiders', async () => {
    const { chat, url } = await server();
    const roomId = fresh('private');
    await chat.createRoom({ id: roomId, createdBy: 'ana', options: { private: true } });
    await chat.addMembers(roomId, [{ id: 'ben', name: 'Ben' }]);
    const ana = await connect(url, 'ana');
    await join(ana, roomId);
    const benLaptop = record(await connect(url, 'ben', 'Ben')); // has not joined the room
    const { call } = await startCall(ana, roomId, ['ben']);
    await waitFor(() => expect(benLaptop.latest(call.id)?.ringing.map((u) => u.id)).toEqual(['ben']));
    // An outsider cannot see into the call, or join it by its id.
    const eve = await connect(url, 'eve');
    expect(await request(eve, 'call:join', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await request(eve, 'call:decline', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it('accepting, declining or signalling a call that ended or never existed is CALL_NOT_FOUND', async () => {
    const { url } = await server();
    const { ana, ben, callId } = await inCall(url);
    okData(await request(ben, 'call:leave', { callId }));
    for (const event of ['call:join', 'call:decline', 'call:leave'] as const) {
      expect(await request(ana, event, { callId })).toMatchObject({
        ok: false,
        error: { code: 'CALL_NOT_FOUND', message: 'This call is over (or never existed).' },
      });
    }
    expect(await request(ana, 'call:signal', { callId, to: 'ben', data: offer() })).toMatchObject({
      ok: false,
      error: { code: 'CALL_NOT_FOUND' },
    });
    expect(await request(ana, 'call:join', { callId: 'no-such-call' })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect(await request(ana, 'call:join', {} as never)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'callId is missing.' },
    });
  });

  it('signals: oversized or malformed data, to oneself, from another tab: refused and never delivered', async () => {
    const { url } = await server();
    const { ana, ben, callId, roomId } = await inCall(url);
    const benLog = record(ben);
    const tooLong = await request(ana, 'call:signal', { callId, to: 'ben', data: offer('x'.repeat(ID_LIMITS.sdp + 1)) });
    expect(tooLong).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: `An SDP can be at most ${ID_LIMITS.sdp} characters.` },
    });
    const longCandidate = { candidate: { candidate: 'c'.repeat(ID_LIMITS.candidate + 1) } };
    expect(await request(ana, 'call:signal', { callId, to: 'ben', data: longCandidate })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
    const malformed = [
      { description: { type: 'rollback', sdp: '' } },
      { description: { type: 'offer', sdp: 'v=0', extra: 1 } },
      { candidate: 'not an object' },
      { both: true },
      'text',
    ];
    for (const data of malformed) {
      expect(await request(ana, 'call:signal', { callId, to: 'ben', data } as never)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    expect(await request(ana, 'call:signal', { callId, to: 'ana', data: offer() })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const anaTab = await connect(url, 'ana');
    await join(anaTab, roomId);
    expect(await request(anaTab, 'call:signal', { callId, to: 'ben', data: offer() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/another tab/u) },
    });
    // The largest SDP allowed goes through, once.
    okData(await request(ana, 'call:signal', { callId, to: 'ben', data: offer('x'.repeat(ID_LIMITS.sdp)) }));
    await waitFor(() => expect(benLog.signals).toHaveLength(1));
    expect(benLog.signals[0]?.data).toEqual(offer('x'.repeat(ID_LIMITS.sdp)));
  });

  it('signals are rate limited per user with their own bucket; other events are not charged for them', async () => {
    // The signal bucket does not refill during the test (at 1 a second, a slow burst let the 31st through).
    const { url } = await server({ limits: { signalBurst: 30, signalsPerSecond: 0.001, eventBurst: 10, eventsPerSecond: 1 } });
    const { ana, ben, callId, roomId } = await inCall(url);
    const benLog = record(ben);
    // A burst bigger than the event bucket, within the signal bucket, all at once: all delivered.
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => request(ana, 'call:signal', { callId, to: 'ben', data: candidate(i) })),
    );
    expect(burst.every((r) => r.ok)).toBe(true);
    const over = await request(ana, 'call:signal', { callId, to: 'ben', data: candidate(99) });
    expect(over).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    await waitFor(() => expect(benLog.signals).toHaveLength(30));
    expect(benLog.signals.map((s) => (s.data as { candidate: { candidate: string } }).candidate.candidate)).toEqual(
      Array.from({ length: 30 }, (_, i) => (candidate(i) as { candidate: { candidate: string } }).candidate.candidate),
    );
    // Ana's other requests still go through: the signal bucket is apart.
    okData(await request(ana, 'typing', { roomId, typing: false }));
  });

  it('ICE servers from a function: its failure fails the start with INTERNAL (reported), and no call is left behind', async () => {
    const { url, errors } = await server({
      calls: {
        iceServers: (user) => {
          if (user.id === 'ana') throw new Error('TURN secret missing');
          return [{ urls: 'stun:stun.example.test' }];
        },
      },
    });
    const roomId = fresh('team');
    const [ana, ben] = await Promise.all([connect(url, 'ana'), connect(url, 'ben')]);
    for (const s of [ana, ben]) await join(s, roomId);
    expect(await request(ana, 'call:start', { roomId, kind: 'video' })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'The server could not get the connection details for the call. Try again.' },
    });
    expect(errors).toHaveLength(1);
    expect((await startCall(ben, roomId)).iceServers).toEqual([{ urls: 'stun:stun.example.test' }]);
  });

  it('wrong options throw at createChatServer', () => {
    expect(() => createChatServer(createServer(), { calls: { ringTimeoutMs: -1 } })).toThrow(
      new TypeError('calls.ringTimeoutMs must be a positive number of milliseconds.'),
    );
    expect(() => createChatServer(createServer(), { calls: { iceServers: [{ url: 'stun:x' } as never] } })).toThrow(
      'calls.iceServers must be a list',
    );
  });

  it('authorize can keep calls to some users (action "call")', async () => {
    const { url } = await server({ authorize: (action, { user }) => action !== 'call' || user.id === 'doctor' });
    const roomId = fresh('consult');
    const [doctor, patient] = await Promise.all([connect(url, 'doctor'), connect(url, 'patient')]);
    for (const s of [doctor, patient]) await join(s, roomId);
    expect(await request(patient, 'call:start', { roomId, kind: 'video' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const { call } = await startCall(doctor, roomId, ['patient']);
    expect(await request(patient, 'call:join', { callId: call.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
