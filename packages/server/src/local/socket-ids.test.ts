import { describe, expect, it } from 'vitest';
import { addSocket, hasSocket, removeSocket, socketCount, socketsOf, type SocketIds } from './socket-ids.js';

describe('socket ids', () => {
  it('holds one id as itself, more as a Set, and goes back to one id and to none', () => {
    let ids: SocketIds = 'a';
    expect([socketCount(ids), hasSocket(ids, 'a'), hasSocket(ids, 'b')]).toEqual([1, true, false]);
    expect(addSocket(ids, 'a')).toBe('a');
    ids = addSocket(ids, 'b');
    ids = addSocket(ids, 'c');
    expect([...socketsOf(ids)]).toEqual(['a', 'b', 'c']);
    expect(socketCount(ids)).toBe(3);
    ids = removeSocket(ids, 'b') as SocketIds;
    expect([...socketsOf(ids)]).toEqual(['a', 'c']);
    ids = removeSocket(ids, 'a') as SocketIds;
    expect(ids).toBe('c');
    expect(removeSocket(ids, 'c')).toBeUndefined();
    expect(hasSocket(undefined, 'c')).toBe(false);
  });
});
