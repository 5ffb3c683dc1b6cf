// The device stores: what one keeps, another client of the same store reads back.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryE2eeStore, type E2eeDeviceStore } from './e2ee-store.js';
import { indexedDbE2eeStore } from './indexeddb-e2ee-store.js';

describe.each<[string, () => () => E2eeDeviceStore]>([
  [
    'memoryE2eeStore',
    () => {
      const store = memoryE2eeStore();
      return () => store;
    },
  ],
  [
    'indexedDbE2eeStore',
    () => {
      const factory = new IDBFactory();
      return () => indexedDbE2eeStore({ indexedDB: factory, name: 'e2ee-test' });
    },
  ],
  [
    // As in browsers, where `keys` reads a key range rather than every key.
    'indexedDbE2eeStore with IDBKeyRange',
    () => {
      vi.stubGlobal('IDBKeyRange', IDBKeyRange);
      const factory = new IDBFactory();
      return () => indexedDbE2eeStore({ indexedDB: factory, name: 'e2ee-test' });
    },
  ],
])('%s', (_name, makeOpener) => {
  afterEach(() => vi.unstubAllGlobals());

  it('keeps, replaces and forgets values; another opening of the same store reads them', async () => {
    const open = makeOpener();
    const one = open();
    expect(await one.get('group:room-1')).toBeUndefined();
    await one.set('group:room-1', 'state at epoch 1');
    await one.set('group:room-1', 'state at epoch 2');
    await one.set('device', 'phone');
    const two = open();
    expect(await two.get('group:room-1')).toBe('state at epoch 2');
    expect(await two.get('device')).toBe('phone');
    await two.delete('device');
    expect(await one.get('device')).toBeUndefined();
    expect(await one.get('group:room-1')).toBe('state at epoch 2');
  });

  it('lists the keys that start with a prefix (one user of one server), and none of another', async () => {
    const store = makeOpener()();
    await store.set('["https://a","ana"]:group:room-1', 'a group');
    await store.set('["https://a","ana"]:ratchet:room-1:0', 'a ratchet');
    await store.set('["https://a","ana"]', 'not a record of hers');
    await store.set('["https://a","anabel"]:group:room-1', 'another user');
    await store.set('["https://b","ana"]:group:room-1', 'another server');
    expect((await store.keys!('["https://a","ana"]:')).sort()).toEqual([
      '["https://a","ana"]:group:room-1',
      '["https://a","ana"]:ratchet:room-1:0',
    ]);
    expect(await store.keys!('["https://c","ana"]:')).toEqual([]);
  });
});
