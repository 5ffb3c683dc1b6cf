import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PresenceDelta } from '@chat/protocol';
import { LocalPresence } from '../../local/local-presence.js';
import { boundedChanges, LARGE_ROOM_WINDOW_MS, largeRoomThreshold } from './occupancy.js';
import { PresenceCoalescer } from './presence-coalescer.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('boundedChanges', () => {
  it('keeps status changes first, then arrivals and departures in order, up to the cap', () => {
    expect(boundedChanges(['a', 'b', 'c'], ['x'], 3)).toEqual({ updated: ['x'], changed: ['a', 'b'] });
    expect(boundedChanges(['a'], ['x', 'y', 'z', 'w'], 3)).toEqual({ updated: ['x', 'y', 'z'], changed: [] });
    expect(boundedChanges(['a'], [], 3)).toEqual({ updated: [], changed: ['a'] });
  });
});

describe('largeRoomThreshold', () => {
  it('defaults to 200 and refuses what is not a whole number of at least 1, with a sentence', () => {
    expect(largeRoomThreshold(undefined)).toBe(200);
    expect(largeRoomThreshold(1000)).toBe(1000);
    for (const bad of [0, -5, 2.5, Number.NaN]) {
      expect(() => largeRoomThreshold(bad)).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          message: expect.stringContaining('largeRoomThreshold must be a whole number'),
        }),
      );
    }
  });
});

describe('LocalPresence count and pages', () => {
  it('counts members, not sockets, and orders counts by when they were read', async () => {
    const presence = new LocalPresence();
    presence.addNow('r', 's1', { id: 'a', name: 'A' });
    presence.addNow('r', 's2', { id: 'a', name: 'A' });
    presence.addNow('r', 's3', { id: 'b', name: 'B' });
    const first = await presence.count('r');
    const second = await presence.count('r');
    expect(first.count).toBe(2);
    expect(second.at).toBeGreaterThan(first.at);
    expect((await presence.count('empty')).count).toBe(0);
  });

  it('pages in order of arrival; whoever stays is listed once when others come and go', async () => {
    const presence = new LocalPresence();
    for (const id of ['a', 'b', 'c', 'd', 'e']) presence.addNow('r', `s-${id}`, { id, name: id.toUpperCase() });
    const first = await presence.page('r', undefined, 2);
    expect(first.members.map((m) => m.id)).toEqual(['a', 'b']);
    presence.removeNow('r', 's-b', 'b');
    presence.removeNow('r', 's-c', 'c');
    presence.addNow('r', 's-f', { id: 'f', name: 'F' });
    const second = await presence.page('r', first.next, 2);
    expect(second.members.map((m) => m.id)).toEqual(['d', 'e']);
    const last = await presence.page('r', second.next, 2);
    expect(last).toEqual({ members: [expect.objectContaining({ id: 'f' })] });
    await expect(presence.page('r', 'x1', 2)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('PresenceCoalescer in a large room', () => {
  it('sends small rooms as before and a large room once a second, with the count and a few changes', async () => {
    vi.useFakeTimers();
    const presence = new LocalPresence();
    const deltas: PresenceDelta[] = [];
    const coalescer = new PresenceCoalescer(
      presence,
      (d) => deltas.push(d),
      10,
      (e) => {
        throw e;
      },
      3,
    );
    const join = (id: string) => {
      presence.addNow('r', `s-${id}`, { id, name: id });
      coalescer.changed('r', id);
    };
    join('a');
    join('b');
    await vi.advanceTimersByTimeAsync(10);
    expect(deltas).toEqual([
      { roomId: 'r', joined: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'b' })], left: [], updated: [] },
    ]);

    join('c');
    await vi.advanceTimersByTimeAsync(10);
    expect(deltas[1]).toMatchObject({ count: 3, countAt: expect.any(Number), joined: [{ id: 'c' }] });

    // Large now: the next window is a second, and its delta names at most the cap.
    for (let i = 0; i < 20; i++) join(`m${i}`);
    await vi.advanceTimersByTimeAsync(LARGE_ROOM_WINDOW_MS - 1);
    expect(deltas).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(deltas).toHaveLength(3);
    expect(deltas[2]).toMatchObject({ count: 23 });
    expect(deltas[2]?.joined).toHaveLength(10);
    coalescer.close();
  });
});
