import { expect, it } from 'vitest';
import { startChat } from '../../../../../test-support/servers.js';
import { byHandshake, connect, eachStore, fresh, join, say } from './conversation-fixtures.js';

// Found by the model-based test (#45): a banned user added back with chat.addMembers became a
// stored member while the ban held, and was told of the room's words while away.
eachStore('chat.addMembers and a ban', (store) => {
  it('refuses to add a banned user (BANNED, naming them), adds nobody, and adds them once the ban is lifted', async () => {
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake });
    const [ana, ben, eva] = [fresh('ana'), fresh('ben'), fresh('eva')];
    const room = await chat.createRoom({ id: fresh('cafe'), createdBy: ana });
    const anaSocket = await connect(url, ana, 'Ana');
    await join(anaSocket, room.id);
    const benSocket = await connect(url, ben, 'Ben');
    await join(benSocket, room.id);
    (await connect(url, eva, 'Eva')).disconnect();
    await chat.ban(room.id, ben);

    await expect(chat.addMembers(room.id, [eva, ben])).rejects.toMatchObject({
      code: 'BANNED',
      message: `"${ben}" is banned from this room: lift the ban first (chat.unban), then add them. Nobody was added.`,
    });
    await say(anaSocket, room.id, 'secreto');
    expect((await chat.conversations(ben)).map((r) => r.room.id)).not.toContain(room.id);
    expect((await chat.conversations(eva)).map((r) => r.room.id)).not.toContain(room.id);
    expect(await chat.store.isMember(room.id, ben)).toBe(false);

    await chat.unban(room.id, ben);
    await chat.addMembers(room.id, [ben]);
    expect(await chat.store.isMember(room.id, ben)).toBe(true);
  });
});
