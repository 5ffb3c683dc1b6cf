import { describe, expect, it } from 'vitest';
import type { ChatServerOptions } from '@chat/server';
import { sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import type { ChatClient } from '../chat-client.js';
import type { ChatRoom } from '../chat-room.js';
import type { Call } from './call.js';
import { fakeCalls, type FakePeerConnection, type FakeTrack } from './fake-webrtc.js';

// The SDK's calls from Node against a real server: ringing, accept, decline, hang up and a missed
// call, with a stand-in for WebRTC (fake-webrtc.ts) so the signalling runs end to end. Real media
// is checked in Chromium (packages/widget/test/calls.e2e.test.ts).

async function people(options: ChatServerOptions = {}, names = ['ana', 'luis']) {
  const { url } = await startChat({ calls: {}, ...options });
  const clients: ChatClient[] = [];
  const rooms: ChatRoom[] = [];
  for (const name of names) {
    const client = sdkClient(url, { auth: { name }, calls: fakeCalls() });
    clients.push(client);
    rooms.push(await client.join('consulta'));
  }
  return { url, clients, rooms };
}

const ringing = (client: ChatClient) => new Promise<Call>((resolve) => client.once('call', resolve));

describe('calls in the SDK (fake WebRTC)', () => {
  it('rings, is accepted, and both sides get the other one’s stream; hanging up ends it for both', async () => {
    const { clients, rooms } = await people();
    const [ana, luis] = rooms as [ChatRoom, ChatRoom];
    const incoming = ringing(clients[1] as ChatClient);
    const seenInRoom: Call[] = [];
    luis.on('call', (call) => seenInRoom.push(call));

    const call = await ana.startCall({ kind: 'video', invite: [luis.self?.id ?? ''] });
    expect(call.state).toBe('active');
    expect(call.participants.map((p) => p.id)).toEqual([ana.self?.id]);
    expect(call.ringing.map((p) => p.id)).toEqual([luis.self?.id]);
    expect(call.localStream?.getVideoTracks()).toHaveLength(1);

    const theirs = await incoming;
    expect(theirs.state).toBe('ringing');
    expect(theirs.startedBy.id).toBe(ana.self?.id);
    expect(seenInRoom).toEqual([theirs]);
    expect(luis.calls).toEqual([theirs]);

    await theirs.accept();
    expect(theirs.state).toBe('active');
    await waitFor(() => expect(call.participants.map((p) => p.id).sort()).toEqual([ana.self?.id, luis.self?.id].sort()));
    await waitFor(() => expect([...call.remoteStreams.keys()]).toEqual([luis.self?.id]));
    await waitFor(() => expect([...theirs.remoteStreams.keys()]).toEqual([ana.self?.id]));
    // One connection each way, negotiated, with the other side's candidates applied.
    await waitFor(() => expect(call.peerConnection(luis.self?.id ?? '')?.remoteDescription).not.toBeNull());
    await waitFor(() => expect(theirs.peerConnection(ana.self?.id ?? '')?.remoteDescription).not.toBeNull());

    call.setMuted(true);
    expect(call.muted).toBe(true);
    expect((call.localStream?.getAudioTracks()[0] as unknown as FakeTrack).enabled).toBe(false);
    call.setCamera(false);
    expect(call.cameraOn).toBe(false);

    const tracks = call.localStream?.getTracks() as unknown as FakeTrack[];
    const pcs = [call.peerConnection(luis.self?.id ?? ''), theirs.peerConnection(ana.self?.id ?? '')];
    // Who was in the call offers, who joined answers: no two offers crossing (a rolled-back offer
    // can leave Chromium gathering no candidates).
    expect(pcs.map((pc) => (pc as unknown as FakePeerConnection).offers)).toEqual([1, 0]);
    const ended = new Promise<void>((resolve) => theirs.on('state', (s) => s === 'ended' && resolve()));
    await call.hangUp();
    await ended;
    expect(call.state).toBe('ended');
    expect(theirs.endedAt).toBeDefined();
    expect(tracks.every((t) => t.stopped)).toBe(true);
    expect(pcs.every((pc) => (pc as unknown as { closed: boolean }).closed)).toBe(true);
    expect(ana.calls).toEqual([]);
    expect(luis.calls).toEqual([]);
  });

  it('declined: the call ends for the caller; accepting it afterwards is CALL_NOT_FOUND', async () => {
    const { clients, rooms } = await people();
    const [ana, luis] = rooms as [ChatRoom, ChatRoom];
    const incoming = ringing(clients[1] as ChatClient);
    const call = await ana.startCall({ kind: 'audio', invite: [luis.self?.id ?? ''] });
    expect(call.localStream?.getVideoTracks()).toHaveLength(0);
    const theirs = await incoming;
    await theirs.decline();
    await waitFor(() => expect(call.state).toBe('ended'));
    expect(theirs.state).toBe('ended');
    await expect(theirs.accept()).rejects.toMatchObject({ code: 'CALL_NOT_FOUND', message: 'This call has ended.' });
  });

  it('rings out: a missed call ends on both sides', async () => {
    const { clients, rooms } = await people({ calls: { ringTimeoutMs: 300 } });
    const [ana, luis] = rooms as [ChatRoom, ChatRoom];
    const incoming = ringing(clients[1] as ChatClient);
    const call = await ana.startCall({ kind: 'video', invite: [luis.self?.id ?? ''] });
    const theirs = await incoming;
    await waitFor(() => expect([call.state, theirs.state]).toEqual(['ended', 'ended']));
  });

  it('a member not in the call gets no signalling, sees the call going on, and can join it', async () => {
    const { clients, rooms } = await people({}, ['ana', 'luis', 'eva']);
    const [ana, luis, eva] = rooms as [ChatRoom, ChatRoom, ChatRoom];
    const evaClient = clients[2] as ChatClient;
    let signals = 0;
    evaClient.socket.on('call:signal', () => signals++);
    const going = new Promise<Call>((resolve) => eva.once('call', resolve));
    const incoming = ringing(clients[1] as ChatClient);
    const call = await ana.startCall({ kind: 'video', invite: [luis.self?.id ?? ''] });
    await (await incoming).accept();
    await waitFor(() => expect(call.remoteStreams.size).toBe(1));
    const seen = await going;
    await waitFor(() => expect(seen.participants).toHaveLength(2));
    expect(seen.state).toBe('available');
    expect(signals).toBe(0);

    // Eva joins: a mesh of three, one connection to each of the others.
    await seen.accept();
    await waitFor(() => expect([...seen.remoteStreams.keys()].sort()).toEqual([ana.self?.id, luis.self?.id].sort()));
    await waitFor(() => expect(call.remoteStreams.size).toBe(2));
    expect(signals).toBeGreaterThan(0);
    const evaOffers = [ana.self?.id, luis.self?.id].map((id) => (seen.peerConnection(id ?? '') as unknown as FakePeerConnection).offers);
    expect(evaOffers, 'offers made by the one who joined last').toEqual([0, 0]);
    // Eva hangs up: the call goes on for the two others.
    await seen.hangUp();
    await waitFor(() => expect(call.participants).toHaveLength(2));
    expect(call.state).toBe('active');
    expect(seen.state).toBe('available');
  });

  it('a refused microphone is a FORBIDDEN ChatError a person understands, and nothing rings', async () => {
    const { url } = await startChat({ calls: {} });
    const ana = await sdkClient(url, { auth: { name: 'ana' }, calls: fakeCalls('NotAllowedError') }).join('r');
    const luisClient = sdkClient(url, { auth: { name: 'luis' }, calls: fakeCalls() });
    const luis = await luisClient.join('r');
    let rang = false;
    luisClient.on('call', () => (rang = true));
    await expect(ana.startCall({ kind: 'video', invite: [luis.self?.id ?? ''] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'The browser did not allow the microphone and camera: allow them for this page to call.',
    });
    await expect(ana.startCall({ kind: 'hologram' as 'video' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(rang).toBe(false);
    expect(ana.calls).toEqual([]);
  });
});
