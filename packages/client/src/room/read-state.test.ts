import { afterEach, describe, expect, it, vi } from 'vitest';
import { ID_LIMITS, type Message } from '@chat/protocol';
import { MARK_INTERVAL_MS, mentionsAfter, RoomReads } from './read-state.js';

function message(seq: number, userId: string, extra: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    roomId: 'r',
    seq,
    clientId: `c${seq}`,
    user: { id: userId, name: userId.toUpperCase() },
    text: `#${seq}`,
    attachments: [],
    createdAt: new Date(seq * 1000).toISOString(),
    rev: 0,
    ...extra,
  };
}

/** RoomReads over a fake server that keeps a mark and clamps it at `last` (no throttle unless `intervalMs`). */
function reads(last = 10, intervalMs = 0) {
  const sent: number[] = [];
  const moved: number[] = [];
  let serverMark = 0;
  let gate: Promise<void> = Promise.resolve();
  let fail: Error | undefined;
  const r = new RoomReads(
    async (seq) => {
      sent.push(seq);
      await gate;
      if (fail) throw fail;
      serverMark = Math.max(serverMark, Math.min(seq, last));
      return serverMark;
    },
    (seq) => moved.push(seq),
    intervalMs,
  );
  return {
    r,
    sent,
    moved,
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => open();
    },
    failWith(error: Error | undefined) {
      fail = error;
    },
  };
}

