import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { indexedDbOutbox } from './indexeddb-outbox.js';
import { memoryOutbox } from './memory-outbox.js';
import type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox-store.js';

const scope: OutboxScope = { server: 'https://chat.example/', userId: 'ana', roomId: 'lobby' };
const entry = (clientId: string, order: number, patch: Partial<StoredOutboxEntry> = {}): StoredOutboxEntry => ({
  clientId,
  roomId: scope.roomId,
  text: `text of ${clientId}`,
  attachments: [],
  status: 'pending',
  createdAt: new Date(order).toISOString(),
  order,
  ...patch,
});

// One conformance suite, run against every OutboxStore of the package.
const stores: Array<[string, () => OutboxStore]> = [
  ['memoryOutbox', () => memoryOutbox()],
  // A fresh fake IndexedDB per test: nothing leaks between tests.
  // A name of its own: no other test's store hears its changes.
  ['indexedDbOutbox (fake-indexeddb)', () => indexedDbOutbox({ indexedDB: new IDBFactory(), name: 'outbox-store-suite', locks: false })],
];

describe.each(stores)('OutboxStore: %s', (_name, make) => {
  it('loads the entries of a scope in send order, whatever order they were written in', async () => {
    const store = make();
    await store.put(scope, entry('c', 3));
    await store.put(scope, entry('a', 1, { replyTo: 'm1', mentions: ['luis'] }));
    await store.put(scope, entry('b', 2, { attachments: [{ url: 'https://cdn.example/a.png', type: 'image/png', name: 'a.png' }] }));
    const loaded = await store.load(scope);
    expect(loaded.map((e) => e.clientId)).toEqual(['a', 'b', 'c']);
    expect(loaded[0]).toEqual(entry('a', 1, { replyTo: 'm1', mentions: ['luis'] }));
    expect(loaded[1]?.attachments).toEqual([{ url: 'https://cdn.example/a.png', type: 'image/png', name: 'a.png' }]);
  });

  it('replaces an entry with the same clientId, keeps a failed one with its error, deletes', async () => {
    const store = make();
    await store.put(scope, entry('a', 1));
    await store.put(scope, entry('a', 1, { status: 'failed', error: { code: 'FORBIDDEN', message: 'Not here.' } }));
    expect(await store.get(scope, 'a')).toEqual(entry('a', 1, { status: 'failed', error: { code: 'FORBIDDEN', message: 'Not here.' } }));
    expect(await store.load(scope)).toHaveLength(1);
    await store.delete(scope, 'a');
    await store.delete(scope, 'never-there');
    expect(await store.get(scope, 'a')).toBeUndefined();
    expect(await store.load(scope)).toEqual([]);
  });

  it('never hands one scope the entries of another (user, server or room)', async () => {
    const store = make();
    await store.put(scope, entry('mine', 1));
    for (const other of [
      { ...scope, userId: 'luis' },
      { ...scope, server: 'https://other.example/' },
      { ...scope, roomId: 'other-room' },
    ]) {
      expect(await store.load(other)).toEqual([]);
      expect(await store.get(other, 'mine')).toBeUndefined();
      await store.delete(other, 'mine'); // not its entry: nothing happens
    }
    expect((await store.load(scope)).map((e) => e.clientId)).toEqual(['mine']);
  });

  it('keeps its own copies: changing a loaded or written object does not change the store', async () => {
    const store = make();
    const written = entry('a', 1, { mentions: ['luis'] });
    await store.put(scope, written);
    written.text = 'changed after put';
    written.mentions?.push('eva');
    const [loaded] = await store.load(scope);
    (loaded as StoredOutboxEntry).text = 'changed after load';
    expect(await store.get(scope, 'a')).toEqual(entry('a', 1, { mentions: ['luis'] }));
  });

  it('tells its watchers which scope a put or a delete changed, until they stop watching', async () => {
    const store = make();
    const told: OutboxScope[] = [];
    const other = { ...scope, roomId: 'other-room' };
    const stop = store.watch?.((changed) => told.push(changed));
    expect(stop).toBeTypeOf('function');
    await store.put(scope, entry('a', 1));
    await store.put(other, entry('b', 2));
    await store.delete(scope, 'a');
    await vi.waitFor(() => expect(told).toEqual([scope, other, scope]));
    stop?.();
    await store.put(scope, entry('c', 3));
    await store.load(scope); // a turn after the write: a watcher still there would have heard it
    await Promise.resolve();
    expect(told).toHaveLength(3);
  });

  it('does not tell a watcher the changes made as its own writer; tells those of other writers and of none', async () => {
    const store = make();
    const [mine, others] = [[] as string[], [] as string[]];
    const stops = [
      store.watch?.((changed) => mine.push(changed.roomId), 'me'),
      store.watch?.((changed) => others.push(changed.roomId), 'someone else'),
    ];
    await store.put({ ...scope, roomId: 'by-me' }, entry('a', 1), 'me');
    await store.delete({ ...scope, roomId: 'by-me' }, 'a', 'me');
    await store.put({ ...scope, roomId: 'by-another' }, entry('b', 2), 'another');
    await store.put({ ...scope, roomId: 'by-no-one' }, entry('c', 3));
    // Both listeners are called in one turn: once the other has heard the last change, this one has too.
    await vi.waitFor(() => expect(others).toEqual(['by-me', 'by-me', 'by-another', 'by-no-one']));
    expect(mine).toEqual(['by-another', 'by-no-one']);
    for (const stop of stops) stop?.();
  });
});

