import { describe, expect, it } from 'vitest';
import { isPlainText, servedInline, servedType, typeAllowed } from './file-types.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('file types', () => {
  it('takes UTF-8 text as plain text, but not markup, control characters or other encodings', () => {
    expect(isPlainText(bytes('hello\r\n\tworld\f'), true)).toBe(true);
    expect(isPlainText(bytes('\ufeffcon BOM y eñe'), true)).toBe(true);
    expect(isPlainText(bytes('<3 is not a tag'), true)).toBe(true);
    for (const markup of ['<!DOCTYPE html>', '  \n<html>', '<svg xmlns="">', '<?xml version="1.0"?>', '<!-- x -->', '</p>']) {
      expect(isPlainText(bytes(markup), true), markup).toBe(false);
    }
    expect(isPlainText(bytes('a\u0000b'), true)).toBe(false);
    expect(isPlainText(bytes('esc \u001b[31m'), true)).toBe(false);
    expect(isPlainText(new Uint8Array([0x61, 0xe9, 0x62]), true)).toBe(false); // Latin-1, not UTF-8
    expect(isPlainText(bytes('   \n'), true)).toBe(false);
    // A character cut by the end of a sample is fine; at the end of the whole file it is not.
    const cut = bytes('año ñ').subarray(0, 6);
    expect([isPlainText(cut, false), isPlainText(cut, true)]).toEqual([true, false]);
  });

  it('matches allowed types exactly or by type/*, and never allows what could run script', () => {
    expect(typeAllowed('image/png', ['image/png'])).toBe(true);
    expect(typeAllowed('image/webp', ['image/*'])).toBe(true);
    expect(typeAllowed('application/pdf', ['image/*'])).toBe(false);
    expect(typeAllowed('image/svg+xml', ['image/*', 'image/svg+xml'])).toBe(false);
    expect(typeAllowed('application/xml', ['application/*'])).toBe(false);
  });

  it('serves plain images inline and anything that could run script as a download of bytes', () => {
    expect(servedType('text/plain')).toBe('text/plain; charset=utf-8');
    expect(servedType('text/html')).toBe('application/octet-stream');
    expect(servedType('image/svg+xml')).toBe('application/octet-stream');
    expect(servedType('image/png\r\nx-evil: 1')).toBe('application/octet-stream');
    expect(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'image/bmp'].map(servedInline)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
