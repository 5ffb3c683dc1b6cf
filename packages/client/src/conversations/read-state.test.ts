import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { mentionsAfter, RoomReads } from './read-state.js';

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

/** RoomReads over a fake server that keeps a mark and clamps it at `last`. */
function reads(last = 10) {
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
    t.r.joined(2, [
      { userId: 'luis', seq: 3 },
      { userId: 'eva', seq: 1 },
    ]);
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
