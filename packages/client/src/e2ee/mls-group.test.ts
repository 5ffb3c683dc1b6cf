// ts-mls under our wrapper, two and three devices in Node: what an encrypted room relies on.
import { describe, expect, it } from 'vitest';
import { addTo } from '../../../../test-support/mls-groups.js';
import { fromBase64, toBase64 } from './base64.js';
import { MlsDevice, deviceIdentity, fingerprintOf, parseIdentity } from './mls-device.js';
import { keyPackageIdentity, readEncrypted } from './mls-group.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

describe('an MLS group of devices (ts-mls, MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519)', () => {
  it('adds a device by commit and welcome; both read each other; epochs move together', async () => {
    const alice = new MlsDevice('alice', 'a1');
    const bob = new MlsDevice('bob', 'b1');
    const aliceGroup = await alice.createGroup('room-1');
    expect(aliceGroup.epoch).toBe(0);
    const bobGroup = await addTo(aliceGroup, bob);
    expect(aliceGroup.epoch).toBe(1);
    expect(bobGroup.epoch).toBe(1);
    expect(
      bobGroup
        .members()
        .map((m) => parseIdentity(m)?.userId)
        .sort(),
    ).toEqual(['alice', 'bob']);

    expect(text(await bobGroup.decrypt(await aliceGroup.encrypt(bytes('hello bob'))))).toBe('hello bob');
    expect(text(await aliceGroup.decrypt(await bobGroup.encrypt(bytes('hello alice'))))).toBe('hello alice');
    expect(await fingerprintOf(aliceGroup.signatureKey(bob.identity)!)).toBe(await fingerprintOf(bobGroup.signatureKey(bob.identity)!));
    expect(await fingerprintOf(bobGroup.signatureKey(bob.identity)!)).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/u);
  });

  it('a new member cannot read what came before; a removed member cannot read what comes after', async () => {
    const alice = new MlsDevice('alice', 'a1');
    const aliceGroup = await alice.createGroup('room-2');
    const bobGroup = await addTo(aliceGroup, new MlsDevice('bob', 'b1'));
    const before = await aliceGroup.encrypt(bytes('before carol'));
    expect(text(await bobGroup.decrypt(before))).toBe('before carol');

    const carolGroup = await addTo(aliceGroup, new MlsDevice('carol', 'c1'), [bobGroup]);
    await expect(carolGroup.decrypt(before)).rejects.toThrow();

    const removal = await aliceGroup.prepareCommit({ remove: [bobGroup.members().find((m) => parseIdentity(m)?.userId === 'bob')!] });
    aliceGroup.adopt(removal.next);
    await carolGroup.applyCommit(removal.commit);
    expect(
      carolGroup
        .members()
        .map((m) => parseIdentity(m)?.userId)
        .sort(),
    ).toEqual(['alice', 'carol']);
    const after = await aliceGroup.encrypt(bytes('after bob'));
    expect(text(await carolGroup.decrypt(after))).toBe('after bob');
    // Bob still has his old epoch: the commit that removed him and what follows are closed to him.
    await expect(bobGroup.decrypt(after)).rejects.toThrow();
  });

  it('refuses a ciphertext altered by one bit, and the same ciphertext twice', async () => {
    const aliceGroup = await new MlsDevice('alice', 'a1').createGroup('room-3');
    const bobGroup = await addTo(aliceGroup, new MlsDevice('bob', 'b1'));
    const sealed = await aliceGroup.encrypt(bytes('once'));
    const altered = fromBase64(sealed);
    altered[altered.length - 5]! ^= 1;
    await expect(bobGroup.decrypt(toBase64(altered))).rejects.toThrow();
    expect(text(await bobGroup.decrypt(sealed))).toBe('once');
    await expect(bobGroup.decrypt(sealed)).rejects.toThrow();
  });

  it('two commits made in one epoch: only one can be applied, the other member rebases', async () => {
    const aliceGroup = await new MlsDevice('alice', 'a1').createGroup('room-4');
    const bobGroup = await addTo(aliceGroup, new MlsDevice('bob', 'b1'));
    const fromAlice = await aliceGroup.prepareCommit({});
    const fromBob = await bobGroup.prepareCommit({});
    expect(fromAlice.epoch).toBe(fromBob.epoch);
    // The delivery service takes Alice's: Bob drops his and applies hers.
    aliceGroup.adopt(fromAlice.next);
    await bobGroup.applyCommit(fromAlice.commit);
    expect(bobGroup.epoch).toBe(aliceGroup.epoch);
    await expect(aliceGroup.applyCommit(fromBob.commit)).rejects.toThrow();
    expect(text(await aliceGroup.decrypt(await bobGroup.encrypt(bytes('rebased'))))).toBe('rebased');
  });

  it('names the member whose leaf sent each message, in the epoch it was sent in', async () => {
    const alice = new MlsDevice('alice', 'a1');
    const aliceGroup = await alice.createGroup('room-5');
    const bobGroup = await addTo(aliceGroup, new MlsDevice('bob', 'b1'));
    const carolGroup = await addTo(aliceGroup, new MlsDevice('carol', 'c1'), [bobGroup]);
    const fromBob = await bobGroup.encrypt(bytes('bob wrote this'));
    // Carol reads Bob's message after a commit moved the group on: the tree of its epoch names him.
    const update = await aliceGroup.prepareCommit({});
    aliceGroup.adopt(update.next);
    await carolGroup.applyCommit(update.commit);
    const read = await carolGroup.decryptFrom(fromBob);
    expect(text(read.plaintext)).toBe('bob wrote this');
    expect(read.sender).toBe(deviceIdentity('bob', 'b1'));
    expect((await aliceGroup.decryptFrom(await carolGroup.encrypt(bytes('from carol')))).sender).toBe(deviceIdentity('carol', 'c1'));
  });

  it('reads a message once for its epoch and decrypts it as read; a commit reads too, other bytes do not', async () => {
    const alice = new MlsDevice('alice', 'a1');
    const aliceGroup = await alice.createGroup('room-6');
    const bobGroup = await addTo(aliceGroup, new MlsDevice('bob', 'b1'));
    const message = await aliceGroup.encrypt(bytes('read once'));
    const read = readEncrypted(message);
    expect(read?.epoch).toBe(1);
    const opened = await bobGroup.decryptFrom(read!);
    expect(text(opened.plaintext)).toBe('read once');
    expect(opened.sender).toBe(deviceIdentity('alice', 'a1'));
    // Read or not, a message opens once: its key is gone.
    await expect(bobGroup.decryptFrom(read!)).rejects.toThrow();
    await expect(bobGroup.decryptFrom(message)).rejects.toThrow();
    const update = await aliceGroup.prepareCommit({});
    expect(readEncrypted(update.commit)?.epoch).toBe(1);
    await expect(bobGroup.decryptFrom(readEncrypted(update.commit)!)).rejects.toThrow('not an encrypted application message');
    const [keyPackage] = await new MlsDevice('dana', 'd1').newKeyPackages(1);
    expect(readEncrypted(keyPackage!)).toBeUndefined();
    expect(readEncrypted('not base64!')).toBeUndefined();
  });

  it("reads the identity a key package's credential claims", async () => {
    const [keyPackage] = await new MlsDevice('dana', 'd1').newKeyPackages(1);
    expect(keyPackageIdentity(keyPackage!)).toBe(deviceIdentity('dana', 'd1'));
    expect(keyPackageIdentity(toBase64(bytes('not an MLS message')))).toBeUndefined();
  });
});
