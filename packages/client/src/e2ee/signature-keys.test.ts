// Ed25519 with each key imported once (WebCrypto in Node): signatures still verify against the
// right key only, and a key array changed in place is imported again.
import { describe, expect, it } from 'vitest';
import { getCiphersuiteFromName } from 'ts-mls/crypto/ciphersuite.js';
import { getCiphersuiteImpl } from 'ts-mls/crypto/getCiphersuiteImpl.js';
import { E2EE_CIPHERSUITE } from '@chat/protocol';
import { cachedEd25519 } from './signature-keys.js';

const bytes = (value: string) => new TextEncoder().encode(value);

describe('Ed25519 keys imported once (cachedEd25519)', () => {
  it('signs and verifies as ts-mls does; a wrong key, message or signature fails', async () => {
    const plain = (await getCiphersuiteImpl(getCiphersuiteFromName(E2EE_CIPHERSUITE))).signature;
    const cached = cachedEd25519(plain);
    const a = await plain.keygen();
    const b = await plain.keygen();
    for (let i = 0; i < 2; i++) {
      const signed = await cached.sign(a.signKey, bytes('hello'));
      expect(await plain.verify(a.publicKey, bytes('hello'), signed)).toBe(true);
      expect(await cached.verify(a.publicKey, bytes('hello'), signed)).toBe(true);
      expect(await cached.verify(b.publicKey, bytes('hello'), signed)).toBe(false);
      expect(await cached.verify(a.publicKey, bytes('hellO'), signed)).toBe(false);
      expect(await cached.verify(a.publicKey, bytes('hello'), await plain.sign(b.signKey, bytes('hello')))).toBe(false);
    }
  });

  it('imports a key again when the same array holds other bytes', async () => {
    const plain = (await getCiphersuiteImpl(getCiphersuiteFromName(E2EE_CIPHERSUITE))).signature;
    const cached = cachedEd25519(plain);
    const a = await plain.keygen();
    const b = await plain.keygen();
    const signKey = a.signKey.slice();
    const publicKey = a.publicKey.slice();
    expect(await plain.verify(a.publicKey, bytes('x'), await cached.sign(signKey, bytes('x')))).toBe(true);
    expect(await cached.verify(publicKey, bytes('x'), await plain.sign(a.signKey, bytes('x')))).toBe(true);
    signKey.set(b.signKey);
    publicKey.set(b.publicKey);
    expect(await plain.verify(b.publicKey, bytes('x'), await cached.sign(signKey, bytes('x')))).toBe(true);
    expect(await cached.verify(publicKey, bytes('x'), await plain.sign(b.signKey, bytes('x')))).toBe(true);
  });
});
