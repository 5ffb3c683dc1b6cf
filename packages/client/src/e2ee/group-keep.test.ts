// A device's groups in its keep: the whole state after a change, the sender's ratchet alone after
// a message, and a reload that continues where the device was (no key used twice, none regained).
import { describe, expect, it } from 'vitest';
import { addTo } from '../../../../test-support/mls-groups.js';
import { deviceKeep, type DeviceKeep } from './device-keep.js';
import { memoryE2eeStore, type E2eeDeviceStore } from './e2ee-store.js';
import { GroupKeep } from './group-keep.js';
import { MlsDevice } from './mls-device.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

/** A memory store that lists the keys written to it, in order. */
function recording(): { store: E2eeDeviceStore; written: string[] } {
  const store = memoryE2eeStore();
  const written: string[] = [];
  return {
    written,
    store: { ...store, set: (key, value) => (written.push(key.slice(key.indexOf(':', key.indexOf(']')) + 1)), store.set(key, value)) },
  };
}

async function twoDevices(
  roomId: string,
): Promise<{ alice: Awaited<ReturnType<MlsDevice['createGroup']>>; bob: Awaited<ReturnType<typeof addTo>> }> {
  const alice = await new MlsDevice('alice', 'a1').createGroup(roomId);
  const bob = await addTo(alice, new MlsDevice('bob', 'b1'));
  return { alice, bob };
}

const keepOf = (store: E2eeDeviceStore, userId: string): DeviceKeep => deviceKeep(store, 'https://chat.test', userId);

describe('a device keeps its groups (GroupKeep)', () => {
  it('a message writes its sender ratchet alone; a reload continues at the generation it reached', async () => {
    const { alice, bob } = await twoDevices('room-1');
    const { store, written } = recording();
    const keep = new GroupKeep(keepOf(store, 'alice'));
    await keep.save('room-1', alice);
    const sent: string[] = [];
    for (const word of ['one', 'two', 'three']) {
      sent.push(await alice.encrypt(bytes(word)));
      await keep.save('room-1', alice);
    }
    // The room listed, the whole state once, then one small record per message (Alice's leaf 0 is node 0).
    expect(written).toEqual(['groups', 'group:room-1', 'ratchet:room-1:0', 'ratchet:room-1:0', 'ratchet:room-1:0']);

    const reloaded = await new GroupKeep(keepOf(store, 'alice')).load('room-1');
    expect(reloaded?.state.secretTree).toEqual(alice.state.secretTree);
    sent.push(await reloaded!.encrypt(bytes('four')));
    // Bob reads all four: the reloaded device did not encrypt under a generation it had used.
    const read: string[] = [];
    for (const ciphertext of sent) read.push(text(await bob.decrypt(ciphertext)));
    expect(read).toEqual(['one', 'two', 'three', 'four']);
  });

  it('a reader reloaded cannot open again what it read (its key stays deleted), and reads what follows', async () => {
    const { alice, bob } = await twoDevices('room-2');
    const store = memoryE2eeStore();
    const keep = new GroupKeep(keepOf(store, 'bob'));
    await keep.save('room-2', bob);
    const first = await alice.encrypt(bytes('first'));
    expect(text(await bob.decrypt(first))).toBe('first');
    await keep.save('room-2', bob);

    const reloaded = (await new GroupKeep(keepOf(store, 'bob')).load('room-2'))!;
    await expect(reloaded.decrypt(first)).rejects.toThrow();
    expect(text(await reloaded.decrypt(await alice.encrypt(bytes('second'))))).toBe('second');
  });

  it('a commit writes the whole state under a new tag: the ratchet records of the state before are ignored', async () => {
    const { alice, bob } = await twoDevices('room-3');
    const { store, written } = recording();
    const keep = new GroupKeep(keepOf(store, 'alice'));
    await keep.save('room-3', alice);
    expect(text(await bob.decrypt(await alice.encrypt(bytes('epoch 1'))))).toBe('epoch 1');
    await keep.save('room-3', alice);
    const update = await alice.prepareCommit({});
    alice.adopt(update.next);
    await bob.applyCommit(update.commit);
    await keep.save('room-3', alice);
    expect(written).toEqual(['groups', 'group:room-3', 'ratchet:room-3:0', 'group:room-3']);

    // The record of epoch 1 is still in the store under the old tag: applied, it would break the new epoch's tree.
    const reloaded = (await new GroupKeep(keepOf(store, 'alice')).load('room-3'))!;
    expect(reloaded.epoch).toBe(alice.epoch);
    expect(reloaded.state.secretTree).toEqual(alice.state.secretTree);
    expect(text(await bob.decrypt(await reloaded.encrypt(bytes('epoch 2'))))).toBe('epoch 2');
  });

  it('loads a state kept before tags (base64 alone); an unreadable one is no group', async () => {
    const { alice } = await twoDevices('room-4');
    const store = memoryE2eeStore();
    await keepOf(store, 'alice').set('group:room-4', alice.encode());
    expect((await new GroupKeep(keepOf(store, 'alice')).load('room-4'))?.epoch).toBe(alice.epoch);
    await keepOf(store, 'alice').set('group:room-5', 'v2:tag:not a state');
    expect(await new GroupKeep(keepOf(store, 'alice')).load('room-5')).toBeUndefined();
    expect(await new GroupKeep(keepOf(store, 'alice')).load('room-6')).toBeUndefined();
  });

  it('lists the rooms it keeps: another session wipes them all (states and ratchets), and rooms kept before the list', async () => {
    const { alice } = await twoDevices('room-7');
    const store = memoryE2eeStore();
    const keep = keepOf(store, 'alice');
    const first = new GroupKeep(keep);
    await first.save('room-7', alice);
    await alice.encrypt(bytes('moves a ratchet'));
    await first.save('room-7', alice);
    await first.save('room-8', alice);
    await keep.set('group:room-9', alice.encode());
    expect((await store.keys!('')).length).toBe(5);

    // A later session opened none of them: the list names 7 and 8, the caller 9.
    await new GroupKeep(keep).forgetAll(['room-9']);
    expect(await store.keys!('')).toEqual([]);
  });
});
