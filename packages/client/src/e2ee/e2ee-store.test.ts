// The device stores: what one keeps, another client of the same store reads back.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
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
])('%s', (_name, makeOpener) => {
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
});