describe('RoomReads', () => {
  it('marks forward only: a seq at or below the mark sends nothing', async () => {
    const t = reads();
    expect(await t.r.mark(4)).toBe(4);
    expect(await t.r.mark(3)).toBe(4);
    expect(await t.r.mark(4)).toBe(4);
    expect(t.sent).toEqual([4]);
    expect(t.moved).toEqual([4]);
  });

  it('marks asked while one is on the way go out once, with the highest seq', async () => {
    const t = reads();
    const open = t.hold();
    const first = t.r.mark(2);
    const others = [t.r.mark(5), t.r.mark(3), t.r.mark(7)];
    open();
    expect(await first).toBe(7);
    expect(await Promise.all(others)).toEqual([7, 7, 7]);
    expect(t.sent).toEqual([2, 7]);
  });

  it('a seq beyond the last message is clamped by the server (each call asks once, no endless asking)', async () => {
    const t = reads(10);
    expect(await t.r.mark(50)).toBe(10);
    expect(await t.r.mark(50)).toBe(10);
    expect(t.sent).toEqual([50, 50]);
    expect(await t.r.mark(9)).toBe(10);
    expect(t.sent).toEqual([50, 50]);
  });

  it('a failed mark rejects every waiting caller and is asked again next time', async () => {
    const t = reads();
    t.failWith(new Error('offline'));
    await expect(t.r.mark(3)).rejects.toThrow('offline');
    t.failWith(undefined);
    expect(await t.r.mark(3)).toBe(3);
    expect(t.sent).toEqual([3, 3]);
  });

  it('knows who read what: join reads, read events, and the senders of messages', () => {
    const t = reads();
    t.r.joined(
      2,
      [
        { userId: 'luis', seq: 3 },
        { userId: 'eva', seq: 1 },
      ],
      'ana',
    );
    t.r.know({ id: 'luis', name: 'Luis' });
    const mine = message(3, 'ana');
    expect(t.r.readBy(mine).map((u) => u.name)).toEqual(['Luis']);
    expect(t.r.moved('eva', 3, 'ana')).toBe(true);
    expect(t.r.moved('eva', 2, 'ana')).toBe(false); // never backwards
    // Eva was never seen by this room: named by her id.
    expect(t.r.readBy(mine)).toEqual([
      { id: 'luis', name: 'Luis' },
      { id: 'eva', name: 'eva' },
    ]);
    // A message by Luis: he is not his own reader; sending moves his mark.
    expect(t.r.sent(message(4, 'luis'), 'ana')).toBe(true);
    expect(t.r.readBy(message(4, 'luis'))).toEqual([]);
    // A bot that is no member keeps no mark.
    expect(t.r.sent(message(5, 'bot'), 'ana')).toBe(false);
    // One's own message moves one's own mark.
    expect(t.r.sent(message(6, 'ana'), 'ana')).toBe(true);
    expect(t.r.readSeq).toBe(6);
  });

  it('moves the mark of a member seen later who only sends, not of a sender never seen as a member', () => {
    const t = reads();
    t.r.joined(0, [], 'ana');
    t.r.member('luis');
    expect(t.r.sent(message(1, 'luis'), 'ana')).toBe(true);
    expect(t.r.sent(message(2, 'bot'), 'ana')).toBe(false);
    expect(t.r.readBy(message(1, 'ana')).map((u) => u.id)).toEqual(['luis']);
    // A message can come before the presence that shows its sender joined.
    expect(t.r.sent(message(3, 'eva'), 'ana')).toBe(false);
    expect(t.r.readBy(message(3, 'ana'))).toEqual([]);
    expect(t.r.member('eva')).toBe(true);
    expect(t.r.readBy(message(3, 'ana')).map((u) => u.id)).toEqual(['eva']);
  });

  it("drops the others' marks once more than readsInJoin members are seen or present, until a join says otherwise", () => {
    const t = reads();
    const limit = ID_LIMITS.readsInJoin;
    // A room of `limit` members: Ana and limit - 1 others, all with marks.
    const others = Array.from({ length: limit - 1 }, (_, i) => ({ userId: `u${i}`, seq: 5 }));
    t.r.joined(5, others, 'ana');
    expect(t.r.readBy(message(5, 'ana'))).toHaveLength(limit - 1);
    t.r.member('u0'); // known already: still `limit`
    expect(t.r.receipts).toBe(true);
    t.r.member('newcomer'); // limit + 1: the server sends no more `read`
    expect(t.r.receipts).toBe(false);
    expect(t.r.readBy(message(5, 'ana'))).toEqual([]);
    expect(t.r.moved('u1', 9, 'ana')).toBe(false);
    expect(t.r.sent(message(6, 'u2'), 'ana')).toBe(false);
    // One's own mark still moves.
    expect(t.r.sent(message(7, 'ana'), 'ana')).toBe(true);
    // A join answer with marks starts them again (the room shrank).
    t.r.joined(7, [{ userId: 'u1', seq: 7 }], 'ana');
    expect(t.r.readBy(message(7, 'ana')).map((u) => u.id)).toEqual(['u1']);
    // More present than the limit: no receipts, whoever they are.
    t.r.present(limit + 1);
    expect(t.r.readBy(message(7, 'ana'))).toEqual([]);
  });

  describe('throttle', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("sends a quiet room's mark at once, then at most one per interval, the latest seq last", async () => {
      vi.useFakeTimers();
      const t = reads(100, MARK_INTERVAL_MS);
      expect(await t.r.mark(1)).toBe(1);
      expect(t.sent).toEqual([1]);
      // Messages keep coming: marks within the interval wait, merged.
      const pending = [t.r.mark(2), t.r.mark(3), t.r.mark(4)];
      await vi.advanceTimersByTimeAsync(MARK_INTERVAL_MS - 1);
      expect(t.sent).toEqual([1]);
      await vi.advanceTimersByTimeAsync(1);
      expect(await Promise.all(pending)).toEqual([4, 4, 4]);
      expect(t.sent).toEqual([1, 4]);
      // Another burst: the next mark no sooner than an interval after the last.
      const later = t.r.mark(9);
      await vi.advanceTimersByTimeAsync(MARK_INTERVAL_MS / 2);
      const last = t.r.mark(12);
      await vi.advanceTimersByTimeAsync(MARK_INTERVAL_MS / 2);
      expect(await later).toBe(12);
      expect(await last).toBe(12);
      expect(t.sent).toEqual([1, 4, 12]);
      // Quiet for an interval: at once again.
      await vi.advanceTimersByTimeAsync(MARK_INTERVAL_MS);
      const quiet = t.r.mark(13);
      await vi.advanceTimersByTimeAsync(0);
      expect(t.sent).toEqual([1, 4, 12, 13]);
      expect(await quiet).toBe(13);
    });

    it('sends nothing when another device marked as far meanwhile', async () => {
      vi.useFakeTimers();
      const t = reads(100, MARK_INTERVAL_MS);
      await t.r.mark(1);
      const pending = t.r.mark(5);
      expect(t.r.moved('ana', 6, 'ana')).toBe(true); // a `read` of one's own, from another device
      await vi.advanceTimersByTimeAsync(MARK_INTERVAL_MS);
      expect(await pending).toBe(6);
      expect(t.sent).toEqual([1]);
    });
  });

  it('counts mentions after the mark, deleted messages left out', () => {
    const messages = [
      message(1, 'luis', { mentions: ['ana'] }),
      message(2, 'luis', { mentions: ['ana', 'eva'] }),
      message(3, 'luis', { mentions: ['eva'] }),
      message(4, 'luis', { deletedAt: new Date().toISOString() }),
      message(5, 'eva', { mentions: ['ana'] }),
    ];
    expect(mentionsAfter(messages, 0, 'ana')).toBe(3);
    expect(mentionsAfter(messages, 1, 'ana')).toBe(2);
    expect(mentionsAfter(messages, 5, 'ana')).toBe(0);
  });
});
