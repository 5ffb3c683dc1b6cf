import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { CopyKind, MessageLog } from './message-log.js';

function msg(seq: number, rev = 0, patch: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    roomId: 'r',
    seq,
    clientId: `c${seq}`,
    user: { id: 'u', name: 'U' },
    text: `text ${seq} @${rev}`,
    attachments: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    rev,
    ...patch,
  };
}

const seqs = (log: MessageLog) => log.messages.map((m) => m.seq);

describe('MessageLog ordering', () => {
  it('keeps messages in seq order whatever order they arrive in, once per id', () => {
    const log = new MessageLog('r');
    log.apply([msg(3), msg(1)], CopyKind.PAGE);
    log.apply([msg(2), msg(5)], CopyKind.NEW);
    log.apply([msg(4), msg(1), msg(5)], CopyKind.PAGE);
    expect(seqs(log)).toEqual([1, 2, 3, 4, 5]);
    expect(log._oldestSeq).toBe(1);
    expect(log._newestSeq).toBe(5);
  });

  it('reports what was added, in the order given, and ignores other rooms', () => {
    const log = new MessageLog('r');
    const result = log.apply([msg(2), msg(1), msg(1), msg(7, 0, { roomId: 'other', id: 'x' })], CopyKind.PAGE);
    expect(result.added.map((m) => m.seq)).toEqual([2, 1]);
    expect(result.updated).toEqual([]);
    expect(log.get('x')).toBeUndefined();
  });

  it('moves the watermark only over seqs with nothing missing', () => {
    const log = new MessageLog('r');
    log.begin([], false);
    log.apply([msg(1), msg(2), msg(4)], CopyKind.NEW);
    expect(log._watermark).toBe(2);
    log.apply([msg(3)], CopyKind.PAGE);
    expect(log._watermark).toBe(4);
  });

  it('starts the watermark at the end of the first page', () => {
    const log = new MessageLog('r');
    const page = [msg(11), msg(12)];
    log.begin(page, false);
    log.apply(page, CopyKind.PAGE);
    expect(log._watermark).toBe(12);
    log.apply([msg(14)], CopyKind.NEW);
    expect(log._watermark).toBe(12);
  });

  it('in an ephemeral room joined empty, the first message received sets the baseline', () => {
    const log = new MessageLog('r');
    log.begin([], true);
    log.apply([msg(8), msg(7)], CopyKind.NEW);
    expect(log._watermark).toBe(8);
    log.apply([msg(10)], CopyKind.NEW);
    expect(log._watermark).toBe(8);
  });

  it('in an ephemeral room joined empty, a message received while the join was under way sets the baseline', () => {
    const log = new MessageLog('r');
    log.apply([msg(8)], CopyKind.NEW); // live, before the join's answer
    log.begin([], true);
    expect(log._watermark).toBe(8);
    log.apply([msg(10)], CopyKind.NEW);
    expect(log._watermark).toBe(8); // 9 is missing: a hole, not a new baseline
  });

  it('skips a hole the server cannot fill: the watermark moves to the next held seq', () => {
    const log = new MessageLog('r');
    log.begin([], false);
    log.apply([msg(1), msg(4), msg(5), msg(7)], CopyKind.PAGE);
    expect(log._watermark).toBe(1);
    expect(log._skipHole()).toBe(4);
    expect(log._watermark).toBe(5);
    expect(log._skipHole()).toBe(7);
    expect(log._watermark).toBe(7);
    expect(log._skipHole()).toBeUndefined();
  });

  it('clear forgets messages and watermark', () => {
    const log = new MessageLog('r');
    log.apply([msg(1), msg(2)], CopyKind.PAGE);
    log.clear();
    expect(log.messages).toEqual([]);
    expect(log._watermark).toBe(0);
    expect(log.hasSeq(1)).toBe(false);
    expect(log.get('m1')).toBeUndefined();
  });
});

