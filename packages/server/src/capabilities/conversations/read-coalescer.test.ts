import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadCoalescer } from './read-coalescer.js';

describe('ReadCoalescer', () => {
  let sent: Array<[string, string, number]>;
  let reads: ReadCoalescer;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    reads = new ReadCoalescer((roomId, userId, seq) => sent.push([roomId, userId, seq]), 1000);
  });
  afterEach(() => {
    reads.close();
    vi.useRealTimers();
  });

  it('sends the first mark at once and the highest of the rest when the window closes', async () => {
    for (let seq = 1; seq <= 200; seq++) reads.marked('r', 'ana', seq);
    expect(sent).toEqual([['r', 'ana', 1]]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([
      ['r', 'ana', 1],
      ['r', 'ana', 200],
    ]);
    // The trailing send opened a window of its own; nothing more came, so nothing more goes.
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps readers and rooms apart, and never sends a lower seq after a higher one', async () => {
    reads.marked('r', 'ana', 5);
    reads.marked('r', 'luis', 3);
    reads.marked('s', 'ana', 9);
    reads.marked('r', 'ana', 7);
    reads.marked('r', 'ana', 6);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([
      ['r', 'ana', 5],
      ['r', 'luis', 3],
      ['s', 'ana', 9],
      ['r', 'ana', 7],
    ]);
  });

  it('close() stops every timer', () => {
    reads.marked('r', 'ana', 1);
    reads.marked('r', 'ana', 2);
    reads.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
