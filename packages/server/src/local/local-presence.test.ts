import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceDelta } from '@chat/protocol';
import { LocalPresence } from './local-presence.js';
import { PresenceCoalescer } from '../kernel/presence/presence-coalescer.js';

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
    // 1,000 is a large room (from 200): the delta counts everyone and names the first few.
    expect(deltas[0]).toMatchObject({ count: 1000 });
    expect(deltas[0]?.joined.map((m) => m.id)).toEqual(Array.from({ length: 10 }, (_, i) => `u${i}`));
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

  it('counts a user online over every socket, tells who has a socket outside a room, and shows the status in members', async () => {
    expect(presence.connectNow('s1', { id: 'a', name: 'Ana' })).toBe(true);
    expect(presence.connectNow('s2', { id: 'a', name: 'Ana' })).toBe(false);
    presence.addNow('r', 's1', { id: 'a', name: 'Ana' });
    expect(await presence.outside('r', ['a', 'b'])).toEqual(['a']); // s2 is in no room
    presence.addNow('r', 's2', { id: 'a', name: 'Ana' });
    expect(await presence.outside('r', ['a'])).toEqual([]);

    expect(await presence.setStatus('a', { status: 'busy', statusText: 'Out' })).toBe(true);
    expect(await presence.setStatus('b', { status: 'busy' })).toBe(false); // not online
    expect(presence.membersNow('r')).toEqual([expect.objectContaining({ id: 'a', status: 'busy', statusText: 'Out' })]);
    expect(await presence.online(['a', 'b'])).toEqual(new Map([['a', { status: 'busy', statusText: 'Out' }]]));
    // The status is the user's while online: coming back after the last socket went starts over.
    expect(presence.disconnectNow('s1', 'a')).toBe(false);
    expect(presence.disconnectNow('s2', 'a')).toBe(true);
    expect(presence.disconnectNow('s2', 'a')).toBe(false);
    expect(presence.connectNow('s3', { id: 'a', name: 'Ana' })).toBe(true);
    expect(await presence.online(['a'])).toEqual(new Map([['a', { status: 'online' }]]));
  });

  it('asked again with the same ids, `outside` answers from the last change of sockets, rooms and connections', async () => {
    // The same array each time, as room:activity asks with a room's cached member list.
    const ids = ['a', 'b'];
    presence.connectNow('s1', { id: 'a', name: 'Ana' });
    presence.addNow('r', 's1', { id: 'a', name: 'Ana' });
    expect(await presence.outside('r', ids)).toEqual([]);
    const answer = await presence.outside('r', ids);
    answer.push('not kept'); // a caller's copy
    expect(await presence.outside('r', ids)).toEqual([]);
    presence.connectNow('s2', { id: 'b', name: 'Bo' }); // online, in no room
    expect(await presence.outside('r', ids)).toEqual(['b']);
    expect(await presence.outside('other', ids)).toEqual(['a', 'b']);
    presence.addNow('r', 's2', { id: 'b', name: 'Bo' });
    expect(await presence.outside('r', ids)).toEqual([]);
    presence.connectNow('s3', { id: 'a', name: 'Ana' }); // Ana's second tab, not in the room
    expect(await presence.outside('r', ids)).toEqual(['a']);
    presence.addNow('r', 's3', { id: 'a', name: 'Ana' });
    expect(await presence.outside('r', ids)).toEqual([]);
    presence.removeNow('r', 's3', 'a'); // left the room, still connected
    expect(await presence.outside('r', ids)).toEqual(['a']);
    presence.disconnectNow('s3', 'a');
    expect(await presence.outside('r', ids)).toEqual([]);
  });

  it('a status change alone is an `updated` entry; with a join in the same window, a `joined` one', async () => {
    presence.connectNow('s1', { id: 'a', name: 'Ana' });
    presence.addNow('r', 's1', { id: 'a', name: 'Ana' });
    coalescer.changed('r', 'a');
    await vi.advanceTimersByTimeAsync(50);
    presence.setStatusNow('a', { status: 'away' });
    coalescer.updated('r', 'a');
    coalescer.updated('r', 'gone');
    await vi.advanceTimersByTimeAsync(50);
    expect(deltas[1]).toEqual({ roomId: 'r', joined: [], left: [], updated: [expect.objectContaining({ id: 'a', status: 'away' })] });
    presence.connectNow('s2', { id: 'b', name: 'Bo' });
    presence.addNow('r', 's2', { id: 'b', name: 'Bo' });
    coalescer.changed('r', 'b');
    presence.setStatusNow('b', { status: 'busy' });
    coalescer.updated('r', 'b');
    await vi.advanceTimersByTimeAsync(50);
    expect(deltas[2]).toEqual({ roomId: 'r', joined: [expect.objectContaining({ id: 'b', status: 'busy' })], left: [], updated: [] });
  });
});
