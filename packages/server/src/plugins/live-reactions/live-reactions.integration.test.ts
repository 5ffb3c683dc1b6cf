import { describe, expect, it } from 'vitest';
import type { LiveReactionBurst, RoomJoinResult } from '@chat/protocol';
import { waitFor } from '../../../../../test-support/wait.js';
import { startChat, type RawSocket } from '../../../../../test-support/servers.js';
import { byHandshake, clusterSuite, connect, fresh, join } from '../../capabilities/conversations/conversation-fixtures.js';
import { liveReactions } from './index.js';

// Live reactions on real servers: what a viewer sends, what every viewer in the room receives.

type Answer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; retryAfter?: number } };
/** `live-reaction:send` from a raw socket (a plugin's event: not in the built-in typed maps). */
function react(socket: RawSocket, roomId: string, emoji: unknown): Promise<Answer> {
  const loose = socket as unknown as { emit(event: string, payload: unknown, ack: (answer: Answer) => void): void };
  return new Promise((resolve) => loose.emit('live-reaction:send', { roomId, emoji }, resolve));
}

/** `count` reactions one after the other (a viewer's taps: each waits for its ack), their answers. */
async function reactMany(socket: RawSocket, roomId: string, emoji: string, count: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) answers.push(await react(socket, roomId, emoji));
  return answers;
}

/** Every burst a socket receives, and the sum of their counts for a room. */
function watch(socket: RawSocket) {
  const bursts: LiveReactionBurst[] = [];
  (socket as unknown as { on(event: string, fn: (b: LiveReactionBurst) => void): void }).on('live-reaction:burst', (b) => bursts.push(b));
  const total = (roomId: string) => {
    const sum: Record<string, number> = {};
    for (const b of bursts.filter((x) => x.roomId === roomId)) for (const [e, n] of Object.entries(b.counts)) sum[e] = (sum[e] ?? 0) + n;
    return sum;
  };
  return { bursts, total };
}

describe('live reactions (one process)', () => {
  it('a reaction reaches everyone in the room summed; the join answer lists the emoji; nothing leaves the room', async () => {
    const { url } = await startChat({ authenticate: byHandshake, plugins: [liveReactions({ perUserPerSecond: 100 })] });
    const [room, other] = [fresh('town-hall'), fresh('other')];
    const [ana, luis, eva] = await Promise.all([connect(url, fresh('ana')), connect(url, fresh('luis')), connect(url, fresh('eva'))]);
    const joined: RoomJoinResult = await join(ana, room);
    expect(joined.plugins?.['live-reactions']).toEqual({ emojis: ['👍', '❤️', '😂', '😮', '👏', '🎉'], perUserPerSecond: 100 });
    await join(luis, room);
    await join(eva, other);
    const [toAna, toLuis, toEva] = [watch(ana), watch(luis), watch(eva)];

    const answers = (await Promise.all([reactMany(ana, room, '👏', 7), reactMany(luis, room, '❤️', 3)])).flat();
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    for (const viewer of [toAna, toLuis]) await waitFor(() => expect(viewer.total(room)).toEqual({ '👏': 7, '❤️': 3 }));
    // Summed, not one frame per reaction; and nothing to a socket that is not in the room.
    expect(toLuis.bursts.length).toBeLessThan(10);
    expect(toEva.bursts).toEqual([]);
  });

  it('refuses an emoji the server does not offer, a room the socket is not in, and a user past the rate, with a sentence', async () => {
    const { url } = await startChat({ authenticate: byHandshake, plugins: [liveReactions({ emojis: ['👏'], perUserPerSecond: 1 })] });
    const room = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, room);
    expect(await react(ana, room, '💩')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: '"live-reaction:send": emoji: must be one of this server\'s reactions (👏).' },
    });
    expect(await react(ana, room, ['👏'])).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await react(ana, fresh('elsewhere'), '👏')).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    // Three at once against one a second: at least two are refused, with the wait until the next second.
    const answers = await Promise.all([react(ana, room, '👏'), react(ana, room, '👏'), react(ana, room, '👏')]);
    const refused = answers.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', message: 'At most 1 reactions a second: wait a moment.' },
    });
    const retryAfter = refused[0]?.ok === false ? refused[0].error.retryAfter : undefined;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(1000);
  });
});

clusterSuite('live reactions', (twoProcesses) => {
  it('viewers on two processes each receive every reaction sent on either, summed exactly once', async () => {
    const [a, b] = await twoProcesses({ plugins: [liveReactions({ perUserPerSecond: 100 })] });
    const room = fresh('town-hall');
    const onA = await connect(a.url, fresh('ana'));
    const onB = await connect(b.url, fresh('luis'));
    await join(onA, room);
    await join(onB, room);
    const [seenOnA, seenOnB] = [watch(onA), watch(onB)];
    const answers = (await Promise.all([reactMany(onA, room, '👏', 20), reactMany(onB, room, '🎉', 30)])).flat();
    expect(answers.filter((x) => !x.ok)).toEqual([]);
    for (const seen of [seenOnA, seenOnB]) await waitFor(() => expect(seen.total(room)).toEqual({ '👏': 20, '🎉': 30 }));
    await Promise.all([a.chat.close(), b.chat.close()]);
    // Nothing counted twice after all: still exact once the processes have stopped.
    expect(seenOnA.total(room)).toEqual({ '👏': 20, '🎉': 30 });
    expect(seenOnB.total(room)).toEqual({ '👏': 20, '🎉': 30 });
  });
});
