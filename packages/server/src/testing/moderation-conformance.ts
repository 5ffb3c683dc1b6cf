import { describe, expect, it } from 'vitest';
import { ChatError, type AuditEntry } from '@chat/protocol';
import type { ChatStore } from '../core/chat-store.js';
import type { AuditDraft } from '../core/moderation-records.js';
import { freshRoomId } from './fixtures.js';

/**
 * The `ChatStore` cases about moderation: standings (role, ban, mute per room and user), the
 * audit log and reports, newest first with paging. Part of `describeStoreConformance`; `store()`
 * gives the current test's store, `openAgain` a second instance on the same data (another process).
 */
export function describeModerationConformance(
  store: () => ChatStore,
  openAgain?: (store: ChatStore) => Promise<ChatStore>,
  /** Whether the store keeps moderation's log (`ModerationStore`): its cases run only then. */
  log = true,
): void {
  async function room(): Promise<string> {
    const id = freshRoomId('mod');
    await store().createRoom({ id });
    return id;
  }
  const moderator = { id: 'mod-1', name: 'Mara' };

  describe('moderation', () => {
    it('keeps a standing per room and user: role, ban and mute set, kept and cleared one at a time', async () => {
      const id = await room();
      const other = await room();
      expect(await store().getStanding(id, 'u1')).toBeNull();
      expect(await store().setStanding(id, 'u1', { role: 'moderator' })).toEqual({ userId: 'u1', role: 'moderator' });
      const until = new Date(Date.now() + 3_600_000).toISOString();
      expect(await store().setStanding(id, 'u1', { mute: { until, reason: 'spam' } })).toEqual({
        userId: 'u1',
        role: 'moderator',
        mute: { until, reason: 'spam' },
      });
      await store().setStanding(id, 'u0', { ban: {} });
      expect(await store().getStanding(id, 'u0')).toEqual({ userId: 'u0', ban: {} });
      expect(await store().listStandings(id)).toEqual([
        { userId: 'u0', ban: {} },
        { userId: 'u1', role: 'moderator', mute: { until, reason: 'spam' } },
      ]);
      // Another room knows nothing of it.
      expect(await store().getStanding(other, 'u1')).toBeNull();
      expect(await store().listStandings(other)).toEqual([]);
      // null clears one field; nothing left set is no standing at all.
      expect(await store().setStanding(id, 'u1', { mute: null })).toEqual({ userId: 'u1', role: 'moderator' });
      expect(await store().setStanding(id, 'u1', { role: null })).toBeNull();
      expect(await store().getStanding(id, 'u1')).toBeNull();
      expect(await store().setStanding(id, 'u0', { ban: null, mute: null })).toBeNull();
      expect(await store().listStandings(id)).toEqual([]);
      // Clearing what was never set changes nothing.
      expect(await store().setStanding(id, 'nobody', { ban: null })).toBeNull();
      expect(await store().listStandings(id)).toEqual([]);
    });

    it('refuses standings, audit entries and reports in a room that does not exist (ROOM_NOT_FOUND)', async () => {
      const missing = freshRoomId('missing');
      expect(
        await store()
          .setStanding(missing, 'u1', { ban: {} })
          .catch((e: unknown) => (e as ChatError).code),
      ).toBe('ROOM_NOT_FOUND');
      expect(await store().getStanding(missing, 'u1')).toBeNull();
      if (!log) return;
      const codes = await Promise.all([
        store()
          .appendAudit({ roomId: missing, action: 'kick', actor: moderator, targetUserId: 'u1' })
          .catch((e: unknown) => (e as ChatError).code),
        store()
          .appendReport({ roomId: missing, messageId: 'm', reporter: moderator, reason: 'x' })
          .catch((e: unknown) => (e as ChatError).code),
      ]);
      expect(codes).toEqual(['ROOM_NOT_FOUND', 'ROOM_NOT_FOUND']);
      expect(await store().listAudit(missing, { limit: 10 })).toEqual({ entries: [], hasMore: false });
      expect(await store().listReports(missing, { limit: 10 })).toEqual({ reports: [], hasMore: false });
    });

    if (log)
      it('keeps the audit log of each room with every field, newest first, in pages', async () => {
        const id = await room();
        const other = await room();
        const at = '2026-01-02T03:04:05.678Z';
        const drafts: AuditDraft[] = [
          { roomId: id, action: 'ban', actor: moderator, targetUserId: 'u1', reason: 'spam', until: '2030-01-01T00:00:00.000Z', at },
          { roomId: id, action: 'message:delete', actor: moderator, targetUserId: 'u2', messageId: 'msg-9' },
          { roomId: other, action: 'kick', actor: moderator, targetUserId: 'u3' },
          { roomId: id, action: 'room:update', actor: { id: 'server', name: 'Server' }, detail: { frozen: true, slowModeMs: 5000 } },
          { roomId: id, action: 'role', actor: moderator, targetUserId: 'u4', detail: { role: 'moderator' } },
        ];
        const entries: AuditEntry[] = [];
        for (const draft of drafts) entries.push(await store().appendAudit(draft));
        expect(entries[0]).toEqual({ ...drafts[0], id: entries[0]?.id });
        expect(Date.parse(entries[1]?.at ?? '')).not.toBeNaN();
        // Ids grow with each entry.
        const ids = entries.map((e) => Number(e.id));
        expect([...ids].sort((a, b) => a - b)).toEqual(ids);
        expect(new Set(ids).size).toBe(ids.length);

        const mine = [entries[4], entries[3], entries[1], entries[0]];
        expect(await store().listAudit(id, { limit: 10 })).toEqual({ entries: mine, hasMore: false });
        const first = await store().listAudit(id, { limit: 2 });
        expect(first).toEqual({ entries: mine.slice(0, 2), hasMore: true });
        const second = await store().listAudit(id, { limit: 2, before: first.entries.at(-1)?.id });
        expect(second).toEqual({ entries: mine.slice(2), hasMore: false });
        expect(await store().listAudit(other, { limit: 10 })).toEqual({ entries: [entries[2]], hasMore: false });
        // Returned entries are copies.
        (second.entries[0]?.actor as { name: string }).name = 'changed';
        expect((await store().listAudit(id, { limit: 10 })).entries[2]?.actor.name).toBe('Mara');
      });

    if (log)
      it('refuses a page cursor that is no entry id (VALIDATION_FAILED)', async () => {
        const id = await room();
        for (const before of ['abc', '-1', '0', '1.5', '']) {
          const error = await store()
            .listAudit(id, { limit: 5, before })
            .catch((e: unknown) => e);
          expect(error, before).toBeInstanceOf(ChatError);
          expect((error as ChatError).code).toBe('VALIDATION_FAILED');
          await expect(store().listReports(id, { limit: 5, before })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
        }
      });

    if (log)
      it('stores a report once per reporter and message, and lists reports newest first in pages', async () => {
        const id = await room();
        const ana = { id: 'ana', name: 'Ana' };
        const ben = { id: 'ben', name: 'Ben', avatarUrl: 'https://a.example/ben.png' };
        const first = await store().appendReport({ roomId: id, messageId: 'm1', reporter: ana, reason: 'rude' });
        expect(first).toEqual({
          duplicate: false,
          report: { id: first.report.id, roomId: id, messageId: 'm1', reporter: ana, reason: 'rude', at: first.report.at },
        });
        expect(Date.parse(first.report.at)).not.toBeNaN();
        expect(await store().appendReport({ roomId: id, messageId: 'm1', reporter: ana, reason: 'again' })).toEqual({
          duplicate: true,
          report: first.report,
        });
        const second = await store().appendReport({ roomId: id, messageId: 'm1', reporter: ben, reason: 'spam' });
        const third = await store().appendReport({ roomId: id, messageId: 'm2', reporter: ana, reason: 'spam' });
        expect([second.duplicate, third.duplicate]).toEqual([false, false]);
        expect(await store().listReports(id, { limit: 10 })).toEqual({
          reports: [third.report, second.report, first.report],
          hasMore: false,
        });
        const page = await store().listReports(id, { limit: 1, before: third.report.id });
        expect(page).toEqual({ reports: [second.report], hasMore: true });
      });

    it('applies standing changes and reports from two instances at once without losing one', async () => {
      const id = await room();
      const again = openAgain ? await openAgain(store()) : store();
      const until = new Date(Date.now() + 60_000).toISOString();
      await Promise.all([
        store().setStanding(id, 'u1', { ban: { reason: 'a' } }),
        again.setStanding(id, 'u1', { mute: { until } }),
        store().setStanding(id, 'u1', { role: 'member' }),
      ]);
      expect(await store().getStanding(id, 'u1')).toEqual({ userId: 'u1', role: 'member', ban: { reason: 'a' }, mute: { until } });
      if (!log) return;
      const reporter = { id: 'r', name: 'R' };
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? again : store()).appendReport({ roomId: id, messageId: 'm', reporter, reason: `r${i}` }),
        ),
      );
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => r.report.id)).size).toBe(1);
      expect((await store().listReports(id, { limit: 10 })).reports).toHaveLength(1);
    });
  });
}
