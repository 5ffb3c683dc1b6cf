import { describe, expect, it } from 'vitest';
import { describeStoreConformance } from '../testing/store-conformance.js';
import type { MessageChange } from '../core/chat-store.js';
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

describe('MemoryStore changes', () => {
  const user = { id: 'u', name: 'U' };

  it('leaves messages trimmed past maxMessagesPerRoom out of changedAfter reads, and refuses changes to them', async () => {
    const store = new MemoryStore({ maxMessagesPerRoom: 3 });
    await store.createRoom({ id: 'r' });
    const first = [];
    for (let i = 1; i <= 3; i++)
      first.push((await store.appendMessage({ roomId: 'r', clientId: `c${i}`, user, text: `m${i}`, attachments: [] })).message);
    for (const m of first) await store.changeMessage('r', m.id, { type: 'react', emoji: '👍', userId: 'u', maxEmojis: 20 });
    for (let i = 4; i <= 5; i++) await store.appendMessage({ roomId: 'r', clientId: `c${i}`, user, text: `m${i}`, attachments: [] });
    const page = await store.listMessages('r', { changedAfter: 0, limit: 10 });
    expect(page.messages.map((m) => m.seq)).toEqual([3]);
    await expect(store.changeMessage('r', first[0]!.id, { type: 'edit', text: 'x', at: new Date().toISOString() })).rejects.toMatchObject({
      code: 'MESSAGE_NOT_FOUND',
    });
    expect(await store.roomRev('r')).toBe(3);
  });

  it('lists a message changed many times once, in rev order with the others, however its index is swept', async () => {
    const store = new MemoryStore();
    await store.createRoom({ id: 'r' });
    const [a, b] = [
      (await store.appendMessage({ roomId: 'r', clientId: 'a', user, text: 'a', attachments: [] })).message,
      (await store.appendMessage({ roomId: 'r', clientId: 'b', user, text: 'b', attachments: [] })).message,
    ];
    for (let i = 0; i < 300; i++) {
      const userId = `u${i % 7}`;
      const change: MessageChange =
        i % 2 === 0 ? { type: 'react', emoji: '👍', userId, maxEmojis: 20 } : { type: 'unreact', emoji: '👍', userId };
      await store.changeMessage('r', (i % 3 === 0 ? b : a).id, change);
    }
    await store.changeMessage('r', b.id, { type: 'edit', text: 'b2', at: new Date().toISOString() });
    const seen = [];
    let cursor = 0;
    for (;;) {
      const page = await store.listMessages('r', { changedAfter: cursor, limit: 1 });
      seen.push(...page.messages.map((m) => [m.id, m.rev]));
      if (!page.hasMore) break;
      cursor = page.messages.at(-1)!.rev;
    }
    expect(seen).toEqual([
      [a.id, (await store.getMessage('r', a.id))!.rev],
      [b.id, await store.roomRev('r')],
    ]);
  });
});

describe('MemoryStore conversations', () => {
  it('keeps unread exact past maxMessagesPerRoom and drops trimmed messages from the mention index', async () => {
    const store = new MemoryStore({ maxMessagesPerRoom: 3 });
    await store.createRoom({ id: 'r' });
    await store.addMembers('r', [{ id: 'ana', name: 'Ana' }]);
    for (let i = 1; i <= 5; i++)
      await store.appendMessage({
        roomId: 'r',
        clientId: `c${i}`,
        user: { id: 'u', name: 'U' },
        text: `m${i}`,
        attachments: [],
        mentions: ['ana'],
      });
    const [row] = await store.conversations('ana', { limit: 10 });
    // Seqs 1 and 2 were trimmed: still unread (counted from the seq counter), no longer mentions.
    expect(row).toMatchObject({ readSeq: 0, unread: 5, mentions: 3, lastMessage: { seq: 5 } });
    expect(await store.markRead('r', 'ana', 4)).toEqual({ seq: 4, changed: true });
    expect(await store.conversations('ana', { limit: 10 })).toMatchObject([{ unread: 1, mentions: 1 }]);
  });
});
