import { expect, it } from 'vitest';
import { directRoomId } from '../../core/ids.js';
import { okData, request, type RawSocket } from '../../../../../test-support/servers.js';
import { connect, eachStore, fresh, join, say, startWithRest } from './conversation-fixtures.js';

// Issue 30, items 2d and 2e: nobody owns a direct room, and a stranger cannot tell whether two
// people have one (every answer is the same before and after it exists).
eachStore('a direct room', (store) => {
  it('answers a stranger the same whether it exists or not, on every path', async () => {
    const { url, rest } = await startWithRest({ store: store() });
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const anaSocket = await connect(url, ana);
    await connect(url, luis);
    const evaSocket = await connect(url, eva);
    const roomId = directRoomId([ana, luis]);

    const probe = async (socket: RawSocket) => [
      await request(socket, 'room:join', { roomId }),
      await request(socket, 'read:mark', { roomId, seq: 1 }),
      await request(socket, 'notifications:set', { roomId, level: 'none' }),
      await request(socket, 'moderation:mute', { roomId, userId: ana }),
      await request(socket, 'moderation:role', { roomId, userId: eva, role: 'owner' }),
      await request(socket, 'message:history', { roomId }),
      await rest('GET', `/rooms/${roomId}`, eva),
      await rest('GET', `/rooms/${roomId}/messages`, eva),
      await rest('GET', `/rooms/${roomId}/audit`, eva),
      await rest('POST', `/rooms/${roomId}/end`, eva),
    ];
    const before = await probe(evaSocket);
    okData(await request(anaSocket, 'room:direct', { userIds: [luis] }));
    await join(anaSocket, roomId);
    await say(anaSocket, roomId, 'just us');
    const after = await probe(evaSocket);
    expect(after).toEqual(before);
    expect(before[0]).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
  });

  it('is owned by nobody: who opened it cannot mute, ban, kick, freeze it or make an outsider owner', async () => {
    const { url, chat } = await startWithRest({ store: store() });
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const anaSocket = await connect(url, ana);
    const luisSocket = await connect(url, luis);
    await connect(url, eva);
    const room = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    expect((await join(anaSocket, room.id)).self.role).toBeUndefined();
    await join(luisSocket, room.id);
    const refused = { ok: false, error: { code: 'FORBIDDEN', lang: 'en', message: 'Nobody moderates a direct conversation.' } };
    expect(await request(anaSocket, 'moderation:mute', { roomId: room.id, userId: luis })).toEqual(refused);
    expect(await request(anaSocket, 'moderation:ban', { roomId: room.id, userId: luis })).toEqual(refused);
    expect(await request(anaSocket, 'moderation:kick', { roomId: room.id, userId: luis })).toEqual(refused);
    expect(await request(anaSocket, 'moderation:room', { roomId: room.id, frozen: true })).toEqual(refused);
    expect(await request(anaSocket, 'moderation:role', { roomId: room.id, userId: eva, role: 'owner' })).toEqual(refused);
    // Nothing changed: Luis still writes, the room is not frozen, Eva holds no role.
    expect(okData(await request(luisSocket, 'message:send', { roomId: room.id, clientId: fresh('c'), text: 'still here' }))).toBeTruthy();
    expect((await chat.getRoom(room.id))?.options.frozen).toBeUndefined();
    expect(await chat.store.getStanding(room.id, eva)).toBeFalsy();
  });
});

eachStore('moderation:role', (store) => {
  it('refuses a role for someone who is not a member of the room', async () => {
    const { url } = await startWithRest({ store: store(), ownerOnJoin: true });
    const [ana, eva] = [fresh('ana'), fresh('eva')];
    const anaSocket = await connect(url, ana);
    const roomId = fresh('team');
    expect((await join(anaSocket, roomId)).self.role).toBe('owner');
    expect(await request(anaSocket, 'moderation:role', { roomId, userId: eva, role: 'moderator' })).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', lang: 'en', message: 'A role can be given only to a member of this room.' },
    });
    await join(await connect(url, eva), roomId);
    expect(okData(await request(anaSocket, 'moderation:role', { roomId, userId: eva, role: 'moderator' }))).toEqual({});
  });
});
