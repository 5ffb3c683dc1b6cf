import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Attachment } from '@chat/protocol';
import { MemoryStore, type ChatServerOptions, type ChatStore, type DiskUploadsOptions } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { sdkClient } from '../../../../../test-support/servers.js';
import { bothStores } from '../../../../../test-support/stores.js';
import { chatWithDisk, clusterOf, diskDir } from '../../../../../test-support/uploads.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { freshPrefix, skipWithoutRedis } from '../../../../../test-support/redis.js';
import { PNG, VOICE_MP4, VOICE_OGG, VOICE_WEBM, oggHead, type UploadFixture } from './upload-fixtures.js';

// Voice messages: audio uploads checked by their bytes, sent as attachments of kind 'voice' whose
// durationMs and waveform the server checks (limits.maxVoiceMs) and stores. Real servers, real
// disk folders, both stores.

const newRoom = () => `voice-${randomBytes(4).toString('hex')}`;
const WAVEFORM = Array.from({ length: 64 }, (_, i) => (i * 4) % 256);

/** A chat server with disk uploads, and a guest of it in a room of its own. */
async function voiceChat(store: ChatStore, disk: Partial<DiskUploadsOptions> = {}, options: ChatServerOptions = {}) {
  const started = await chatWithDisk(store, await diskDir(), disk, options);
  const roomId = newRoom();
  const client = sdkClient(started.url, { auth: { name: 'Ana' } });
  const room = await client.join(roomId);
  /** Uploads a fixture's bytes under `type`, as a voice message or as a plain file. */
  const upload = (file: Pick<UploadFixture, 'name' | 'bytes'>, type = 'audio/webm', as: 'voice' | 'file' = 'voice') =>
    room.upload(new File([file.bytes], file.name, { type }), as === 'voice' ? { kind: 'voice' } : {});
  return { ...started, roomId, client, room, upload };
}

