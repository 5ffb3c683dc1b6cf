// room.sendVoice against real chat servers with disk uploads: the recording is uploaded as a voice
// message, then sent through the outbox like any file (and, in an encrypted room, encrypted).
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { diskUploads, MemoryStore, type ChatServerOptions } from '@chat/server';
import { anaAndBob, encryptedChat } from '../../../test-support/e2ee-devices.js';
import { sdkClient } from '../../../test-support/servers.js';
import { expectStoredNowhere } from '../../../test-support/stored-nowhere.js';
import { chatWithUploads, diskDir } from '../../../test-support/uploads.js';
import { waitFor } from '../../../test-support/wait.js';
import { PNG, VOICE_OGG, VOICE_WEBM } from '../../server/src/capabilities/uploads/upload-fixtures.js';
import { indexedDbOutbox } from './outbox/indexeddb-outbox.js';
import type { Message } from './index.js';

const WAVEFORM = [3, 141, 59, 26, 53, 58, 97, 93, 238, 46, 255, 0];
/** A recording as MediaRecorder gives it: its type names the codec. */
const recording = (bytes = VOICE_WEBM.bytes, type = 'audio/webm;codecs=opus') => new Blob([bytes], { type });

async function voiceChat(options: ChatServerOptions = {}) {
  return chatWithUploads({ uploads: diskUploads({ dir: await diskDir() }), ...options });
}

