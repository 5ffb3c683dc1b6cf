import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceDelta } from '@chat/protocol';
import { PresenceTracker } from './presence-tracker.js';

describe('PresenceTracker', () => {
  let deltas: PresenceDelta[];
  let tracker: PresenceTracker;
  beforeEach(() => {
    vi.useFakeTimers();
    deltas = [];
    tracker = new PresenceTracker((d) => deltas.push(d), 50);
  });
  afterEach(() => {
    tracker.close();
    vi.useRealTimers();
  });

  it('coalesces 1,000 joins in one window into one delta', () => {
    for (let i = 0; i < 1000; i++) tracker.add('r', `s${i}`, { id: `u${i}`, name: `n${i}` });
    expect(deltas).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(deltas).toHaveLength(1);
    expect(deltas[0]?.joined).toHaveLength(1000);
    expect(tracker.members('r')).toHaveLength(1000);
  });

  it('a join and leave in one window leaves the user out of joined', () => {
    tracker.add('r', 's1', { id: 'a', name: 'A' });
    vi.advanceTimersByTime(50);
    tracker.add('r', 's2', { id: 'b', name: 'B' });
    tracker.remove('r', 's2', 'b');
    tracker.remove('r', 's1', 'a');
    vi.advanceTimersByTime(50);
    expect(deltas[1]).toEqual({ roomId: 'r', joined: [], left: ['b', 'a'], updated: [] });
    expect(tracker.members('r')).toEqual([]);
  });

  it('counts sockets per user and names per room', () => {
    expect(tracker.add('r', 's1', { id: 'a', name: 'Ana' }).joined).toBe(true);
    expect(tracker.add('r', 's2', { id: 'a', name: 'Ana' }).joined).toBe(false);
    expect(() => tracker.add('r', 's3', { id: 'b', name: ' ana' })).toThrow(expect.objectContaining({ code: 'NAME_TAKEN' }));
    expect(tracker.add('other', 's3', { id: 'b', name: 'Ana' }).joined).toBe(true);
    expect(tracker.remove('r', 's1', 'a')).toBeUndefined();
    expect(tracker.remove('r', 's2', 'a')?.name).toBe('Ana');
    expect(tracker.add('r', 's3', { id: 'b', name: 'Ana' }).joined).toBe(true);
  });
});
