import { expect, it } from 'vitest';
import { okData, request } from '../../../../../test-support/servers.js';
import { eachStore, fresh } from '../conversations/conversation-fixtures.js';
import { joined, moderationChat } from './moderation-fixtures.js';

// Issue 30, item 2c: a ban ends a moderator's power on every path (it was checked on REST only),
// and ends the role itself: let back in, they are a member.
eachStore('a banned moderator', (store) => {
  it('moderates nothing over the socket or REST, and is a member when let back in', async () => {
    const { url, chat, rest } = await moderationChat({ store: store() });
    const roomId = fresh('town');
    await joined(url, roomId, 'ana'); // the owner (ownerOnJoin)
    const [mod] = await joined(url, roomId, 'mod');
    await joined(url, roomId, 'luis');
    await chat.setRole(roomId, 'mod', 'moderator');
    expect(okData(await request(mod, 'moderation:mute', { roomId, userId: 'luis' }))).toEqual({});

    await chat.ban(roomId, 'mod', { reason: 'abuse' });
    const banned = { ok: false, error: expect.objectContaining({ code: 'BANNED' }) };
    // The socket is still connected (only out of the room): its moderation requests are refused.
    expect(await request(mod, 'moderation:unmute', { roomId, userId: 'luis' })).toEqual(banned);
    expect(await request(mod, 'moderation:kick', { roomId, userId: 'luis' })).toEqual(banned);
    expect(await request(mod, 'moderation:room', { roomId, frozen: true })).toEqual(banned);
    expect((await rest({ id: 'mod' }, 'POST', `/rooms/${roomId}/moderation/unmute`, { userId: 'luis' })).status).toBe(403);
    expect((await rest({ id: 'mod' }, 'GET', `/rooms/${roomId}/audit`)).status).toBe(403);
    // Nothing they asked for happened.
    expect((await chat.getRoom(roomId))?.options.frozen).toBeUndefined();
    const [, luisAgain] = await joined(url, roomId, 'luis');
    expect(luisAgain.self.muted).toBeDefined(); // still muted: the unmute was refused

    await chat.unban(roomId, 'mod');
    const [modAgain, back] = await joined(url, roomId, 'mod');
    expect(back.self.role).toBeUndefined(); // a member now
    expect(await request(modAgain, 'moderation:unmute', { roomId, userId: 'luis' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'FORBIDDEN' }),
    });
  });
});
