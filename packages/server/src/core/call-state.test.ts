import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { decline, dropProcesses, end, join, leave, newCall, publicCall, ringOut, talkedMs, type CallParticipant } from './call-state.js';
import { endedLine, formatDuration, startedLine } from '../capabilities/calls/call-lines.js';

const T0 = '2030-01-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const person = (id: string, socketId = `s-${id}`, process = 'p1', joinedAt = T0): CallParticipant => ({
  user: { id, name: id.toUpperCase() },
  socketId,
  process,
  joinedAt,
});
const call = (ring: string[] = ['ben']) =>
  newCall({ id: 'c1', roomId: 'r', kind: 'video', caller: person('ana'), ring: ring.map((id) => ({ id, name: id.toUpperCase() })) });

describe('call state', () => {
  it('starts with the caller in, the invited ringing, version 1; the wire form has no sockets', () => {
    const wire = publicCall(call(['ben', 'cy']));
    expect(wire).toEqual({
      id: 'c1',
      roomId: 'r',
      kind: 'video',
      startedBy: { id: 'ana', name: 'ANA' },
      participants: [{ id: 'ana', name: 'ANA' }],
      ringing: [
        { id: 'ben', name: 'BEN' },
        { id: 'cy', name: 'CY' },
      ],
      startedAt: T0,
      version: 1,
    });
  });

  it('join: stops ringing, counts as answered, bumps the version; the same socket again is no change; another socket is refused', () => {
    const joined = join(call(), person('ben', 's-ben', 'p2', at(1)), 4);
    expect(joined?.state.participants.map((p) => p.user.id)).toEqual(['ana', 'ben']);
    expect(joined?.state.ringing).toEqual([]);
    expect(joined?.state.answeredAt).toBe(at(1));
    expect(joined?.state.version).toBe(2);
    const state = joined?.state ?? call();
    expect(join(state, person('ben', 's-ben'), 4)).toBeUndefined();
    expect(() => join(state, person('ben', 's-other'), 4)).toThrow(ChatError);
    expect(() => join(state, person('cy'), 2)).toThrow(/at most 2 people/u);
  });

  it('decline: the last decline with only the caller in ends the call, as missed; a decline of someone not ringing changes nothing', () => {
    const two = call(['ben', 'cy']);
    const one = decline(two, 'ben', at(1));
    expect(one?.ended).toBe(false);
    expect(decline(one?.state ?? two, 'ben', at(1))).toBeUndefined();
    const over = decline(one?.state ?? two, 'cy', at(2));
    expect(over?.ended).toBe(true);
    expect(over?.state.endedAt).toBe(at(2));
    expect(endedLine(over?.state ?? two)).toEqual({
      system: { type: 'call:ended', callId: 'c1', kind: 'video', durationMs: 0, missed: true },
      text: 'Missed video call',
    });
  });

  it('leave: ends a two-person call (with its length), leaves a bigger one; only from the given socket', () => {
    let state = join(call(['ben', 'cy']), person('ben', 's-ben', 'p1', at(1)), 4)?.state ?? call();
    state = join(state, person('cy', 's-cy', 'p1', at(2)), 4)?.state ?? state;
    expect(leave(state, 'cy', at(3), 's-elsewhere')).toBeUndefined();
    const bigger = leave(state, 'cy', at(3));
    expect(bigger?.ended).toBe(false);
    const over = leave(bigger?.state ?? state, 'ana', at(13));
    expect(over?.ended).toBe(true);
    expect(talkedMs(over?.state ?? state)).toBe(12 * 60_000);
    expect(endedLine(over?.state ?? state).text).toBe('Call ended, 12 min');
    expect(leave(call(), 'nobody', at(1))).toBeUndefined();
  });

  it('ring out: drops whoever rings; ends a call nobody answered, keeps an answered one', () => {
    expect(ringOut(call(), at(1))?.ended).toBe(true);
    const answered = join(call(['ben', 'cy']), person('ben'), 4)?.state ?? call();
    const kept = ringOut(answered, at(1));
    expect(kept?.ended).toBe(false);
    expect(kept?.state.ringing).toEqual([]);
    expect(ringOut(kept?.state ?? answered, at(2))).toBeUndefined();
  });

  it('dead processes: their participants leave; a call left with one person ends', () => {
    let state = join(call(['ben', 'cy']), person('ben', 's-ben', 'p2'), 4)?.state ?? call();
    state = join(state, person('cy', 's-cy', 'p2'), 4)?.state ?? state;
    expect(dropProcesses(state, new Set(['p9']), at(1))).toBeUndefined();
    const without = dropProcesses(state, new Set(['p1']), at(1));
    expect(without?.state.participants.map((p) => p.user.id)).toEqual(['ben', 'cy']);
    expect(without?.ended).toBe(false);
    expect(dropProcesses(state, new Set(['p2']), at(1))?.ended).toBe(true);
    expect(end(state, at(5)).state.ringing).toEqual([]);
  });

  it('lines: who started what, and lengths people read', () => {
    expect(startedLine(call()).text).toBe('ANA started a video call');
    expect(startedLine({ ...call(), kind: 'audio' }).text).toBe('ANA started an audio call');
    expect([
      formatDuration(4_400),
      formatDuration(59_000),
      formatDuration(90_000),
      formatDuration(3_600_000),
      formatDuration(3_900_000),
    ]).toEqual(['4 s', '59 s', '2 min', '1 h', '1 h 5 min']);
  });
});
