// Base64 of bytes as RFC 4648 writes it (Node's Buffer is the reference), across the encoder's
// chunk boundaries, for every byte value, and back.
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64.js';

function pattern(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 151 + (i >> 8)) & 0xff;
  return bytes;
}

describe('base64', () => {
  it('writes what Buffer writes, at every length around a chunk, and reads it back', () => {
    for (const length of [0, 1, 2, 3, 4, 76, 400, 0x1fff, 0x2000, 0x2001, 0x4000 + 2, 42_000, 70_001]) {
      const bytes = pattern(length);
      const text = toBase64(bytes);
      expect(text, `length ${length}`).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.compare(fromBase64(text), bytes), `length ${length}, read back`).toBe(0);
    }
  });

  it('keeps every byte value, in a subarray of a larger buffer too', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toBase64(all)).toBe(Buffer.from(all).toString('base64'));
    const inner = pattern(0x2010).subarray(7, 0x2009);
    expect(toBase64(inner)).toBe(Buffer.from(inner).toString('base64'));
  });

  it('refuses what is not base64', () => {
    expect(() => fromBase64('not base64!')).toThrow();
  });
});
