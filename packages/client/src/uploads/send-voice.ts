// `room.sendVoice`: a recording uploaded as a voice message (`kind: 'voice'`), then sent through
// the room's outbox like any file. Loaded on the first call: a page that sends no voice skips it.
import { builtInError, VOICE_TYPES, VOICE_WAVEFORM_MAX, type Attachment, type Message } from '@chat/protocol';
import type { MessageDraftInput } from '../core/room-types.js';
import type { UploadOptions } from './upload.js';

/** Options of `room.sendVoice()`. */
export interface SendVoiceOptions extends Pick<UploadOptions, 'onProgress' | 'signal' | 'name'> {
  /** The recording's length in whole milliseconds, above 0 (the server refuses more than its `limits.maxVoiceMs`, 5 min by default). */
  durationMs: number;
  /** Its loudness from start to end, for a player to draw: at most 64 whole numbers 0-255. */
  waveform?: number[];
  /** Text sent with it. @default '' */
  text?: string;
  /** Id of the message it answers. */
  replyTo?: string;
  /** Id of the message whose thread it is a reply in: sent like `room.thread(threadOf).send()`. */
  threadOf?: string;
}

/** Where a voice message is sent (through the outbox): a room, or one of its threads. */
interface VoiceSend {
  send(input: MessageDraftInput): Promise<Message>;
}

/** What sending a voice message needs of a room: its upload, its send and its threads'. */
export interface VoiceRoom extends VoiceSend {
  upload(file: Blob, options: Omit<UploadOptions, 'roomId'>): Promise<Attachment>;
  thread(messageId: string): VoiceSend;
}

/**
 * Uploads `blob` (WebM, Ogg or MP4 audio, as `MediaRecorder` records it) as a voice message and
 * sends a message carrying it, in the room or, with `threadOf`, in that message's thread. Refuses with `VALIDATION_FAILED` before uploading anything when the
 * Blob's type or the options are not a voice message's.
 */
export async function sendVoice(room: VoiceRoom, blob: Blob, options: SendVoiceOptions): Promise<Message> {
  const { durationMs, waveform, text = '', replyTo, threadOf, ...upload } = options;
  // A recorder's type carries its codec (`audio/webm;codecs=opus`): the container is what counts.
  const type = (blob.type.split(';')[0] ?? '').trim().toLowerCase();
  if (!(VOICE_TYPES as readonly string[]).includes(type)) {
    throw builtInError(
      'VALIDATION_FAILED',
      `A voice message is ${VOICE_TYPES.join(', ')}; this Blob is "${blob.type}" (give it the recorder's mimeType).`,
    );
  }
  if (!Number.isSafeInteger(durationMs) || durationMs < 1) {
    throw builtInError('VALIDATION_FAILED', 'durationMs must be the whole number of milliseconds the recording lasts, above 0.');
  }
  if (waveform !== undefined && !validWaveform(waveform)) {
    throw builtInError('VALIDATION_FAILED', `waveform must be a list of at most ${VOICE_WAVEFORM_MAX} whole numbers from 0 to 255.`);
  }
  // The same bytes under their container's type: the server and an encrypted room's readers see it.
  const file = blob.type === type ? blob : new Blob([blob], { type });
  const name = upload.name ?? `voice.${type === 'audio/mp4' ? 'm4a' : type.slice('audio/'.length)}`;
  const uploaded = await room.upload(file, { ...upload, name, kind: 'voice' });
  const attachment: Attachment = { ...uploaded, kind: 'voice', durationMs, ...(waveform !== undefined && { waveform: [...waveform] }) };
  const to = threadOf === undefined ? room : room.thread(threadOf);
  return to.send({ text, attachments: [attachment], ...(replyTo !== undefined && { replyTo }) });
}

function validWaveform(waveform: unknown): waveform is number[] {
  return (
    Array.isArray(waveform) &&
    waveform.length <= VOICE_WAVEFORM_MAX &&
    waveform.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 255)
  );
}
