import { describe, expect, it } from 'vitest';
import type { UserRef } from '@chat/protocol';
import type { ChatStore } from '../core/chat-store.js';
import { draft, freshRoomId } from './fixtures.js';

/** Resolves once the clock has moved past the current millisecond (activity orders by time). */
async function clockTick(): Promise<void> {
  const now = Date.now();
  while (Date.now() <= now) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The `ChatStore` cases about `memberRooms`: a user's rooms in one read with their bans, ordered
 * and limited as `conversations` is. Part of `describeStoreConformance`.
 */
export function describeMemberRoomsConformance(store: () => ChatStore): void {
  // Fresh user ids per test: a durable store keeps the rooms of earlier tests and runs.
  const person = (name: string): UserRef => ({ id: freshRoomId(`user-${name.toLowerCase()}`), name });

  describe('member rooms', () => {
    it("gives the user's rooms, whole, newest activity first, ended ones left out, at most limit", async () => {
      const ana = person('Ana');
      const ids: string[] = [];
      for (const [i, options] of [{}, { private: true }, { direct: true }, {}].entries()) {
        const id = freshRoomId('member-rooms');
        await store().createRoom({ id, title: `Room ${i}`, privateMetadata: { tier: i }, options, createdBy: 'u-host' });
        await store().addMembers(id, [ana]);
        ids.push(id);
        await clockTick();
      }
      const [first, secret, direct, last] = ids as [string, string, string, string];
      await store().appendMessage(draft(first, 'c1', 'hello'));
      await clockTick();
      await store().updateRoom(last, { endedAt: new Date().toISOString() });
      const rows = await store().memberRooms(ana.id, { limit: 10 });
      expect(rows.map((r) => r.room.id)).toEqual([first, direct, secret]);
      expect(rows[1]).toEqual({ room: await store().getRoom(direct) });
      expect(rows[2]?.room).toMatchObject({ id: secret, title: 'Room 1', privateMetadata: { tier: 1 }, options: { private: true } });
      expect((await store().memberRooms(ana.id, { limit: 2 })).map((r) => r.room.id)).toEqual([first, direct]);
      expect(await store().memberRooms(ana.id, { limit: 0 })).toEqual([]);
      expect(await store().memberRooms(person('Nobody').id, { limit: 10 })).toEqual([]);
      // The same rooms in the same order as conversations.
      expect((await store().conversations(ana.id, { limit: 10 })).map((c) => c.room.id)).toEqual([first, direct, secret]);
    });

    it("carries the user's own stored ban (expired ones too), not others' and not other standings", async () => {
      const [ana, ben] = [person('Ana'), person('Ben')];
      const [banned, expired, roleOnly, othersBan] = [freshRoomId('ban'), freshRoomId('ban'), freshRoomId('ban'), freshRoomId('ban')];
      for (const id of [banned, expired, roleOnly, othersBan]) {
        await store().createRoom({ id });
        await store().addMembers(id, [ana, ben]);
      }
      await store().setStanding(banned, ana.id, { ban: { reason: 'spam', until: '2999-01-01T00:00:00.000Z' } });
      await store().setStanding(expired, ana.id, { ban: { until: '2000-01-01T00:00:00.000Z' } });
      await store().setStanding(roleOnly, ana.id, { role: 'moderator', mute: { reason: 'loud' } });
      await store().setStanding(othersBan, ben.id, { ban: {} });
      const rows = new Map((await store().memberRooms(ana.id, { limit: 10 })).map((r) => [r.room.id, r]));
      expect(rows.size).toBe(4);
      expect(rows.get(banned)?.ban).toEqual({ reason: 'spam', until: '2999-01-01T00:00:00.000Z' });
      expect(rows.get(expired)?.ban).toEqual({ until: '2000-01-01T00:00:00.000Z' });
      expect(rows.get(roleOnly)).not.toHaveProperty('ban');
      expect(rows.get(othersBan)).not.toHaveProperty('ban');
      const bens = new Map((await store().memberRooms(ben.id, { limit: 10 })).map((r) => [r.room.id, r]));
      expect(bens.get(othersBan)?.ban).toEqual({});
      expect(bens.get(banned)).not.toHaveProperty('ban');
      // A membership that ends takes the room out; the ban stays the standing's.
      await store().removeMembers(banned, [ana.id]);
      expect((await store().memberRooms(ana.id, { limit: 10 })).map((r) => r.room.id)).not.toContain(banned);
      expect((await store().getStanding(banned, ana.id))?.ban).toBeDefined();
    });
  });
}
