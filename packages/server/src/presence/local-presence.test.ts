import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceDelta } from '@chat/protocol';
import { LocalPresence } from './local-presence.js';
import { PresenceCoalescer } from './presence-coalescer.js';

describe('LocalPresence with the coalescer', () => {
  let deltas: PresenceDelta[];
  let presence: LocalPresence;
  let coalescer: PresenceCoalescer;
  beforeEach(() => {
    vi.useFakeTimers();
    deltas = [];
    presence = new LocalPresence();
    coalescer = new PresenceCoalescer(
      presence,
      (d) => deltas.push(d),
      50,
      (e) => {
        throw e;
      },
    );
  });
  afterEach(() => {
    coalescer.close();
    vi.useRealTimers();
  });

  it('coalesces 1,000 joins in one window into one delta', async () => {
    for (let i = 0; i < 1000; i++) {
      presence.addNow('r', `s${i}`, { id: `u${i}`, name: `n${i}` });
      coalescer.changed('r', `u${i}`);
    }
    expect(deltas).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(deltas).toHaveLength(1);
    expect(deltas[0]?.joined).toHaveLength(1000);
    expect(presence.membersNow('r')).toHaveLength(1000);
  });

  it('a join and leave in one window come out as left', async () => {
    presence.addNow('r', 's1', { id: 'a', name: 'A' });
    coalescer.changed('r', 'a');
    await vi.advanceTimersByTimeAsync(50);
    presence.addNow('r', 's2', { id: 'b', name: 'B' });
    coalescer.changed('r', 'b');
    presence.removeNow('r', 's2', 'b');
    presence.removeNow('r', 's1', 'a');
    coalescer.changed('r', 'a');
    await vi.advanceTimersByTimeAsync(50);
    expect(deltas[1]).toEqual({ roomId: 'r', joined: [], left: ['b', 'a'], updated: [] });
    expect(presence.membersNow('r')).toEqual([]);
  });

  it('counts sockets per user and names per room', () => {
    expect(presence.addNow('r', 's1', { id: 'a', name: 'Ana' }).joined).toBe(true);
    expect(presence.addNow('r', 's2', { id: 'a', name: 'Ana' }).joined).toBe(false);
    expect(() => presence.addNow('r', 's3', { id: 'b', name: ' ana' })).toThrow(expect.objectContaining({ code: 'NAME_TAKEN' }));
    expect(presence.addNow('other', 's3', { id: 'b', name: 'Ana' }).joined).toBe(true);
    expect(presence.removeNow('r', 's1', 'a')).toBeUndefined();
    expect(presence.removeNow('r', 's2', 'a')?.name).toBe('Ana');
    expect(presence.addNow('r', 's3', { id: 'b', name: 'Ana' }).joined).toBe(true);
  });
});
