import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '@chat/protocol';
import { ReactionCoalescer } from './reaction-coalescer.js';

// The window is driven by fake timers: each step says exactly which updates went out, and how
// many timers are left running.

const at = (rev: number, id = 'm1'): Message => ({
  id,
  roomId: 'r',
  seq: 1,
  clientId: `c-${id}`,
  user: { id: 'u', name: 'U' },
  text: 'hi',
  attachments: [],
  createdAt: '2030-01-01T00:00:00.000Z',
  rev,
});

describe('ReactionCoalescer', () => {
  let sent: Array<[number, string | undefined]>;
  let latest: Message;
  let errors: unknown[];
  let coalescer: ReactionCoalescer;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    errors = [];
    latest = at(0);
    coalescer = new ReactionCoalescer(
      (message, except) => sent.push([message.rev, except]),
      async () => latest,
      100,
      (error) => errors.push(error),
    );
  });
  afterEach(() => {
    coalescer.close();
    vi.useRealTimers();
  });

  it('sends the first change at once (not to its socket), then the latest state once per window while changes go on', async () => {
    coalescer.changed((latest = at(1)), false, 'sock-1');
    expect(sent).toEqual([[1, 'sock-1']]);
    for (let rev = 2; rev <= 10; rev++) coalescer.changed((latest = at(rev)), false, `sock-${rev}`);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    // The trailing update reads the message as it is now and goes to everyone.
    expect(sent).toEqual([
      [1, 'sock-1'],
      [10, undefined],
    ]);
    // Its window is open: a change now waits for it to close.
    coalescer.changed((latest = at(11)), false, 'sock-11');
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.at(-1)).toEqual([11, undefined]);
    // Nothing pending: the window closes without sending, and no timer is left.
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
    expect(coalescer.open).toBe(0);
    expect(errors).toEqual([]);
  });

  it('an edit or delete that went out supersedes a pending update it includes, but not one of a later change', async () => {
    coalescer.changed((latest = at(1)), false);
    coalescer.changed((latest = at(2)), false);
    coalescer.superseded(at(3)); // an edit after both reactions
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.map(([rev]) => rev)).toEqual([1]);

    coalescer.changed((latest = at(5)), false);
    coalescer.changed((latest = at(7)), false);
    coalescer.superseded(at(6)); // an edit stored between the two: the reaction of rev 7 is not in it
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.map(([rev]) => rev)).toEqual([1, 5, 7]);
  });

  it('keeps one window per message; no timer without changes; close stops every timer and sends nothing more', async () => {
    expect(vi.getTimerCount()).toBe(0);
    coalescer.changed(at(1, 'a'), false);
    coalescer.changed(at(2, 'b'), false);
    coalescer.changed(at(3, 'a'), false);
    expect(sent.map(([rev]) => rev)).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(2);
    coalescer.close();
    expect(vi.getTimerCount()).toBe(0);
    coalescer.changed(at(4, 'c'), false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map(([rev]) => rev)).toEqual([1, 2]);
  });

  it('a failed read is reported, not thrown, and read again at the next window until the update goes out', async () => {
    let failures = 2;
    const failing = new ReactionCoalescer(
      (message) => sent.push([message.rev, undefined]),
      async () => {
        if (failures-- > 0) throw new Error('store down');
        return at(2);
      },
      100,
      (error) => errors.push(error),
    );
    failing.changed(at(1), false);
    failing.changed(at(2), false);
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual([new Error('store down')]);
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toHaveLength(2);
    expect(sent.map(([rev]) => rev)).toEqual([1]);
    // Members who stay connected get the change once a read works, then the windows end.
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.map(([rev]) => rev)).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
    failing.close();
  });
});
