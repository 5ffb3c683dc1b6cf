// The suite's HKDF and HMAC by @noble/hashes (noble-kdf.ts) against ts-mls's own over WebCrypto:
// the same bytes for the same inputs (and RFC 5869's first test case), and a group whose members
// use one or the other reads every message and commit of the other.
import { E2EE_CIPHERSUITE } from '@chat/protocol';
import type { ClientState } from 'ts-mls/clientState.js';
import { getCiphersuiteFromName, type CiphersuiteImpl } from 'ts-mls/crypto/ciphersuite.js';
import { getCiphersuiteImpl } from 'ts-mls/crypto/getCiphersuiteImpl.js';
import { deriveTreeSecret, expandWithLabel } from 'ts-mls/crypto/kdf.js';
import { createCommit } from 'ts-mls/createCommit.js';
import { createApplicationMessage } from 'ts-mls/createMessage.js';
import { decodeMlsMessage, encodeMlsMessage } from 'ts-mls/message.js';
import { processPrivateMessage } from 'ts-mls/processMessages.js';
import { emptyPskIndex } from 'ts-mls/pskIndex.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { addTo } from '../../../../test-support/mls-groups.js';
import { fromBase64, toBase64 } from './base64.js';
import { MlsDevice, parseIdentity } from './mls-device.js';
import { MlsGroup, readEncrypted } from './mls-group.js';
import { mlsSuite } from './mls-suite.js';
import { nobleHkdfSha256, withNobleHmacSha256 } from './noble-kdf.js';

const hex = (value: string) => Uint8Array.from(value.match(/../gu) ?? [], (byte) => parseInt(byte, 16));
const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
const bytes = (value: string) => new TextEncoder().encode(value);
const text = (value: Uint8Array) => new TextDecoder().decode(value);

/** ts-mls's suite as its default provider makes it (WebCrypto, @hpke/core's HKDF). */
let webCrypto: CiphersuiteImpl;
beforeAll(async () => {
  webCrypto = await getCiphersuiteImpl(getCiphersuiteFromName(E2EE_CIPHERSUITE));
});

/** A member driven by ts-mls with `webCrypto` alone, from a group state the SDK made. */
class WebCryptoMember {
  constructor(public state: ClientState) {}

  async encrypt(message: string): Promise<string> {
    const result = await createApplicationMessage(this.state, bytes(message), webCrypto);
    this.state = result.newState;
    return toBase64(encodeMlsMessage({ version: 'mls10', wireformat: 'mls_private_message', privateMessage: result.privateMessage }));
  }

  async read(encoded: string): Promise<string | undefined> {
    const result = await processPrivateMessage(this.state, readEncrypted(encoded)!.privateMessage, emptyPskIndex, webCrypto);
    this.state = result.newState;
    return result.kind === 'applicationMessage' ? text(result.message) : undefined;
  }

  /** Commits the addition of a key package (as published); answers the commit and the welcome, base64. */
  async add(keyPackage: string): Promise<{ commit: string; welcome: string }> {
    const message = decodeMlsMessage(fromBase64(keyPackage), 0)![0];
    if (message.wireformat !== 'mls_key_package') throw new Error('not a key package');
    const result = await createCommit(
      { state: this.state, cipherSuite: webCrypto },
      { extraProposals: [{ proposalType: 'add', add: { keyPackage: message.keyPackage } }], ratchetTreeExtension: true },
    );
    this.state = result.newState;
    const welcome = encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome! });
    return { commit: toBase64(encodeMlsMessage(result.commit)), welcome: toBase64(welcome) };
  }
}

