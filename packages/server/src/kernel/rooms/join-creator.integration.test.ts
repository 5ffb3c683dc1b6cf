import { expect, it } from 'vitest';
import { okData, request } from '../../../../../test-support/servers.js';
import { eachStore, fresh } from '../../capabilities/conversations/conversation-fixtures.js';
import { joined, moderationChat, sent } from '../../capabilities/moderation/moderation-fixtures.js';

// Issue 30, item 1: with the defaults, the first guest into a room a join creates must not be
// able to moderate it (delete others' messages, kick, ban, freeze, end it over REST).
eachStore('a room created by a join', (store) => {
  it('has no creator and no owner: its first member is a member, and cannot moderate or end it', async () => {
    const { url, chat, rest } = await moderationChat({ store: store(), ownerOnJoin: false });
    const roomId = fresh('lobby');
    const [first, firstJoin] = await joined(url, roomId, 'ana');
    expect(firstJoin.room).not.toHaveProperty('createdBy');
    expect(firstJoin.self.role).toBeUndefined(); // absent means member
    const [other] = await joined(url, roomId, 'luis');
    const said = await sent(other, roomId, 'hello');

    const refused = { ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) };
    expect(await request(first, 'message:delete', { roomId, messageId: said.id })).toEqual(refused);
    expect(await request(first, 'moderation:kick', { roomId, userId: 'luis' })).toEqual(refused);
    expect(await request(first, 'moderation:ban', { roomId, userId: 'luis' })).toEqual(refused);
    expect(await request(first, 'moderation:room', { roomId, frozen: true })).toEqual(refused);
    expect(await request(first, 'moderation:role', { roomId, userId: 'luis', role: 'moderator' })).toEqual(refused);
    expect((await rest({ id: 'ana' }, 'POST', `/rooms/${roomId}/end`)).status).toBe(403);
    expect((await rest({ id: 'ana' }, 'GET', `/rooms/${roomId}/audit`)).status).toBe(403);

    // Nothing was changed, and the host can still hand out the role on purpose.
    expect(await chat.getRoom(roomId)).toMatchObject({ options: {} });
    expect((await chat.getRoom(roomId))?.endedAt).toBeUndefined();
    await chat.setRole(roomId, 'ana', 'moderator');
    expect(okData(await request(first, 'message:delete', { roomId, messageId: said.id })).message.deletedAt).toEqual(expect.any(String));
  });

  it('with ownerOnJoin, the first to join owns it, as before', async () => {
    const { url } = await moderationChat({ store: store(), ownerOnJoin: true });
    const roomId = fresh('lobby');
    const [first, firstJoin] = await joined(url, roomId, 'ana');
    expect(firstJoin.room.createdBy).toBe('ana');
    expect(firstJoin.self.role).toBe('owner');
    await joined(url, roomId, 'luis');
    expect(okData(await request(first, 'moderation:kick', { roomId, userId: 'luis' }))).toEqual({});
  });
});
