import { expect, it } from 'vitest';
import type { MessageInput } from '../../core/policy.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import type { TestChat } from '../../../../../test-support/servers.js';

// Two processes on Redis over one PostgreSQL database, each keeping a copy of a room for its sends
// for a minute: a change made on one process holds on the other by the time it is answered, not
// when the other's copy runs out.

eachRedis("a room's cached copy across processes", (redis, schema) => {
  const seen: Array<Record<string, unknown> | undefined> = [];
  const twoServers = async () => {
    const pool = schema.pool();
    return (await startClusterChats(
      2,
      {
        roomCacheMs: 60_000,
        // The room a send on a process meets (its cached copy).
        beforeMessage: (input: MessageInput, ctx) => {
          seen.push(ctx.room?.privateMetadata);
          return input;
        },
      },
      redis(),
      () => new PostgresStore({ pool }),
    )) as [TestChat, TestChat];
  };
  let n = 0;
  const freshRoom = () => `cache-${process.pid}-${Date.now().toString(36)}-${n++}`;
  const ana = { id: 'ana', name: 'Ana' };

  it('a room ended on one process refuses sends on the other as soon as endRoom is answered', async () => {
    const [a, b] = await twoServers();
    const roomId = freshRoom();
    await a.chat.createRoom({ id: roomId });
    await b.chat.sendMessage(roomId, { user: ana, text: 'before' }); // b keeps a copy of the room
    await a.chat.endRoom(roomId);
    await expect(b.chat.sendMessage(roomId, { user: ana, text: 'after' })).rejects.toMatchObject({ code: 'ROOM_ENDED' });
    const page = await b.chat.store.listMessages(roomId, { limit: 10 });
    expect(page.messages.map((m) => m.text)).toEqual(['before']);
  });

  it('a room updated on one process is what sends on the other meet as soon as updateRoom is answered', async () => {
    const [a, b] = await twoServers();
    const roomId = freshRoom();
    await a.chat.createRoom({ id: roomId, privateMetadata: { step: 1 } });
    seen.length = 0;
    await b.chat.sendMessage(roomId, { user: ana, text: 'one' });
    await a.chat.updateRoom(roomId, { privateMetadata: { step: 2 } });
    await b.chat.sendMessage(roomId, { user: ana, text: 'two' });
    await a.chat.updateRoom(roomId, { privateMetadata: { step: 3 } });
    await b.chat.sendMessage(roomId, { user: ana, text: 'three' });
    expect(seen).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
  });
});
