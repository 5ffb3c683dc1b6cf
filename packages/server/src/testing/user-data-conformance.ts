import { describe, expect, it } from 'vitest';
import { ERASED_USER, type ChatStore } from '../core/chat-store.js';
import { freshRoomId } from './fixtures.js';

/**
 * The `ChatStore` cases about a person's data: `userMessages` pages their messages over every
 * room, `userRecords` holds the rest, and `eraseUserRecords` removes it (audit entries and
 * reports keep the action, naming `ERASED_USER`, without the reasons the person wrote), idempotently. Part of `describeStoreConformance`;
 * `parts` says whether the store keeps moderation's log and push subscriptions (the records of those).
 */
export function describeUserDataConformance(store: () => ChatStore, parts = { moderation: true, push: true }): void {
  describe("a person's data", () => {
    async function setUp() {
      const person = { id: freshRoomId('person'), name: 'Ana' };
      const other = { id: freshRoomId('other'), name: 'Luis' };
      const [a, b] = [freshRoomId('ud'), freshRoomId('ud')];
      for (const id of [a, b]) await store().createRoom({ id });
      await store().addMembers(a, [person, other]);
      await store().addMembers(b, [person]);
      const said = (roomId: string, clientId: string, user = person) =>
        store()
          .appendMessage({ roomId, clientId, user, text: clientId, attachments: [] })
          .then((r) => r.message);
      const mine = [await said(a, 'a1'), await said(b, 'b1'), await said(a, 'a2')];
      const theirs = await said(a, 'l1', other);
      await store().changeMessage(a, mine[2]?.id ?? '', { type: 'delete', at: new Date().toISOString() });
      await store().changeMessage(a, theirs.id, { type: 'react', emoji: '🎉', userId: person.id, maxEmojis: 20 });
      await store().setNotifications(b, person.id, 'mentions');
      await store().setStanding(a, person.id, { mute: {} });
      if (parts.moderation) {
        await store().appendAudit({ roomId: a, action: 'mute', actor: other, targetUserId: person.id, reason: 'spam' });
        await store().appendAudit({ roomId: a, action: 'kick', actor: person, targetUserId: other.id, reason: 'my words' });
        await store().appendReport({ roomId: a, messageId: theirs.id, reporter: person, reason: 'rude' });
      }
      const endpoint = `https://push.example/${person.id}`;
      if (parts.push) await store().savePushSubscription(person.id, { endpoint, keys: { p256dh: 'p', auth: 'a' } }, { max: 5 });
      return { person, other, a, b, mine, theirs, endpoint };
    }

    it("pages a user's messages over every room by id, deleted placeholders too", async () => {
      const { person, mine } = await setUp();
      const ids = mine.map((m) => m.id).sort();
      const first = await store().userMessages(person.id, { limit: 2 });
      const rest = await store().userMessages(person.id, { limit: 2, after: first.at(-1)?.id ?? '' });
      expect([...first, ...rest].map((m) => m.id)).toEqual(ids);
      expect([...first, ...rest].find((m) => m.id === mine[2]?.id)?.deletedAt).toBeDefined();
      expect(await store().userMessages(freshRoomId('nobody'), { limit: 10 })).toEqual([]);
    });

    it('gives what it keeps about a user beside their messages', async () => {
      const { person, a, b, theirs, endpoint } = await setUp();
      const records = await store().userRecords(person.id);
      expect(records.user).toMatchObject(person);
      expect(records.memberships.map((m) => [m.roomId, m.notifications]).sort()).toEqual([
        [a, 'all'],
        [b, 'mentions'],
      ]);
      expect(records.reactions).toEqual([{ roomId: a, messageId: theirs.id, emoji: '🎉' }]);
      const reported = [{ roomId: a, messageId: theirs.id, reporter: person, reason: 'rude' }];
      expect(records.reports).toMatchObject(parts.moderation ? reported : []);
      expect(records.pushSubscriptions.map((s) => s.endpoint)).toEqual(parts.push ? [endpoint] : []);
      const nobody = await store().userRecords(freshRoomId('nobody'));
      expect(nobody).toEqual({
        memberships: [],
        reactions: [],
        threadReads: [],
        reports: [],
        pushSubscriptions: [],
        // Optional for a store of a host's own.
        ...(nobody.endedReads && { endedReads: [] }),
      });
    });

    it('erases the records, keeps audit entries and reports without the person or their reasons, and can run again', async () => {
      const { person, other, a, b } = await setUp();
      await store().eraseUserRecords(person.id);
      await store().eraseUserRecords(person.id);
      const records = await store().userRecords(person.id);
      expect(records).toMatchObject({ memberships: [], threadReads: [], reports: [], pushSubscriptions: [] });
      expect(records.user).toBeUndefined();
      expect(records.endedReads ?? []).toEqual([]);
      expect(await store().isMember(a, person.id)).toBe(false);
      expect((await store().listMembers(a)).map((m) => m.user.id)).toEqual([other.id]);
      expect(await store().listMembers(b)).toEqual([]);
      expect(await store().getStanding(a, person.id)).toBeNull();
      if (!parts.moderation) return;
      const { entries } = await store().listAudit(a, { limit: 10 });
      // A reason another moderator wrote about the person stays (that moderator's words); the person's own goes.
      expect(entries.map((e) => [e.action, e.actor, e.targetUserId, e.reason])).toEqual([
        ['kick', ERASED_USER, other.id, undefined],
        ['mute', other, ERASED_USER.id, 'spam'],
      ]);
      const { reports } = await store().listReports(a, { limit: 10 });
      expect(reports.map((r) => [r.reporter, r.reason])).toEqual([[ERASED_USER, '']]);
      expect(JSON.stringify([entries, reports])).not.toContain(person.id);
    });
  });
}
