import { expect, it } from 'vitest';
import type { ChatError } from '@chat/protocol';
import type { ChatServer } from '../../chat-server.js';
import type { StoredUser } from '../../core/chat-store.js';
import { okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, clusterSuite, connect, eachStore, fresh, join, say } from './conversation-fixtures.js';
import type { Notify, NotifyEvent } from './notify.js';

interface Call {
  user: StoredUser;
  event: NotifyEvent;
}

/** A real notify hook: it records each call (an app would send an email or a push here). */
function recorder(fail?: (user: StoredUser) => void | Promise<void>): { notify: Notify; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    notify: async (user, event) => {
      calls.push({ user, event });
      await fail?.(user);
    },
  };
}

const callsFor = (calls: Call[], userId: string) => calls.filter((c) => c.user.id === userId);

/** Waits until the server has no socket of `userId` left (their disconnect was handled). */
async function offline(chat: ChatServer, userId: string): Promise<void> {
  await waitFor(async () => expect((await chat.presenceOf([userId]))[0]).toMatchObject({ online: false, lastSeenAt: expect.any(String) }));
}

eachStore('the notify hook', (store) => {
  it('is called for a direct message and for a mention to a user with no connected socket', async () => {
    const { notify, calls } = recorder();
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, notify });
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const anaSocket = await connect(url, ana, 'Ana');
    const luisSocket = await connect(url, luis, 'Luis');
    const evaSocket = await connect(url, eva, 'Eva');
    const lobby = fresh('lobby');
    await join(anaSocket, lobby);
    await join(evaSocket, lobby);
    const dm = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    await join(anaSocket, dm.id);
    luisSocket.disconnect();
    evaSocket.disconnect();
    await offline(chat, luis);
    await offline(chat, eva);

    const direct = await say(anaSocket, dm.id, '¿Mañana a las 10?');
    const mention = await say(anaSocket, lobby, '@Eva revisa esto', [eva]);
    expect(mention.mentions).toEqual([eva]); // kept: Eva is a member, though offline
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(callsFor(calls, luis)).toEqual([
      {
        user: { id: luis, name: 'Luis', lastSeenAt: expect.any(String) },
        event: { kind: 'direct', message: direct, room: expect.objectContaining({ id: dm.id, options: { direct: true, private: true } }) },
      },
    ]);
    expect(callsFor(calls, eva)).toEqual([
      {
        user: expect.objectContaining({ id: eva, name: 'Eva' }),
        event: { kind: 'mention', message: mention, room: expect.objectContaining({ id: lobby }) },
      },
    ]);
    // A direct message that also mentions Luis is one call, kind direct.
    await say(anaSocket, dm.id, '@Luis ¿sí?', [luis]);
    await waitFor(() => expect(callsFor(calls, luis)).toHaveLength(2));
    expect(callsFor(calls, luis)[1]?.event.kind).toBe('direct');
  });

  it('is not called for a user online anywhere, for the sender, or with notifications off', async () => {
    const { notify, calls } = recorder();
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, notify });
    const [ana, online, muted, mentionsOnly, last] = [fresh('ana'), fresh('online'), fresh('muted'), fresh('mentions'), fresh('last')];
    const room = fresh('room');
    const anaSocket = await connect(url, ana);
    await join(anaSocket, room);
    for (const id of [online, muted, mentionsOnly, last]) {
      const socket = await connect(url, id);
      await join(socket, room);
      if (id === muted) okData(await request(socket, 'notifications:set', { roomId: room, level: 'none' }));
      if (id === mentionsOnly) okData(await request(socket, 'notifications:set', { roomId: room, level: 'mentions' }));
      // Online stays connected (in no room now); the others go offline.
      if (id === online) okData(await request(socket, 'room:leave', { roomId: room }));
      else socket.disconnect();
    }
    for (const id of [muted, mentionsOnly, last]) await offline(chat, id);
    expect((await chat.conversations(muted)).find((c) => c.room.id === room)?.notifications).toBe('none');

    await say(anaSocket, room, 'everyone but me', [online, muted, mentionsOnly, ana]);
    // A message for the last user alone, sent after. A message's calls are made together, once its
    // recipients are read: when the mentions-only user's call for the first one is in, all of that
    // message's are. (The two messages' calls may come in either order: each reads the store.)
    await say(anaSocket, room, 'and you', [last]);
    await waitFor(() => expect([callsFor(calls, mentionsOnly).length, callsFor(calls, last).length]).toEqual([1, 1]));
    const byUser = (a: string[], b: string[]) => (a[0] ?? '').localeCompare(b[0] ?? '');
    expect(calls.map((c) => [c.user.id, c.event.kind, c.event.message.text]).sort(byUser)).toEqual(
      [
        [mentionsOnly, 'mention', 'everyone but me'],
        [last, 'mention', 'and you'],
      ].sort(byUser),
    );

    // The server API's sender, offline, mentioning itself: not notified either.
    calls.length = 0;
    const dm = await chat.openDirectRoom([ana, last]);
    await chat.sendMessage(dm.id, { user: { id: last, name: last }, text: 'note to self and Ana', mentions: [last] });
    // Ana (online) answers: the last user, offline, is notified of that one only.
    await join(anaSocket, dm.id);
    await say(anaSocket, dm.id, 'answer');
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls.map((c) => [c.user.id, c.event.kind, c.event.message.text])).toEqual([[last, 'direct', 'answer']]);
  });

  it('a hook that throws or rejects is reported through chat.on("error"), and the send succeeds', async () => {
    const [bad, worse] = [fresh('bad'), fresh('worse')];
    const { notify, calls } = recorder((user) => {
      if (user.id === bad) throw new Error('SMTP down');
      if (user.id === worse) return Promise.reject(new Error('push service 503'));
    });
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, notify });
    const errors: Array<{ error: ChatError; event: string | undefined }> = [];
    chat.on('error', (error, where) => errors.push({ error, event: where.event }));
    const room = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, room);
    for (const id of [bad, worse]) {
      const socket = await connect(url, id);
      await join(socket, room);
      socket.disconnect();
      await offline(chat, id);
    }
    const sent = await say(ana, room, 'hello both', [bad, worse]);
    expect(sent.mentions).toEqual([bad, worse]);
    await waitFor(() => expect(errors).toHaveLength(2));
    expect(calls).toHaveLength(2);
    expect(errors.map((e) => [e.event, e.error.code, e.error.message])).toEqual([
      ['notify', 'INTERNAL', 'The notify hook failed.'],
      ['notify', 'INTERNAL', 'The notify hook failed.'],
    ]);
    expect(errors.map((e) => String((e.error.cause as Error).message)).sort()).toEqual(['SMTP down', 'push service 503']);
    expect((await chat.store.listMessages(room, { limit: 10 })).messages.map((m) => m.text)).toEqual(['hello both']);
  });
});

clusterSuite('the notify hook', (twoProcesses) => {
  it('is not called for a user connected to another process; is called once, on the process that stored the message', async () => {
    const calls: Call[] = [];
    const [a, b] = await twoProcesses({
      notify: (user, event) => {
        calls.push({ user, event });
      },
    });
    const room = fresh('room');
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const anaOnA = await connect(a.url, ana);
    await join(anaOnA, room);
    const luisOnB = await connect(b.url, luis);
    await join(luisOnB, room);
    okData(await request(luisOnB, 'room:leave', { roomId: room })); // online on B, in no room
    const evaOnB = await connect(b.url, eva);
    await join(evaOnB, room);
    evaOnB.disconnect();
    await offline(a.chat, eva);
    await say(anaOnA, room, 'both of you', [luis, eva]);
    await say(anaOnA, room, 'Eva again', [eva]);
    await waitFor(() => expect(calls).toHaveLength(2));
    // Each message's call comes once its recipients are read: the two may come in either order.
    expect(calls.map((c) => [c.user.id, c.event.message.text]).sort()).toEqual([
      [eva, 'Eva again'],
      [eva, 'both of you'],
    ]);
  });
});
