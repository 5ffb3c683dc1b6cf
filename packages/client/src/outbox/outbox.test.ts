import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtInError, type ChatError, type Message } from '@chat/protocol';
import { outboxesOfTwoPages } from '../../../../test-support/outbox-stores.js';
import { memoryOutbox } from './memory-outbox.js';
import { draftEntry } from './outbox-entry.js';
import type { OutboxScope, OutboxStore } from './outbox-store.js';
import { Outbox, OutboxStatus } from './outbox.js';

/** The message the server stored for `clientId`. */
const delivered = (clientId: string): Message => ({
  id: 'm1',
  roomId: 'r',
  seq: 1,
  clientId,
  user: { id: 'ana', name: 'Ana' },
  text: 'hello',
  attachments: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  rev: 0,
});

describe('Outbox: two pages of one user over one store', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends written in one millisecond stay within it: a send of the other page a millisecond later comes after them', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = memoryOutbox();
    const errors: ChatError[] = [];
    const [first, second] = [new Outbox(), new Outbox()];
    for (const page of [first, second]) {
      page.keepIn(store, 'https://chat.example/', 'r', (error) => errors.push(error));
      await page.attach('ana');
    }
    vi.setSystemTime(1_000);
    for (const text of ['one', 'two', 'three']) void first.add(draftEntry('r', text));
    vi.setSystemTime(1_001);
    void second.add(draftEntry('r', 'four'));
    await first.refresh(() => undefined); // its writes are in the store
    expect(await second.refresh(() => undefined)).toBe(true);
    expect(second.entries().map((e) => e.text)).toEqual(['one', 'two', 'three', 'four']);
    expect(errors).toEqual([]);
  });

  it('a refresh does not take in an entry whose message this room holds already (delivered by the other page)', async () => {
    const store = memoryOutbox();
    const [first, second] = [new Outbox(), new Outbox()];
    for (const page of [first, second]) {
      page.keepIn(store, 'https://chat.example/', 'r', () => undefined);
      await page.attach('ana');
    }
    const entry = draftEntry('r', 'one');
    void first.add(entry);
    await first.refresh(() => undefined); // its write is in the store
    // The message came live here before the first page forgot its entry.
    const message = { ...delivered(entry.clientId), text: 'one' };
    expect(await second.refresh((clientId) => (clientId === entry.clientId ? message : undefined))).toBe(false);
    expect(second.entries()).toEqual([]);
    expect(await second.refresh(() => undefined)).toBe(true); // not held: it is taken in
  });
});

describe.each(outboxesOfTwoPages)('Outbox over %s: the store tells the other writers, not the one that wrote', (_name, make) => {
  it("a write of outbox A is not told to A, but to outbox B on the same store and to another page's store", async () => {
    const { store, another } = make('outbox-own-writes');
    const [a, b] = [new Outbox(), new Outbox()];
    const heard = { a: 0, b: 0 };
    for (const [page, key] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      page.keepIn(store, 'https://chat.example/', 'r', () => undefined);
      await page.attach('ana');
      page.onStoreChange(() => (heard[key] += 1));
    }
    const inAnotherPage: OutboxScope[] = [];
    another.watch?.((scope) => inAnotherPage.push(scope));

    const entry = draftEntry('r', 'hello');
    void a.add(entry);
    // The store calls its listeners in one turn: once B has heard, A would have too.
    await vi.waitFor(() => expect(heard).toEqual({ a: 0, b: 1 }));
    await a.acked(entry.clientId, delivered(entry.clientId));
    await vi.waitFor(() => expect(heard).toEqual({ a: 0, b: 2 }));

    // And the other way round: B's write is told to A, not to B.
    void b.add(draftEntry('r', 'from b'));
    await vi.waitFor(() => expect(heard).toEqual({ a: 1, b: 2 }));
    const scope = { server: 'https://chat.example/', userId: 'ana', roomId: 'r' };
    await vi.waitFor(() => expect(inAnotherPage).toEqual([scope, scope, scope]));
  });
});

/** A memory store whose loads, once held, answer only when released: a read in flight, kept open. */
function heldStore() {
  const inner = memoryOutbox();
  let gate: Promise<void> | undefined;
  let release = (): void => undefined;
  let reads = 0;
  /** What happened to each read: `read`, then `answered` once released. */
  const events: string[] = [];
  const store: OutboxStore = {
    ...inner,
    load: async (scope) => {
      const rows = await inner.load(scope); // read now, answered once released
      reads += 1;
      events.push('read');
      await gate;
      events.push('answered');
      return rows;
    },
  };
  return {
    store,
    reads: () => reads,
    events,
    hold: () => void (gate = new Promise<void>((resolve) => (release = resolve))),
    release: () => release(),
  };
}

describe('Outbox: refreshes', () => {
  it('run one at a time: one asked while another reads reads after it; one not begun yet serves every caller', async () => {
    const held = heldStore();
    const outbox = new Outbox();
    outbox.keepIn(held.store, 'https://chat.example/', 'r', () => undefined);
    await outbox.attach('ana');
    held.events.length = 0;

    held.hold();
    const first = outbox.refresh(() => undefined);
    expect(outbox.refresh(() => undefined)).toBe(first); // not begun yet: one read serves both
    await vi.waitFor(() => expect(held.events).toEqual(['read'])); // begun, and held open
    const second = outbox.refresh(() => undefined);
    expect(second).not.toBe(first); // the first read may be older than a change made before this call
    expect(outbox.refresh(() => undefined)).toBe(second);
    // A turn of the event loop (no time): a read that did not wait for the first would have begun.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(held.events).toEqual(['read']);
    held.release();
    await Promise.all([first, second]);
    expect(held.events).toEqual(['read', 'answered', 'read', 'answered']);
  });
});

