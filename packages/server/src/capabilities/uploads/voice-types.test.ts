import { describe, expect, it } from 'vitest';
import { GIF, PDF, PNG, mp4Head, oggHead, webmHead } from './upload-fixtures.js';
import { sniffVoice } from './voice-types.js';

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

describe('sniffVoice', () => {
  it('finds WebM, Matroska, Ogg (Opus, Vorbis, FLAC) and MP4 audio by their first bytes', () => {
    expect(sniffVoice(webmHead())).toEqual({ type: 'audio/webm', ext: 'webm' });
    expect(sniffVoice(webmHead('matroska'))).toEqual({ type: 'audio/webm', ext: 'webm' });
    expect(sniffVoice(oggHead())).toEqual({ type: 'audio/ogg', ext: 'ogg' });
    expect(sniffVoice(oggHead([1, ...ascii('vorbis'), 0, 0, 0, 0]))).toEqual({ type: 'audio/ogg', ext: 'ogg' });
    expect(sniffVoice(oggHead([0x7f, ...ascii('FLAC'), 1, 0]))).toEqual({ type: 'audio/ogg', ext: 'ogg' });
    for (const [major, compatible] of [
      ['M4A ', []],
      ['isom', ['iso2', 'mp41']],
      ['mp42', []],
      ['dash', ['iso6']],
      ['qt  ', ['M4A ']],
    ] as const) {
      expect(sniffVoice(mp4Head(major, [...compatible]))).toEqual({ type: 'audio/mp4', ext: 'm4a' });
    }
  });

  it('refuses other files, other document types, video codecs and cut or malformed headers', () => {
    for (const bytes of [PNG.bytes, GIF.bytes, PDF.bytes, new Uint8Array(), new Uint8Array(64)]) expect(sniffVoice(bytes)).toBeUndefined();
    expect(sniffVoice(webmHead('mkvx'))).toBeUndefined();
    expect(sniffVoice(webmHead().subarray(0, 12))).toBeUndefined();
    // Theora is video.
    expect(sniffVoice(oggHead([0x80, ...ascii('theora'), 3, 2, 1]))).toBeUndefined();
    const notFirstPage = oggHead();
    notFirstPage[5] = 0;
    expect(sniffVoice(notFirstPage)).toBeUndefined();
    // QuickTime and a 3GP video brand, and an ftyp box longer than the file.
    expect(sniffVoice(mp4Head('qt  ', []))).toBeUndefined();
    expect(sniffVoice(mp4Head('3gp4', ['3gp4']))).toBeUndefined();
    expect(sniffVoice(mp4Head().subarray(0, 20))).toBeUndefined();
  });
});
