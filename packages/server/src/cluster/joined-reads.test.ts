import { describe, expect, it } from 'vitest';
import { JoinedReads, MOST_IDS_PER_READ } from './joined-reads.js';

/** A read that answers when told, recording what each call asked. */
function heldRead() {
  const calls: Array<{ ids: string[]; answer: (values: number[]) => void; fail: (error: unknown) => void }> = [];
  const read = (ids: string[]) => new Promise<unknown[]>((resolve, reject) => calls.push({ ids, answer: resolve, fail: reject }));
  return { calls, read };
}

describe('JoinedReads', () => {
  it('reads at once when idle, and joins the reads asked meanwhile into the next call', async () => {
    const { calls, read } = heldRead();
    const reads = new JoinedReads(read);
    const first = reads.get(['a', 'b']);
    expect(calls.map((c) => c.ids)).toEqual([['a', 'b']]);
    const second = reads.get(['b', 'c']);
    const third = reads.get(['d']);
    expect(calls).toHaveLength(1);
    calls[0]!.answer([1, 2]);
    expect(await first).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    await Promise.resolve();
    expect(calls.map((c) => c.ids)).toEqual([
      ['a', 'b'],
      ['b', 'c', 'd'],
    ]);
    calls[1]!.answer([5, 0, 3]);
    expect((await second).get('c')).toBe(0);
    expect((await third).get('d')).toBe(3);
    // Idle again: the next read goes at once.
    const fourth = reads.get(['e']);
    expect(calls).toHaveLength(3);
    calls[2]!.answer([7]);
    expect((await fourth).get('e')).toBe(7);
  });

  it('rejects every waiter of a failed call, and the reads after it still go', async () => {
    const { calls, read } = heldRead();
    const reads = new JoinedReads(read);
    const first = reads.get(['a']);
    const joinedA = reads.get(['b']);
    const joinedB = reads.get(['c']);
    calls[0]!.answer([1]);
    await first;
    await Promise.resolve();
    calls[1]!.fail(new Error('shard down'));
    await expect(joinedA).rejects.toThrow('shard down');
    await expect(joinedB).rejects.toThrow('shard down');
    const after = reads.get(['d']);
    calls[2]!.answer([4]);
    expect((await after).get('d')).toBe(4);
  });

  it(`keeps each call to at most ${MOST_IDS_PER_READ} ids, splitting between waiters`, async () => {
    const { calls, read } = heldRead();
    const reads = new JoinedReads(read);
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const first = reads.get(['x']);
    const big = [reads.get(ids('a', 600)), reads.get(ids('b', 600)), reads.get(ids('c', 300))];
    calls[0]!.answer([0]);
    await first;
    await Promise.resolve();
    expect(calls[1]!.ids).toHaveLength(600);
    calls[1]!.answer(calls[1]!.ids.map(() => 1));
    await big[0];
    await Promise.resolve();
    expect(calls[2]!.ids).toHaveLength(900);
    calls[2]!.answer(calls[2]!.ids.map(() => 2));
    expect((await big[1]!).get('b0')).toBe(2);
    expect((await big[2]!).get('c299')).toBe(2);
  });
});
