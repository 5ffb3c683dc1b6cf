import { describe, expect, it } from 'vitest';
import type { LiveReactionBurst } from '@chat/protocol';
import { liveReactionsConfig } from './live-reactions-options.js';
import { ReactionRate } from './reaction-rate.js';
import { ReactionTally } from './reaction-tally.js';

/** Three processes' tallies wired to each other as the cluster's messages would, each with its own sockets' bursts. */
function cluster(n: number) {
  const bursts: LiveReactionBurst[][] = Array.from({ length: n }, () => []);
  const tallies: ReactionTally[] = [];
  for (let i = 0; i < n; i++) {
    tallies.push(
      new ReactionTally({
        burst: (burst) => bursts[i]?.push(burst),
        toPeers: (counts) => tallies.forEach((peer, j) => j !== i && peer.fromPeer(JSON.parse(JSON.stringify(counts)))),
      }),
    );
  }
  return { tallies, bursts };
}

const sum = (bursts: LiveReactionBurst[], roomId: string) => {
  const total: Record<string, number> = {};
  for (const burst of bursts.filter((b) => b.roomId === roomId)) {
    for (const [emoji, n] of Object.entries(burst.counts)) total[emoji] = (total[emoji] ?? 0) + n;
  }
  return total;
};

describe('ReactionTally: reactions summed across processes, one burst per room per tick', () => {
  it('every process sums every reaction exactly once, whichever process received it and whenever its tick comes', () => {
    const { tallies, bursts } = cluster(3);
    const [a, b, c] = tallies as [ReactionTally, ReactionTally, ReactionTally];
    for (let i = 0; i < 1000; i++) (i % 3 === 0 ? a : i % 3 === 1 ? b : c).add(i % 2 ? 'town-hall' : 'clinic', i % 5 ? '👏' : '🎉');
    // Ticks out of step: a, then c, then b, then a round more so what the others sent last reaches everyone.
    for (const tally of [a, c, b, a, c, b]) tally.tick();
    for (const own of bursts) {
      expect(sum(own, 'town-hall')).toEqual({ '👏': 400, '🎉': 100 });
      expect(sum(own, 'clinic')).toEqual({ '👏': 400, '🎉': 100 });
    }
    // One burst per room per tick at most, on each process (2 ticks each, 2 rooms).
    for (const own of bursts) expect(own.length).toBeLessThanOrEqual(4);
    // A quiet tick sends nothing.
    const before = bursts.map((own) => own.length);
    for (const tally of tallies) tally.tick();
    expect(bursts.map((own) => own.length)).toEqual(before);
  });

  it('ignores what is not a peer message, and counts that are not whole and positive', () => {
    const { tallies, bursts } = cluster(1);
    const [a] = tallies as [ReactionTally];
    for (const junk of [
      null,
      42,
      'x',
      { rooms: 'x' },
      {
        rooms: [
          [1, {}],
          ['r', null],
          ['r', { '👍': -1, '🎉': 1.5, '👏': 'x' }],
        ],
      },
    ])
      a.fromPeer(junk);
    a.fromPeer({ rooms: [['r', { '👍': 2 }]] });
    a.tick();
    expect(bursts[0]).toEqual([{ roomId: 'r', counts: { '👍': 2 } }]);
  });
});

describe('ReactionRate and the options', () => {
  it('lets perSecond through per user and second, then answers the wait until the next second', () => {
    let now = 10_250;
    const rate = new ReactionRate(2, () => now);
    expect([rate.take('ana'), rate.take('ana'), rate.take('luis')]).toEqual([undefined, undefined, undefined]);
    expect(rate.take('ana')).toBe(750);
    now = 11_000;
    expect(rate.take('ana')).toBeUndefined();
  });

  it('refuses emojis that are not single emoji, lists too long, repeats and bad rates, with a sentence', () => {
    expect(liveReactionsConfig().emojis).toEqual(['👍', '❤️', '😂', '😮', '👏', '🎉']);
    expect(liveReactionsConfig({ emojis: ['🇪🇸', '👨‍👩‍👧'] }).emojis).toHaveLength(2);
    for (const emojis of [[], ['a'], ['👍👍'], ['<b>'], Array.from({ length: 13 }, () => '👍'), ['1️⃣x']]) {
      expect(() => liveReactionsConfig({ emojis })).toThrow(/emojis must be a list of 1 to 12 emoji/u);
    }
    expect(() => liveReactionsConfig({ emojis: ['👍', '👍'] })).toThrow(/one emoji twice/u);
    for (const perUserPerSecond of [0, 1.5, 101]) {
      expect(() => liveReactionsConfig({ perUserPerSecond })).toThrow(/perUserPerSecond must be a whole number from 1 to 100/u);
    }
  });
});