describe('HKDF-SHA256 and HMAC-SHA256 by @noble/hashes (noble-kdf.ts)', () => {
  it('is the suite the SDK uses', async () => {
    const suite = await mlsSuite();
    expect(suite.kdf).toBe(nobleHkdfSha256);
    expect(await suite.hash.mac(bytes('key'), bytes('data'))).toEqual(await webCrypto.hash.mac(bytes('key'), bytes('data')));
  });

  it("gives RFC 5869's test case 1, as ts-mls's WebCrypto HKDF does", async () => {
    const ikm = hex('0b'.repeat(22));
    const salt = hex('000102030405060708090a0b0c');
    const info = hex('f0f1f2f3f4f5f6f7f8f9');
    const prk = hex('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
    const okm = hex('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
    expect(await nobleHkdfSha256.extract(salt, ikm)).toEqual(prk);
    expect(await nobleHkdfSha256.expand(prk, info, 42)).toEqual(okm);
    expect(await webCrypto.kdf.expand(prk, info, 42)).toEqual(okm);
    expect(nobleHkdfSha256.size).toBe(webCrypto.kdf.size);
  });

  it("derives what ts-mls's WebCrypto HKDF derives, with MLS's labels too", async () => {
    for (let round = 0; round < 20; round++) {
      // @hpke/core takes a salt of the hash's size or none (MLS's are), and a key of the hash's size.
      const salt = round % 4 === 0 ? new Uint8Array(0) : random(32);
      const ikm = random(round * 4);
      const prk = await nobleHkdfSha256.extract(salt, ikm);
      expect(prk).toEqual(await webCrypto.kdf.extract(salt, ikm));
      const info = random(round * 7);
      for (const length of [12, 16, 32, 33, 64, 100]) {
        expect(await nobleHkdfSha256.expand(prk, info, length)).toEqual(await webCrypto.kdf.expand(prk, info, length));
      }
      expect(await expandWithLabel(prk, 'key', info, 16, nobleHkdfSha256)).toEqual(
        await expandWithLabel(prk, 'key', info, 16, webCrypto.kdf),
      );
      expect(await deriveTreeSecret(prk, 'nonce', round, 12, nobleHkdfSha256)).toEqual(
        await deriveTreeSecret(prk, 'nonce', round, 12, webCrypto.kdf),
      );
    }
  });

  it("computes and checks the tags ts-mls's WebCrypto HMAC does; an altered tag, key or message fails", async () => {
    const noble = withNobleHmacSha256(webCrypto.hash);
    // MLS's MAC keys (confirmation, membership) are 32 bytes; WebCrypto refuses an empty one.
    for (const keyLength of [1, 16, 32, 64, 100]) {
      const key = random(keyLength);
      const data = random(keyLength + 3);
      const tag = await webCrypto.hash.mac(key, data);
      expect(await noble.mac(key, data)).toEqual(tag);
      expect(await noble.verifyMac(key, tag, data)).toBe(true);
      const altered = tag.slice();
      altered[keyLength % altered.length]! ^= 1;
      expect(await noble.verifyMac(key, altered, data)).toBe(false);
      expect(await noble.verifyMac(key, tag.slice(0, 31), data)).toBe(false);
      expect(await noble.verifyMac(random(32), tag, data)).toBe(false);
      expect(await noble.verifyMac(key, tag, random(keyLength + 3))).toBe(false);
    }
    expect(await withNobleHmacSha256(webCrypto.hash).digest(bytes('abc'))).toEqual(await webCrypto.hash.digest(bytes('abc')));
  });

  it("reads messages, commits and welcomes made with ts-mls's WebCrypto HKDF, and the other way", async () => {
    const alice = await new MlsDevice('alice', 'a1').createGroup('interop');
    const bobGroup = await addTo(alice, new MlsDevice('bob', 'b1'));
    const bob = new WebCryptoMember(bobGroup.state);

    // Messages both ways: keys from each side's ratchets, sender data by each side's HKDF.
    expect(await bob.read(await alice.encrypt(bytes('to bob')))).toBe('to bob');
    expect(text(await alice.decrypt(await bob.encrypt('to alice')))).toBe('to alice');
    expect(text(await alice.decrypt(await bob.encrypt('again')))).toBe('again');

    // A commit and a welcome by WebCrypto: its key schedule, confirmation tag and welcome secret.
    const carol = new MlsDevice('carol', 'c1');
    const [carolPackage] = await carol.newKeyPackages(1);
    const added = await bob.add(carolPackage!);
    await alice.applyCommit(added.commit);
    const carolGroup = await carol.join(added.welcome, carolPackage!);
    expect(carolGroup.epoch).toBe(alice.epoch);
    expect(text(await carolGroup.decrypt(await bob.encrypt('to carol')))).toBe('to carol');

    // A commit by the SDK (noble) read by WebCrypto: the removal of carol.
    const removal = await alice.prepareCommit({ remove: [carolGroup.members().find((m) => parseIdentity(m)?.userId === 'carol')!] });
    alice.adopt(removal.next);
    expect(await bob.read(removal.commit)).toBeUndefined();
    expect(Number(bob.state.groupContext.epoch)).toBe(alice.epoch);
    const after = await alice.encrypt(bytes('carol is gone'));
    expect(await bob.read(after)).toBe('carol is gone');
    await expect(carolGroup.decrypt(after)).rejects.toThrow();
    expect(text(await new MlsGroup(bob.state).decrypt(await alice.encrypt(bytes('kept state'))))).toBe('kept state');
  });
});
