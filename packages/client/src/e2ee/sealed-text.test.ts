import { describe, expect, it } from 'vitest';
import type { Attachment } from '@chat/protocol';
import { openPlaintext, sealPlaintext } from './sealed-text.js';

const file: Attachment = { url: 'https://chat.example/chat/uploads/abc.bin', type: 'audio/ogg', name: 'voice.ogg', size: 48 };
const reopen = (attachments: unknown[]) =>
  openPlaintext(sealPlaintext('ana', { text: '', attachments: attachments as Attachment[] }), 'ana');

describe('sealed voice files', () => {
  it('a voice file opens with its duration and waveform', () => {
    const voice = { ...file, kind: 'voice' as const, durationMs: 1200, waveform: [0, 128, 255] };
    expect(reopen([voice])).toEqual({ text: '', attachments: [voice] });
    expect(reopen([{ ...voice, waveform: undefined }])?.attachments).toHaveLength(1);
  });

  it('a plaintext whose voice fields are malformed does not open (the message is undecryptable)', () => {
    const voice = { ...file, kind: 'voice', durationMs: 1200 };
    for (const bad of [
      { ...voice, kind: 'music' },
      { ...voice, durationMs: 0 },
      { ...voice, durationMs: 1.5 },
      { ...file, kind: 'voice' },
      { ...file, durationMs: 1200 },
      { ...voice, waveform: new Array<number>(65).fill(1) },
      { ...voice, waveform: [256] },
      { ...voice, waveform: 'loud' },
    ]) {
      expect(reopen([bad]), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