describe('Outbox: a retry while a refresh reads the store', () => {
  async function failedEntry(store: OutboxStore) {
    const outbox = new Outbox();
    outbox.keepIn(store, 'https://chat.example/', 'r', () => undefined);
    await outbox.attach('ana');
    const entry = draftEntry('r', 'hello');
    const sent = outbox.add(entry);
    outbox.claim(entry.clientId);
    await outbox.failed(entry.clientId, builtInError('FORBIDDEN', 'Not this one.'));
    await expect(sent).rejects.toMatchObject({ code: 'FORBIDDEN' });
    return { outbox, clientId: entry.clientId };
  }

  it('an entry retried after the read began stays pending: its retry is not rejected with the old refusal', async () => {
    const held = heldStore();
    const { outbox, clientId } = await failedEntry(held.store);
    const rejected: ChatError[] = [];

    held.hold();
    const reads = held.reads();
    const refreshing = outbox.refresh(() => undefined);
    await vi.waitFor(() => expect(held.reads()).toBe(reads + 1)); // the row read is the failed one
    const retried = outbox.requeue(clientId);
    retried?.catch((error: ChatError) => rejected.push(error));
    held.release();
    await refreshing;

    expect(outbox.entries().map((e) => [e.clientId, e.status, e.error])).toEqual([[clientId, 'pending', undefined]]);
    expect(outbox.sendable().map((e) => e.clientId)).toEqual([clientId]);
    await outbox.acked(clientId, delivered(clientId));
    await expect(retried).resolves.toMatchObject({ clientId });
    expect(rejected).toEqual([]);
  });

  it('a refresh that reads after the retry was written goes by the store again', async () => {
    const held = heldStore();
    const { outbox, clientId } = await failedEntry(held.store);
    const retried = outbox.requeue(clientId);
    // Another page saw it refused again meanwhile: the next read says so, and this page follows.
    await outbox.refresh(() => undefined);
    const scope = { server: 'https://chat.example/', userId: 'ana', roomId: 'r' };
    for (const row of await held.store.load(scope)) await held.store.put(scope, { ...row, status: OutboxStatus.FAILED });
    expect(await outbox.refresh(() => undefined)).toBe(true);
    await expect(retried).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('Outbox: a store that never loads', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is left after 10 s, said once: the entries added meanwhile are sendable, in memory, and nothing is written to it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const store = memoryOutbox();
    const put = vi.spyOn(store, 'put');
    // The store's code is never fetched (a stalled request): its load never settles.
    store.load = () => new Promise(() => undefined);
    const errors: ChatError[] = [];
    const outbox = new Outbox();
    outbox.keepIn(store, 'https://chat.example/', 'r', (error) => errors.push(error));
    const entry = draftEntry('r', 'sent while the store loads');
    void outbox.add(entry);
    let attached = false;
    const attaching = outbox.attach('ana').then(() => (attached = true));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(attached).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await attaching;
    expect(outbox.attachedTo('ana')).toBe(true);
    expect(outbox.sendable().map((e) => e.text)).toEqual(['sent while the store loads']);
    expect(errors.map((e) => [e.code, e.message, (e.cause as Error).message])).toEqual([
      [
        'INTERNAL',
        'Messages waiting to be sent cannot be kept on this device: they will not survive a page reload.',
        "The outbox's store did not load in 10 s.",
      ],
    ]);
    await outbox.acked(entry.clientId, delivered(entry.clientId));
    expect(outbox.entries()).toEqual([]);
    expect(put).not.toHaveBeenCalled();
  });
});

describe('Outbox: a send on the wire when the room closed (taken out of it)', () => {
  const removal = builtInError('FORBIDDEN', 'You were removed from this room before this message was sent.');
  const refusal = builtInError('NOT_IN_ROOM', 'Join this room first.');
  async function page(store: OutboxStore) {
    const outbox = new Outbox();
    outbox.keepIn(store, 'https://chat.example/', 'r', () => undefined);
    await outbox.attach('ana');
    return outbox;
  }
  async function onTheWire() {
    const store = memoryOutbox();
    const outbox = await page(store);
    const entry = draftEntry('r', 'hello');
    const sent = outbox.add(entry);
    outbox.claim(entry.clientId);
    return { outbox, clientId: entry.clientId, sent, store };
  }

  it("keeps the close's error when the send's refusal comes after it, and the store keeps it for the next join", async () => {
    const { outbox, clientId, sent, store } = await onTheWire();
    outbox.failAll(removal);
    await outbox.failed(clientId, refusal);
    await expect(sent).rejects.toBe(removal);
    expect(outbox.entries().map((e) => [e.status, e.error])).toEqual([['failed', removal]]);
    // As the close leaves every entry it failed: pending, sent by the next join of the room.
    const next = await page(store);
    expect(next.entries().map((e) => [e.clientId, e.status])).toEqual([[clientId, 'pending']]);
  });

  it('keeps any other refusal that came before the close', async () => {
    const { outbox, clientId, sent } = await onTheWire();
    const tooLong = builtInError('VALIDATION_FAILED', 'Too long.');
    await outbox.failed(clientId, tooLong);
    await expect(sent).rejects.toBe(tooLong);
    outbox.failAll(removal);
    expect(outbox.entries().map((e) => e.error)).toEqual([tooLong]);
  });
});