describe('room.sendVoice', () => {
  it('uploads the recording as a voice message and sends it; another member gets its duration, waveform and bytes', async () => {
    const { url, chat } = await voiceChat();
    const ana = sdkClient(url, { auth: { name: 'Ana' } });
    const [anaRoom, bobRoom] = await Promise.all([ana.join('lobby'), sdkClient(url, { auth: { name: 'Bob' } }).join('lobby')]);
    const received = new Promise<Message>((resolve) => bobRoom.on('message', resolve));
    const progress: number[] = [];

    const sent = await anaRoom.sendVoice(recording(), {
      durationMs: 3200,
      waveform: WAVEFORM,
      text: 'listen',
      onProgress: ({ loaded }) => progress.push(loaded),
    });
    const voice = {
      url: expect.stringMatching(new RegExp(`^${url}/chat/uploads/[A-Za-z0-9_-]{22}\\.webm$`, 'u')) as unknown,
      type: 'audio/webm',
      name: 'voice.webm',
      size: VOICE_WEBM.bytes.length,
      kind: 'voice',
      durationMs: 3200,
      waveform: WAVEFORM,
    };
    expect(sent).toMatchObject({ text: 'listen', attachments: [voice] });
    expect(progress).toEqual([VOICE_WEBM.bytes.length]);
    expect((await received).attachments).toEqual([voice]);
    expect((await chat.store.getMessage('lobby', sent.id))?.attachments).toEqual([voice]);
    const file = await fetch(sent.attachments[0]?.url as string);
    expect(file.headers.get('content-type')).toBe('audio/webm');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(VOICE_WEBM.bytes);
  });

  it('with threadOf, a reply in that thread: in the thread, not in the room log', async () => {
    const { url, chat } = await voiceChat();
    const ana = sdkClient(url, { auth: { name: 'Ana' } });
    const room = await ana.join('lobby');
    const parent = await room.send('Friday?');
    const thread = room.thread(parent.id);
    await thread.ready();
    const reply = await room.sendVoice(recording(), { durationMs: 1500, threadOf: parent.id });
    expect(reply).toMatchObject({ threadOf: parent.id, attachments: [{ kind: 'voice', durationMs: 1500 }] });
    await waitFor(() => thread.messages.some((m) => m.id === reply.id));
    expect(room.messages.map((m) => m.id)).toEqual([parent.id]);
    const replies = await chat.store.listMessages('lobby', { limit: 10, threadOf: parent.id });
    expect(replies.messages.map((m) => m.id)).toEqual([reply.id]);
  });

  it('goes through the outbox: sent offline, it survives a reload and goes out from the next page', async () => {
    const { url, chat } = await voiceChat();
    const auth = { name: 'Ana', guestKey: 'ana-voice-guest-key-00001' };
    const outbox = indexedDbOutbox({ indexedDB: new IDBFactory(), locks: false });
    const page = sdkClient(url, { auth, outbox });
    const room = await page.join('lobby');
    page.socket.disconnect();
    // The upload is HTTP: it goes; the message waits in the outbox for the socket.
    const sending = room.sendVoice(recording(VOICE_OGG.bytes, 'audio/ogg; codecs=opus'), { durationMs: 900, waveform: [1, 2, 3] });
    const scope = { server: `${url}/`, userId: room.self?.id ?? '', roomId: 'lobby' };
    await waitFor(async () => expect((await outbox.load(scope)).map((e) => e.attachments[0]?.kind)).toEqual(['voice']));
    page.close();
    await expect(sending).rejects.toBeDefined();
    expect((await chat.store.listMessages('lobby', { limit: 10 })).messages).toEqual([]);

    const next = await sdkClient(url, { auth, outbox }).join('lobby');
    await waitFor(() => expect(next.messages).toHaveLength(1));
    expect(next.messages[0]?.attachments).toEqual([
      expect.objectContaining({ type: 'audio/ogg', name: 'voice.ogg', kind: 'voice', durationMs: 900, waveform: [1, 2, 3] }),
    ]);
  });

  it('refuses what is no voice message: before uploading when the SDK can tell, else as the server says', async () => {
    const { url } = await voiceChat({ limits: { maxVoiceMs: 60_000 } });
    const room = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');
    const refused = { code: 'VALIDATION_FAILED' };
    await expect(room.sendVoice(new Blob([PNG.bytes], { type: 'image/png' }), { durationMs: 900 })).rejects.toMatchObject({
      ...refused,
      message: 'A voice message is audio/webm, audio/ogg, audio/mp4; this Blob is "image/png" (give it the recorder\'s mimeType).',
    });
    for (const durationMs of [0, -5, 1.5, Number.NaN]) {
      await expect(room.sendVoice(recording(), { durationMs })).rejects.toMatchObject({
        ...refused,
        message: 'durationMs must be the whole number of milliseconds the recording lasts, above 0.',
      });
    }
    for (const waveform of [new Array<number>(65).fill(1), [256], [-1], [0.5]]) {
      await expect(room.sendVoice(recording(), { durationMs: 900, waveform })).rejects.toMatchObject({
        ...refused,
        message: 'waveform must be a list of at most 64 whole numbers from 0 to 255.',
      });
    }
    // Bytes that are not audio, whatever the Blob's type says: the server's sniffing refuses them.
    await expect(room.sendVoice(new Blob([PNG.bytes], { type: 'audio/webm' }), { durationMs: 900 })).rejects.toMatchObject({
      ...refused,
      message: 'This voice message is not WebM, Ogg or MP4 audio: record it as audio/webm, audio/ogg or audio/mp4 (as MediaRecorder does).',
    });
    // Longer than the server's limits.maxVoiceMs: the message is refused (and stays failed in the outbox).
    await expect(room.sendVoice(recording(), { durationMs: 60_001 })).rejects.toMatchObject({
      ...refused,
      message: 'durationMs must be at most 60000: voice messages can be at most 60 seconds long (limits.maxVoiceMs).',
    });
    expect(room.outbox.map((e) => [e.status, e.attachments[0]?.durationMs])).toEqual([['failed', 60_001]]);
  });

  it('in an encrypted room the audio is encrypted like any file, and its duration and waveform travel only inside the ciphertext', async () => {
    const { url, chat, roomId } = await encryptedChat(
      () => new MemoryStore(),
      { uploads: diskUploads({ dir: await diskDir() }) },
      chatWithUploads,
    );
    const { tag, bob, anaRoom, bobRoom } = await anaAndBob(url, roomId);
    const waveform = [201, 7, 177, 77, 17, 170];
    const sent = await anaRoom.sendVoice(recording(), { durationMs: 271_828, waveform });
    const voice = sent.attachments[0];
    expect(voice).toMatchObject({
      type: 'audio/webm',
      name: 'voice.webm',
      kind: 'voice',
      durationMs: 271_828,
      waveform,
      e2ee: expect.anything(),
    });
    expect(voice?.url).toMatch(/\.bin$/u);
    await waitFor(() => expect(bobRoom.messages.find((m) => m.id === sent.id)?.attachments).toEqual([voice]));
    const opened = await bob.e2ee!.openFile(voice!);
    expect(opened.type).toBe('audio/webm');
    expect(new Uint8Array(await opened.arrayBuffer())).toEqual(VOICE_WEBM.bytes);
    // The server holds the message without attachments, and neither the duration nor the waveform.
    expect((await chat.store.getMessage(roomId, sent.id))?.attachments).toEqual([]);
    for (const secret of ['271828', JSON.stringify(waveform)]) await expectStoredNowhere(chat, secret, [`ana-${tag}`, `bob-${tag}`]);
  });
});