describe('MessageLog rev rule: of two copies of a message, the higher rev wins', () => {
  it('a change with a higher rev replaces the held copy in place, in the same array', () => {
    const log = new MessageLog('r');
    log.apply([msg(1), msg(2), msg(3)], CopyKind.PAGE);
    const array = log.messages;
    const edited = msg(2, 5, { text: 'edited', editedAt: '2026-01-01T00:01:00.000Z' });
    const result = log.apply([edited], CopyKind.CHANGE);
    expect(result).toEqual({ added: [], updated: [edited] });
    expect(log.messages).toBe(array);
    expect(log.messages[1]).toBe(edited);
    expect(log.get('m2')).toBe(edited);
    expect(seqs(log)).toEqual([1, 2, 3]);
  });

  it('a copy with the same or a lower rev is stale and changes nothing, whatever its source', () => {
    const log = new MessageLog('r');
    const current = msg(1, 7, { text: 'current' });
    log.apply([current], CopyKind.PAGE);
    for (const kind of [CopyKind.NEW, CopyKind.PAGE, CopyKind.CHANGE]) {
      for (const rev of [0, 6, 7]) {
        expect(log.apply([msg(1, rev, { text: `stale ${rev}` })], kind)).toEqual({ added: [], updated: [] });
      }
    }
    expect(log.get('m1')).toBe(current);
  });

  it('a new-message event never replaces a held copy, even with a higher rev', () => {
    const log = new MessageLog('r');
    log.apply([msg(1)], CopyKind.PAGE);
    expect(log.apply([msg(1, 3)], CopyKind.NEW).updated).toEqual([]);
    expect(log.get('m1')?.rev).toBe(0);
  });

  it('a history page loaded later replaces a held copy only when its rev is higher', () => {
    const log = new MessageLog('r');
    log.apply([msg(1, 2), msg(2, 9)], CopyKind.NEW);
    const result = log.apply([msg(1, 4, { text: 'newer' }), msg(2, 3, { text: 'older' })], CopyKind.PAGE);
    expect(result.updated.map((m) => m.text)).toEqual(['newer']);
    expect(log.messages.map((m) => m.rev)).toEqual([4, 9]);
  });

  it('updates of one message applied out of order end on the newest', () => {
    const log = new MessageLog('r');
    log.apply([msg(1)], CopyKind.PAGE);
    log.apply([msg(1, 3, { text: 'three' }), msg(1, 5, { text: 'five' }), msg(1, 4, { text: 'four' })], CopyKind.CHANGE);
    expect(log.get('m1')?.text).toBe('five');
  });

  it('a change to a message not held is taken in after the oldest loaded one, not before it', () => {
    const log = new MessageLog('r');
    log.begin([msg(10), msg(11)], false);
    log.apply([msg(10), msg(11)], CopyKind.PAGE);
    // Older than anything loaded: history() brings it later, in its current state.
    expect(log.apply([msg(4, 3)], CopyKind.CHANGE).added).toEqual([]);
    // Sent after the join, its `message` not here yet: it is new to us.
    const changed = msg(12, 5, { text: 'changed before its broadcast arrived' });
    expect(log.apply([changed], CopyKind.CHANGE).added).toEqual([changed]);
    expect(seqs(log)).toEqual([10, 11, 12]);
    expect(log._watermark).toBe(12);
    // Its `message` event (rev 0) arriving afterwards does not undo the change.
    log.apply([msg(12)], CopyKind.NEW);
    expect(log.get('m12')).toBe(changed);
  });

  it('a change under a seq held by another message (another history) is not taken in', () => {
    const log = new MessageLog('r');
    log.apply([msg(1), msg(2)], CopyKind.PAGE);
    expect(log.apply([msg(2, 4, { id: 'other' })], CopyKind.CHANGE)).toEqual({ added: [], updated: [] });
    expect(log.get('m2')?.rev).toBe(0);
  });

  it('with nothing loaded, a change is taken in above the watermark, but not before an ephemeral baseline', () => {
    const empty = new MessageLog('r');
    empty.begin([], false);
    expect(empty.apply([msg(1, 2)], CopyKind.CHANGE).added.map((m) => m.seq)).toEqual([1]);
    const ephemeral = new MessageLog('r');
    ephemeral.begin([], true);
    expect(ephemeral.apply([msg(3, 2)], CopyKind.CHANGE).added).toEqual([]);
    expect(ephemeral.messages).toEqual([]);
  });
});