function voiceSuite(makeStore: () => ChatStore): void {
  it('takes WebM, Ogg and MP4 audio as voice messages; durationMs and waveform reach the room and stay in the store', async () => {
    const { chat, url, roomId, room, upload } = await voiceChat(makeStore());
    const sent: Attachment[] = [];
    for (const [fixture, type] of [
      [VOICE_WEBM, 'audio/webm;codecs=opus'],
      [VOICE_OGG, 'audio/ogg; codecs=opus'],
      [VOICE_MP4, ''],
    ] as const) {
      const uploaded = await upload(fixture, type);
      expect(uploaded).toMatchObject({ type: fixture.type, name: fixture.name, size: fixture.bytes.length });
      expect(uploaded.url).toMatch(new RegExp(`\\.${fixture.ext}$`, 'u'));
      const served = await fetch(uploaded.url);
      expect(served.headers.get('content-type')).toBe(fixture.type);
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(fixture.bytes);
      sent.push({ ...uploaded, kind: 'voice', durationMs: 1500 + sent.length, waveform: WAVEFORM });
    }
    const message = await room.send({ text: '', attachments: sent });
    expect(message.attachments).toEqual(sent);

    const stored = await chat.store.getMessage(roomId, message.id);
    expect(stored?.attachments).toEqual(sent);
    const reader = await sdkClient(url, { auth: { name: 'Ben' } }).join(roomId);
    expect(reader.messages.find((m) => m.id === message.id)?.attachments).toEqual(sent);
  });

  it('refuses a voice upload whose bytes are not WebM, Ogg or MP4 audio, whatever type it claims', async () => {
    const { upload } = await voiceChat(makeStore());
    const notAudio = {
      code: 'VALIDATION_FAILED',
      message: 'This voice message is not WebM, Ogg or MP4 audio: record it as audio/webm, audio/ogg or audio/mp4 (as MediaRecorder does).',
    };
    await expect(upload(PNG, 'audio/webm')).rejects.toMatchObject(notAudio);
    await expect(
      upload({ name: 'voice.ogg', bytes: oggHead([0x80, 0x74, 0x68, 0x65, 0x6f, 0x72, 0x61]) }, 'audio/ogg'),
    ).rejects.toMatchObject(notAudio);
    await expect(upload({ name: 'voice.webm', bytes: new TextEncoder().encode('not audio at all') }, '')).rejects.toMatchObject(notAudio);
    // Said up front, a type that is not audio is refused before any byte is sent.
    await expect(upload(VOICE_WEBM, 'image/png')).rejects.toMatchObject(notAudio);
    // Not as a voice message, audio is a file like any other: the default types take none.
    await expect(upload(VOICE_WEBM, 'audio/webm', 'file')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses a voice attachment that is too long, has no duration, a bad waveform, or a file not uploaded as voice', async () => {
    const { chat, roomId, room, upload } = await voiceChat(makeStore(), {}, { limits: { maxVoiceMs: 60_000 } });
    const audio = await upload(VOICE_OGG, 'audio/ogg');
    const voice = { ...audio, kind: 'voice' as const, durationMs: 60_000 };
    const refused = (attachment: Record<string, unknown>, message: string) =>
      expect(room.send({ text: '', attachments: [attachment as unknown as Attachment] })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message,
      });
    await refused(
      { ...voice, durationMs: 60_001 },
      'durationMs must be at most 60000: voice messages can be at most 60 seconds long (limits.maxVoiceMs).',
    );
    const { durationMs: _, ...noDuration } = voice;
    await refused(noDuration, 'durationMs is missing: a voice attachment gives its length in ms.');
    await refused({ ...voice, durationMs: 0 }, 'durationMs must be at least 1.');
    await refused({ ...voice, durationMs: 1.5 }, 'durationMs must be a whole number.');
    await refused({ ...voice, durationMs: '900' }, 'durationMs must be a number.');
    const badWaveform = 'waveform must be a list of at most 64 whole numbers from 0 to 255.';
    for (const waveform of [[...WAVEFORM, 0], [256], [-1], [0.5], ['x'], 'loud']) await refused({ ...voice, waveform }, badWaveform);
    await refused({ ...voice, kind: 'music' }, "kind must be 'voice' (a voice message) or absent.");
    await refused({ ...audio, durationMs: 900 }, "durationMs and waveform go with kind: 'voice' (a voice message).");
    await refused({ ...voice, type: 'image/png' }, "A voice attachment's type must be audio/webm, audio/ogg, audio/mp4.");
    // An image uploaded as a file cannot pass for a voice message by what its attachment says.
    const image = await upload(PNG, 'image/png', 'file');
    await refused(
      { ...image, type: 'audio/webm', kind: 'voice', durationMs: 900 },
      'The file "dot.png" is not a voice recording: send it with room.sendVoice().',
    );
    // The server API is bounded the same way.
    await expect(
      chat.sendMessage(roomId, { user: { id: 'host-bot', name: 'Bot' }, text: '', attachments: [{ ...voice, durationMs: 60_001 }] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    // What was refused left the upload unsent: it can still go, at the limit.
    const message = await room.send({ text: 'at the limit', attachments: [voice] });
    expect(message.attachments).toEqual([voice]);
  });
}

describe.each(bothStores())('voice messages (%s)', (_name, makeStore) => {
  voiceSuite(makeStore);
});

describe('voice messages: the uploads option', () => {
  it('voice: false takes no voice message, up front or with the file', async () => {
    const { url, upload } = await voiceChat(new MemoryStore(), { voice: false });
    await expect(upload(VOICE_WEBM)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: 'This server takes no voice messages.' });
    const form = new FormData();
    form.append('file', new Blob([VOICE_WEBM.bytes]), 'voice.webm');
    const headers = { 'x-chat-auth': encodeURIComponent(JSON.stringify({ name: 'Ana' })) };
    const answer = await fetch(`${url}/chat/uploads?kind=voice`, { method: 'POST', headers, body: form });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: 'This server takes no voice messages.' } });
  });
});

describe.skipIf(skipWithoutPostgres() || skipWithoutRedis())('voice messages on two processes (PostgresStore, Redis)', () => {
  const schema = useTestSchema();
  it('a voice message sent on one process reaches a member on the other with its duration and waveform', async () => {
    const dir = await diskDir();
    const keyPrefix = freshPrefix();
    const one = await chatWithDisk(new PostgresStore({ pool: schema.pool() }), dir, {}, clusterOf(keyPrefix));
    const two = await chatWithDisk(new PostgresStore({ pool: schema.pool() }), dir, {}, clusterOf(keyPrefix));
    const roomId = newRoom();
    const ana = await sdkClient(one.url, { auth: { name: 'Ana' } }).join(roomId);
    const ben = await sdkClient(two.url, { auth: { name: 'Ben' } }).join(roomId);
    const uploaded = await ana.upload(new File([VOICE_MP4.bytes], VOICE_MP4.name, { type: 'audio/mp4' }), { kind: 'voice' });
    const voice: Attachment = { ...uploaded, kind: 'voice', durationMs: 42_000, waveform: [0, 128, 255] };
    const sent = await ana.send({ text: '', attachments: [voice] });
    await waitFor(() => expect(ben.messages.find((m) => m.id === sent.id)?.attachments).toEqual([voice]));
    expect(new Uint8Array(await (await fetch(voice.url)).arrayBuffer())).toEqual(VOICE_MP4.bytes);
  });
});
