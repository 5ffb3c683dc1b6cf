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