describe('indexedDbOutbox', () => {
  it('keeps entries across stores opened on the same database (a reload), apart from other database names', async () => {
    const indexedDB = new IDBFactory();
    await indexedDbOutbox({ indexedDB, locks: false }).put(scope, entry('a', 1));
    expect((await indexedDbOutbox({ indexedDB, locks: false }).load(scope)).map((e) => e.clientId)).toEqual(['a']);
    expect(await indexedDbOutbox({ indexedDB, name: 'another-db', locks: false }).load(scope)).toEqual([]);
  });

  it('tells the stores of the same name in other pages (BroadcastChannel) which scope changed', async () => {
    const indexedDB = new IDBFactory();
    const name = 'outbox-two-pages';
    const [here, there] = [indexedDbOutbox({ indexedDB, name, locks: false }), indexedDbOutbox({ indexedDB, name, locks: false })];
    const heard: OutboxScope[] = [];
    const stop = there.watch?.((changed) => heard.push(changed));
    await here.put(scope, entry('a', 1));
    await here.delete(scope, 'a');
    await vi.waitFor(() => expect(heard).toEqual([scope, scope]));
    stop?.();
  });

  it("tells a store of the same name (another page) a writer's changes: only the writer's own store keeps them from it", async () => {
    const indexedDB = new IDBFactory();
    const name = 'outbox-two-pages-writers';
    const [here, there] = [indexedDbOutbox({ indexedDB, name, locks: false }), indexedDbOutbox({ indexedDB, name, locks: false })];
    const [heardHere, heardThere] = [[] as string[], [] as string[]];
    const stops = [
      here.watch?.((changed) => heardHere.push(changed.roomId), 'w'),
      there.watch?.((changed) => heardThere.push(changed.roomId), 'w'),
    ];
    await here.put({ ...scope, roomId: 'one' }, entry('a', 1), 'w');
    await there.put({ ...scope, roomId: 'two' }, entry('b', 2), 'w');
    // Each page hears the other's change, never its own: the channel does not echo a store's own posts.
    await vi.waitFor(() => expect([heardHere, heardThere]).toEqual([['two'], ['one']]));
    for (const stop of stops) stop?.();
  });

  it('fails with an error, not a hang, where there is no IndexedDB (Node, without one given)', async () => {
    expect(globalThis.indexedDB).toBeUndefined();
    await expect(Promise.resolve(indexedDbOutbox({ locks: false }).load(scope))).rejects.toThrow('IndexedDB is not available here.');
  });

  it('runs tasks of one key one after another with the given locks, and exposes no lock without them', async () => {
    const order: string[] = [];
    let tail = Promise.resolve();
    const locks = {
      request<T>(_name: string, task: () => Promise<T>): Promise<T> {
        const run = tail.then(task);
        tail = run.then(() => undefined);
        return run;
      },
    };
    const store = indexedDbOutbox({ indexedDB: new IDBFactory(), locks });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = () => {};
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const first = store.exclusive?.('a', async () => {
      order.push('first starts');
      started();
      await held;
      order.push('first ends');
    });
    const second = store.exclusive?.('a', async () => void order.push('second'));
    await firstStarted;
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second']);
    expect(typeof indexedDbOutbox({ indexedDB: new IDBFactory(), locks: false }).exclusive).toBe('undefined');
  });
});
