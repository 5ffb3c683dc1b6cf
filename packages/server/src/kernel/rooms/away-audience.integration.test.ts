// The audience of what is sent to people away (`notify`, push): only the room's stored members.
// A thread keeps its participants and a message its mentions without membership, so a reply in a
// thread once reached a participant who had been banned or removed since (issue 45, 2c).
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { NotifyEvent } from '../../core/notify.js';
import { okData, request, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { connect, eachStore, fresh, join, say, startWithRest } from '../../capabilities/conversations/conversation-fixtures.js';

async function reply(socket: RawSocket, roomId: string, threadOf: string, text: string) {
  const clientId = randomBytes(8).toString('hex');
  return okData(await request(socket, 'message:send', { roomId, clientId, text, threadOf })).message;
}

eachStore('a thread reply while away', (store) => {
  it('reaches its participants who are members, and none who was banned or removed since', async () => {
    const notified: Array<[string, NotifyEvent]> = [];
    const { url, chat } = await startWithRest({ store: store(), notify: (user, event) => void notified.push([user.id, event]) });
    const [town, board] = [fresh('town'), fresh('board')];
    const [ana, troll, eva, luis] = [fresh('ana'), fresh('troll'), fresh('eva'), fresh('luis')];
    await chat.createRoom({ id: board, options: { private: true }, createdBy: ana });
    await chat.addMembers(board, [
      { id: eva, name: eva },
      { id: luis, name: luis },
    ]);
    const anaSocket = await connect(url, ana);
    await join(anaSocket, town);
    await join(anaSocket, board);
    const root = await say(anaSocket, town, 'agenda?');
    const boardRoot = await say(anaSocket, board, 'budget?');
    for (const [id, roomId, threadOf] of [
      [troll, town, root.id],
      [eva, town, root.id],
      [eva, board, boardRoot.id],
      [luis, board, boardRoot.id],
    ] as const) {
      const socket = await connect(url, id);
      await join(socket, roomId);
      await reply(socket, roomId, threadOf, `${id} was here`);
      socket.disconnect();
    }
    await waitFor(async () => expect((await chat.presenceOf([troll, eva, luis])).every((p) => !p.online)).toBe(true));

    await chat.ban(town, troll, { reason: 'spam' });
    await chat.removeMembers(board, [luis]);
    notified.length = 0;
    await reply(anaSocket, town, root.id, 'the secret agenda');
    await reply(anaSocket, board, boardRoot.id, 'the secret budget');
    // Eva, a participant and member of both, hears of both: by then the others would have too.
    await waitFor(() => expect(notified.filter(([id]) => id === eva).map(([, e]) => e.message.text)).toHaveLength(2));
    expect(notified.map(([id]) => id)).not.toContain(troll);
    expect(notified.map(([id]) => id)).not.toContain(luis);
    expect(notified.every(([, event]) => event.kind === 'thread')).toBe(true);
  });
});
