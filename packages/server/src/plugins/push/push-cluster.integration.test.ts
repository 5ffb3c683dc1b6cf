// Collapse over a cluster: one push per user and room within the window, whichever processes the
// messages were stored on (the window is kept in Redis).
import { expect, it } from 'vitest';
import type { ReceivedRequest } from '../../../../../test-support/http-receiver.js';
import { startPushService, testDevice } from '../../../../../test-support/push-service.js';
import { okData, request } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { clusterSuite, connect, fresh, join, say } from '../../capabilities/conversations/conversation-fixtures.js';
import type { PushPayload } from './push-payload.js';
import { offline, pushTo, subscribe } from './push-fixtures.js';

clusterSuite('push collapse', (twoProcesses) => {
  it('two processes send to the same away user within the window: one push, from the first; the other process holds its own', async () => {
    const service = await startPushService();
    // A window longer than the test: what a process holds at its close is what the test sees.
    const [a, b] = await twoProcesses({ push: pushTo(service, { collapseMs: 600_000 }) });
    const room = fresh('room');
    const [ana, bea, luis, eva] = [fresh('ana'), fresh('bea'), fresh('luis'), fresh('eva')];
    const anaOnA = await connect(a.url, ana, 'Ana');
    const beaOnB = await connect(b.url, bea, 'Bea');
    await join(anaOnA, room);
    await join(beaOnB, room);
    const [luisPhone, evaPhone] = [testDevice(service.url, `phone-${luis}`), testDevice(service.url, `phone-${eva}`)];
    for (const [id, device] of [
      [luis, luisPhone],
      [eva, evaPhone],
    ] as const) {
      const socket = await connect(b.url, id);
      await join(socket, room);
      // At level `mentions`: each hears only of the messages that mention them. (At the default
      // level, `all`, Eva would hear of "uno" too, or not, as A's cached member list had her yet.)
      okData(await request(socket, 'notifications:set', { roomId: room, level: 'mentions' }));
      await subscribe(socket, device);
      socket.disconnect();
      await offline(a.chat, id);
    }

    const first = await say(anaOnA, room, 'uno', [luis]);
    await waitFor(() => expect(service.requests).toHaveLength(1));
    // Bea's message on B mentions Luis inside A's window, and Eva, whose window is B's own:
    // Eva's push going out shows B has decided about both (one Redis connection answers in order).
    await say(beaOnB, room, 'dos', [luis, eva]);
    await waitFor(() => expect(service.requests.filter((r) => r.path === `/push/phone-${eva}`)).toHaveLength(1));
    // B closes first: the push it holds for Luis is in A's window, so it is not sent; then A.
    await b.chat.close();
    await a.chat.close();

    const toLuis = service.requests.filter((r) => r.path === `/push/phone-${luis}`);
    expect(toLuis.map((r) => (luisPhone.read(r) as PushPayload).messageId)).toEqual([first.id]);
    expect(evaPhone.read(service.requests.find((r) => r.path === `/push/phone-${eva}`) as ReceivedRequest)).toMatchObject({
      body: 'dos',
    });
  });

  it('a message held for another process’s window goes out when that window ends', async () => {
    const service = await startPushService();
    const [a, b] = await twoProcesses({ push: pushTo(service, { collapseMs: 1500 }) });
    const room = fresh('room');
    const [ana, bea, luis] = [fresh('ana'), fresh('bea'), fresh('luis')];
    const anaOnA = await connect(a.url, ana, 'Ana');
    const beaOnB = await connect(b.url, bea, 'Bea');
    await join(anaOnA, room);
    await join(beaOnB, room);
    const phone = testDevice(service.url, `phone-${luis}`);
    const socket = await connect(b.url, luis);
    await join(socket, room);
    await subscribe(socket, phone);
    socket.disconnect();
    await offline(a.chat, luis);

    const first = await say(anaOnA, room, 'uno', [luis]);
    await waitFor(() => expect(service.requests).toHaveLength(1));
    const second = await say(beaOnB, room, 'dos', [luis]);
    await waitFor(() => expect(service.requests).toHaveLength(2));
    await Promise.all([a.chat.close(), b.chat.close()]);
    expect(service.requests.map((r) => (phone.read(r) as PushPayload).messageId)).toEqual([first.id, second.id]);
    expect(service.requests[1]?.headers.topic).toBe(service.requests[0]?.headers.topic);
  });

  // Who is told of a message at level `all` comes from the sending process's copy of the room's
  // members: a removal or a ban made through the other process clears that copy there too, at once.
  it.each(['removed by the host', 'banned'])('a member %s through the other process gets no push from this one', async (how) => {
    const service = await startPushService();
    const [a, b] = await twoProcesses({ push: pushTo(service, { collapseMs: 0 }) });
    const room = fresh('room');
    const [ana, eva, luis] = [fresh('ana'), fresh('eva'), fresh('luis')];
    await a.chat.createRoom({ id: room, title: 'Equipo' });
    for (const id of [ana, eva]) {
      const socket = await connect(a.url, id);
      await join(socket, room);
      await subscribe(socket, testDevice(service.url, `phone-${id}`));
      socket.disconnect();
      await offline(b.chat, id);
    }
    // Luis joins on B after them: B's first read of the room's members (at his join) has them.
    const luisOnB = await connect(b.url, luis);
    await join(luisOnB, room);
    const to = (id: string) => service.requests.filter((r) => r.path === `/push/phone-${id}`).length;
    // B reads the room's members for this message, and keeps them.
    await say(luisOnB, room, 'uno');
    await waitFor(() => expect([to(ana), to(eva)]).toEqual([1, 1]));

    if (how === 'banned') await a.chat.ban(room, ana);
    else await a.chat.removeMembers(room, [ana]);
    await say(luisOnB, room, 'dos');
    // Eva's push, found in the same step from the same list, shows B has decided about Ana too.
    await waitFor(() => expect(to(eva)).toBe(2));
    expect(to(ana)).toBe(1);
  });
});
