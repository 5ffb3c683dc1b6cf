/**
 * Voice messages' audio, found from the first bytes of the file (never its name or the client's
 * Content-Type), as `file-types.ts` finds other files: WebM (Matroska), Ogg and MP4 containers, the
 * ones `MediaRecorder` records. The server cannot decode the audio; it checks the container only.
 */
import { builtInError, type ChatError } from '@chat/protocol';
import type { SniffedType } from './file-types.js';

const WEBM: SniffedType = { type: 'audio/webm', ext: 'webm' };
const OGG: SniffedType = { type: 'audio/ogg', ext: 'ogg' };
const MP4: SniffedType = { type: 'audio/mp4', ext: 'm4a' };

/** EBML's magic number, which a WebM or Matroska file starts with. */
const EBML_ID = [0x1a, 0x45, 0xdf, 0xa3];
/** The EBML header's DocType element. */
const DOC_TYPE_ID = 0x4282;
/** What an Ogg stream's first packet starts with for an audio codec (Opus, Vorbis, FLAC, Speex). */
const OGG_AUDIO = ['OpusHead', '\u0001vorbis', '\u007fFLAC', 'Speex   '];
/** MP4 brands an audio file (M4A) recorded by a browser or a phone carries, as major or compatible brand. */
const MP4_AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'mp41', 'mp42', 'isom', 'iso2', 'iso4', 'iso5', 'iso6', 'dash']);

/** The audio type of a voice message's first bytes (`head`): WebM, Ogg or MP4 audio; undefined for anything else. */
export function sniffVoice(head: Uint8Array): SniffedType | undefined {
  if (EBML_ID.every((byte, i) => head[i] === byte)) return webmDocType(head) ? WEBM : undefined;
  if (ascii(head, 0, 4) === 'OggS') return oggAudio(head) ? OGG : undefined;
  if (ascii(head, 4, 8) === 'ftyp') return mp4Audio(head) ? MP4 : undefined;
  return undefined;
}

/** The error of a voice upload whose bytes are none of the voice types. */
export function voiceRefused(): ChatError {
  return builtInError(
    'VALIDATION_FAILED',
    'This voice message is not WebM, Ogg or MP4 audio: record it as audio/webm, audio/ogg or audio/mp4 (as MediaRecorder does).',
  );
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return to > bytes.length ? '' : String.fromCharCode(...bytes.subarray(from, to));
}

/** An EBML variable-length integer at `at`: its value (without its length marker unless `keepMarker`) and length. */
function vint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number } | undefined {
  const first = bytes[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length || length > 6) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + (bytes[at + i] as number);
  return { value, length };
}

/** The EBML header (the file's first element) names the document type `webm` or `matroska`. */
function webmDocType(head: Uint8Array): boolean {
  const size = vint(head, EBML_ID.length, false);
  if (!size) return false;
  const start = EBML_ID.length + size.length;
  const end = Math.min(start + size.value, head.length);
  for (let at = start; at < end;) {
    const id = vint(head, at, true);
    const length = id && vint(head, at + id.length, false);
    if (!id || !length) return false;
    const data = at + id.length + length.length;
    if (id.value === DOC_TYPE_ID) {
      const docType = ascii(head, data, data + length.value).replace(/\0+$/u, '');
      return docType === 'webm' || docType === 'matroska';
    }
    at = data + length.value;
  }
  return false;
}

/** An Ogg stream's first page (version 0, beginning of stream) whose first packet is an audio codec's header. */
function oggAudio(head: Uint8Array): boolean {
  const segments = head[26];
  if (head[4] !== 0 || ((head[5] ?? 0) & 0x02) === 0 || segments === undefined || segments === 0) return false;
  const packet = 27 + segments;
  return OGG_AUDIO.some((codec) => ascii(head, packet, packet + codec.length) === codec);
}

/** An MP4 `ftyp` box (the file's first) with an audio-capable major or compatible brand. */
function mp4Audio(head: Uint8Array): boolean {
  const size = (((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0)) >>> 0;
  if (size < 16 || size > head.length || size % 4 !== 0) return false;
  if (MP4_AUDIO_BRANDS.has(ascii(head, 8, 12))) return true;
  for (let at = 16; at + 4 <= size; at += 4) if (MP4_AUDIO_BRANDS.has(ascii(head, at, at + 4))) return true;
  return false;
}
