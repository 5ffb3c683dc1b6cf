// Small real files of each kind, for the uploads tests (not part of the package build: only tests import it).

const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** A file as a test uploads it, and what the server must find it to be. */
export interface UploadFixture {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** The type found from content. */
  type: string;
  ext: string;
  /** Served inline (a plain image) or as a download. */
  inline: boolean;
}

export const PNG: UploadFixture = {
  name: 'dot.png',
  bytes: b64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='),
  type: 'image/png',
  ext: 'png',
  inline: true,
};

export const GIF: UploadFixture = {
  name: 'dot.gif',
  bytes: b64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'),
  type: 'image/gif',
  ext: 'gif',
  inline: true,
};

export const WEBP: UploadFixture = {
  name: 'dot.webp',
  bytes: b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=='),
  type: 'image/webp',
  ext: 'webp',
  inline: true,
};

export const JPEG: UploadFixture = {
  name: 'photo.jpg',
  // SOI, a JFIF APP0 segment, EOI: enough for content detection.
  bytes: new Uint8Array([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
  ]),
  type: 'image/jpeg',
  ext: 'jpg',
  inline: true,
};

export const PDF: UploadFixture = {
  name: 'Informe médico (v2).pdf',
  bytes: utf8('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  type: 'application/pdf',
  ext: 'pdf',
  inline: false,
};

export const TEXT: UploadFixture = {
  name: 'notas.txt',
  bytes: utf8('Línea uno\r\nLine two\twith a tab\n<3 not markup\n'),
  type: 'text/plain',
  ext: 'txt',
  inline: false,
};

/** HTML that would run script if served as HTML, named like an image. */
export const HTML_AS_PNG = {
  name: 'cat.png',
  bytes: utf8('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'),
};
/** SVG with script, named as such and claiming to be an image. */
export const SVG = { name: 'logo.svg', bytes: utf8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') };

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The start of a WebM (or Matroska) file: its EBML header naming `docType`, then a Segment of unknown size. */
export function webmHead(docType = 'webm'): Uint8Array<ArrayBuffer> {
  const header = [
    ...[0x42, 0x86, 0x81, 0x01], // EBMLVersion 1
    ...[0x42, 0xf7, 0x81, 0x01], // EBMLReadVersion 1
    ...[0x42, 0xf2, 0x81, 0x04], // EBMLMaxIDLength 4
    ...[0x42, 0xf3, 0x81, 0x08], // EBMLMaxSizeLength 8
    ...[0x42, 0x82, 0x80 | docType.length, ...ascii(docType)], // DocType
    ...[0x42, 0x87, 0x81, 0x04], // DocTypeVersion 4
    ...[0x42, 0x85, 0x81, 0x02], // DocTypeReadVersion 2
  ];
  const segment = [0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  return new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80 | header.length, ...header, ...segment]);
}

/** The first page of an Ogg stream whose first packet is `packet` (an Opus head by default). */
export function oggHead(packet: number[] = [...ascii('OpusHead'), 1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]): Uint8Array<ArrayBuffer> {
  const page = [
    ...ascii('OggS'),
    0, // version
    0x02, // beginning of stream
    ...new Array<number>(8).fill(0), // granule position
    ...[0x01, 0x02, 0x03, 0x04], // serial number
    ...new Array<number>(4).fill(0), // page sequence number
    ...new Array<number>(4).fill(0), // checksum (not checked)
    1, // one segment
    packet.length,
  ];
  return new Uint8Array([...page, ...packet]);
}

/** The start of an MP4 file: an `ftyp` box of these brands (major first), then a `free` box. */
export function mp4Head(major = 'M4A ', compatible: string[] = ['M4A ', 'isom', 'mp42']): Uint8Array<ArrayBuffer> {
  const size = 16 + 4 * compatible.length;
  const ftyp = [0, 0, 0, size, ...ascii('ftyp'), ...ascii(major), 0, 0, 0, 0, ...compatible.flatMap(ascii)];
  return new Uint8Array([...ftyp, 0, 0, 0, 8, ...ascii('free')]);
}

/** Voice recordings as `MediaRecorder` makes them (their first bytes: the server checks the container only). */
export const VOICE_WEBM: UploadFixture = { name: 'voice.webm', bytes: webmHead(), type: 'audio/webm', ext: 'webm', inline: false };
export const VOICE_OGG: UploadFixture = { name: 'voice.ogg', bytes: oggHead(), type: 'audio/ogg', ext: 'ogg', inline: false };
export const VOICE_MP4: UploadFixture = { name: 'voice.m4a', bytes: mp4Head(), type: 'audio/mp4', ext: 'm4a', inline: false };
