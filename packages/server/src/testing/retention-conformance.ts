import { describe, expect, it, vi } from 'vitest';
import type { ChatStore } from '../core/chat-store.js';
import { draft, freshRoomId } from './fixtures.js';

/** Resolves once the clock is past `iso`: the next message is stored strictly later. */
async function after(iso: string): Promise<void> {
  await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(Date.parse(iso) + 2), { timeout: 5000, interval: 2 });
}

/**
 * The `ChatStore` cases about retention: `expireMessages` removes the start of a room's log in
 * batches (reactions and mention counts with it), history pages say where it starts now,
 * `scanRooms` visits every room, and `exclusive` lets one instance at a time run a task.
 * Part of `describeStoreConformance`.
 */
export function describeRetentionConformance(store: () => ChatStore, openAgain?: (store: ChatStore) => Promise<ChatStore>): void {
  describe('retention', () => {
    it('removes the oldest messages stored before the cutoff, a batch at a time, and never reuses their seqs', async () => {
      const id = freshRoomId('ret');
      await store().createRoom({ id });
      await store().addMembers(id, [{ id: 'u2', name: 'Luis' }]);
      const old = [];
      for (let i = 0; i < 5; i++) old.push((await store().appendMessage({ ...draft(id, `old-${i}`), mentions: ['u2'] })).message);
      await store().changeMessage(id, old[0]?.id ?? '', { type: 'react', emoji: '👍', userId: 'u2', maxEmojis: 20 });
      await after(old[4]?.createdAt ?? '');
      const cutoff = new Date().toISOString();
      await after(cutoff);
      const kept = (await store().appendMessage(draft(id, 'new'))).message;

      const first = await store().expireMessages(id, cutoff, 3);
      expect(first.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(first.messages[0]?.reactions).toEqual({ '👍': { count: 1, userIds: ['u2'] } });
      expect(first.historyStart).toBe(4);
      const second = await store().expireMessages(id, cutoff, 3);
      expect(second.messages.map((m) => m.clientId)).toEqual(['old-3', 'old-4']);
      expect(second.historyStart).toBe(6);
      expect((await store().expireMessages(id, cutoff, 3)).messages).toEqual([]);

      expect(await store().getMessage(id, old[0]?.id ?? '')).toBeNull();
      expect(await store().listMessages(id, { limit: 10 })).toEqual({ messages: [kept], hasMore: false, historyStart: 6 });
      expect(await store().listMessages(id, { after: 2, limit: 10 })).toEqual({ messages: [kept], hasMore: false, historyStart: 6 });
      // A page that does not reach the removed seqs says nothing of them.
      expect((await store().listMessages(id, { after: 5, limit: 10 })).historyStart).toBeUndefined();
      // Removed mentions no longer count as unread mentions.
      const [row] = await store()
        .conversations('u2', { limit: 10 })
        .then((rows) => rows.filter((r) => r.room.id === id));
      expect(row?.mentions).toBe(0);
      const next = (await store().appendMessage(draft(id, 'newer'))).message;
      expect(next.seq).toBe(7);
    });

    it('stops at the first message stored at or after the cutoff, removing nothing when the oldest is new', async () => {
      const id = freshRoomId('ret');
      await store().createRoom({ id });
      const cutoff = new Date(Date.now() - 60_000).toISOString();
      await store().appendMessage(draft(id, 'a'));
      expect(await store().expireMessages(id, cutoff, 10)).toEqual({ messages: [], historyStart: 1 });
      expect(await store().expireMessages(freshRoomId('none'), cutoff, 10)).toMatchObject({ messages: [] });
      const all = await store().expireMessages(id, new Date(Date.now() + 60_000).toISOString(), 10);
      expect(all.messages.map((m) => m.clientId)).toEqual(['a']);
      // Nothing is left: history starts at the next seq.
      expect(all.historyStart).toBe(2);
      expect(await store().listMessages(id, { limit: 10 })).toEqual({ messages: [], hasMore: false, historyStart: 2 });
    });

    it('scans every room by id, ended ones too', async () => {
      const prefix = freshRoomId('scan');
      const ids = [`${prefix}-b`, `${prefix}-a`, `${prefix}-c`];
      for (const id of ids) await store().createRoom({ id });
      await store().updateRoom(`${prefix}-c`, { endedAt: new Date().toISOString() });
      const seen: string[] = [];
      let cursor: string | undefined = `${prefix}-`;
      for (;;) {
        const page = await store().scanRooms(cursor, 2);
        seen.push(...page.map((r) => r.id).filter((id) => id.startsWith(prefix)));
        if (page.length < 2 || !page.at(-1)?.id.startsWith(prefix)) break;
        cursor = page.at(-1)?.id;
      }
      expect(seen).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    });

    it('runs an exclusive task on one instance at a time, and the next once it is done', async () => {
      const first = store();
      if (!first.exclusive) return;
      const other = openAgain ? await openAgain(first) : first;
      const name = freshRoomId('task');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const firstRun = first.exclusive(name, async () => {
        started();
        await held;
      });
      await running;
      expect(await other.exclusive?.(name, async () => undefined)).toBe(false);
      release();
      expect(await firstRun).toBe(true);
      expect(await other.exclusive?.(name, async () => undefined)).toBe(true);
    });
  });
}
