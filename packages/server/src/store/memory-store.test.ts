import { describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../../../../test-support/store-conformance.js';
import { MemoryStore } from './memory-store.js';

describeStoreConformance('MemoryStore', async () => new MemoryStore());

describe('MemoryStore bounds', () => {
  it('keeps the newest maxMessagesPerRoom messages and never reuses a seq', async () => {
    const store = new MemoryStore({ maxMessagesPerRoom: 3 });
    await store.createRoom({ id: 'r' });
    for (let i = 1; i <= 5; i++)
      await store.appendMessage({ roomId: 'r', clientId: `c${i}`, user: { id: 'u', name: 'U' }, text: `m${i}`, attachments: [] });
    const page = await store.listMessages('r', { limit: 10 });
    expect(page.messages.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect((await store.listMessages('r', { limit: 10, before: 4 })).messages.map((m) => m.seq)).toEqual([3]);
    expect((await store.listMessages('r', { limit: 10, after: 1 })).messages.map((m) => m.seq)).toEqual([3, 4, 5]);
    const next = await store.appendMessage({ roomId: 'r', clientId: 'c6', user: { id: 'u', name: 'U' }, text: 'm6', attachments: [] });
    expect(next.message.seq).toBe(6);
  });
});
