import { describe, expect, it } from 'vitest';
import { checkUntil, inForce, Rank, roomRole, userRank } from './roles.js';

describe('roles and restrictions', () => {
  const now = Date.parse('2026-06-01T12:00:00.000Z');

  it('holds a ban or mute until its end, and one without an end until lifted', () => {
    expect(inForce(undefined, now)).toBe(false);
    expect(inForce({}, now)).toBe(true);
    expect(inForce({ until: '2026-06-01T12:00:00.001Z' }, now)).toBe(true);
    expect(inForce({ until: '2026-06-01T12:00:00.000Z' }, now)).toBe(false);
    expect(inForce({ until: '2025-01-01T00:00:00.000Z', reason: 'old' }, now)).toBe(false);
  });

  it('writes until as ISO 8601 UTC, and refuses one in the past or more than ten years away', () => {
    expect(checkUntil(undefined, now)).toBeUndefined();
    expect(checkUntil('2026-06-02T14:00:00+02:00', now)).toBe('2026-06-02T12:00:00.000Z');
    expect(checkUntil(new Date(now + 1000), now)).toBe('2026-06-01T12:00:01.000Z');
    expect(() => checkUntil(new Date(now), now)).toThrow('until must be in the future');
    expect(() => checkUntil('2037-01-01T00:00:00Z', now)).toThrow('at most 10 years');
    expect(() => checkUntil('soon', now)).toThrow('ISO 8601');
  });

  it('makes the creator owner unless given another role, and admins rank above owners', () => {
    const room = { createdBy: 'host', options: {} };
    expect(roomRole(room, 'host', undefined)).toBe('owner');
    expect(roomRole(room, 'host', { userId: 'host', role: 'member' })).toBe('member');
    expect(roomRole(room, 'ana', undefined)).toBe('member');
    expect(roomRole({ options: {} }, 'ana', { userId: 'ana', role: 'moderator' })).toBe('moderator');
    expect(userRank(room, { id: 'ana', roles: ['admin'] }, undefined)).toBe(Rank.ADMIN);
    expect(userRank(room, { id: 'host' }, undefined)).toBe(Rank.OWNER);
  });

  it('gives nobody a direct room, and a ban ends the rank a role gave', () => {
    const direct = { createdBy: 'ana', options: { direct: true, private: true } };
    expect(roomRole(direct, 'ana', undefined)).toBe('member');
    expect(userRank(direct, { id: 'ana' }, undefined)).toBe(Rank.MEMBER);
    const room = { createdBy: 'host', options: {} };
    expect(userRank(room, { id: 'host' }, { userId: 'host', ban: {} })).toBe(Rank.MEMBER);
    expect(userRank(room, { id: 'mod' }, { userId: 'mod', role: 'moderator', ban: { until: '2999-01-01T00:00:00.000Z' } })).toBe(
      Rank.MEMBER,
    );
    expect(userRank(room, { id: 'mod' }, { userId: 'mod', role: 'moderator', ban: { until: '2001-01-01T00:00:00.000Z' } })).toBe(
      Rank.MODERATOR,
    );
  });
});
