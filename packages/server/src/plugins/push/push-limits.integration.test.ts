// Push at its bounds: a user with 20 devices (the default bound, the 21st refused), and a push
// service that answers 429 with Retry-After (waited for, said once per burst).
import { expect, it } from 'vitest';
import type { ChatError } from '@chat/protocol';
import type { ReceivedRequest } from '../../../../../test-support/http-receiver.js';
import { startPushService, testDevice } from '../../../../../test-support/push-service.js';
import { okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, connect, eachStore, fresh, join, say } from '../../capabilities/conversations/conversation-fixtures.js';
import type { PushPayload } from './push-payload.js';
import { memberAway, offline, pushTo, subscribe, to } from './push-fixtures.js';

eachStore('push bounds', (store) => {
  it('a user with 20 devices gets the push on all 20; a 21st is refused with PAYLOAD_TOO_LARGE and a sentence', async () => {
    const service = await startPushService();
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service) });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana, 'Ana');
    const luisSocket = await connect(url, luis);
    const dm = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    await join(anaSocket, dm.id);
    const devices = Array.from({ length: 20 }, (_, i) => testDevice(service.url, `d${i}-${luis}`));
    for (const device of devices) await subscribe(luisSocket, device);
    // The same device again replaces itself, even at the bound; a new one is refused.
    await subscribe(luisSocket, devices[7] as (typeof devices)[number]);
    expect(
      await request(luisSocket, 'push:subscribe', { subscription: testDevice(service.url, `d20-${luis}`).subscription }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'A user can have at most 20 push subscriptions (devices); unsubscribe one of the others first.',
      },
    });
    luisSocket.disconnect();
    await offline(chat, luis);

    const sent = await say(anaSocket, dm.id, '¿Lo ves en todos?');
    await waitFor(() => expect(service.requests).toHaveLength(20));
    await chat.close();
    for (const [i, device] of devices.entries()) {
      const received = to(service, `d${i}-${luis}`);
      expect(received).toHaveLength(1);
      expect(device.read(received[0] as ReceivedRequest)).toMatchObject({
        messageId: sent.id,
        reason: 'direct',
      } satisfies Partial<PushPayload>);
    }
  });
});

it('a push service answering 429 with Retry-After: nothing is sent to it before the wait is over, and each burst is said once', async () => {
  // Answers 429 (Retry-After: 1 s) to the next `busy` pushes, 201 to the rest; notes when each arrived.
  let busy = 0;
  const arrived: Array<{ path: string; at: number; status: number }> = [];
  const service = await startPushService((req) => {
    const status = busy > 0 ? 429 : 201;
    if (busy > 0) busy--;
    arrived.push({ path: req.path, at: Date.now(), status });
    return status === 429 ? { status, headers: { 'retry-after': '1' } } : status;
  });
  const { url, chat } = await startChat({ authenticate: byHandshake, push: pushTo(service, { collapseMs: 0 }) });
  const errors: ChatError[] = [];
  chat.on('error', (error) => errors.push(error));
  const room = fresh('room');
  const anaSocket = await connect(url, fresh('ana'), 'Ana');
  await join(anaSocket, room);
  const ids = Array.from({ length: 5 }, (_, i) => fresh(`m${i}`));
  for (const id of ids) await memberAway(chat, url, room, id, testDevice(service.url, `phone-${id}`), 'mentions');

  for (const burst of [1, 2]) {
    busy = ids.length;
    await say(anaSocket, room, `ronda ${burst}`, ids);
    // Every push is answered 429 once, then taken after the wait.
    await waitFor(() => expect(arrived.filter((a) => a.status === 201)).toHaveLength(burst * ids.length));
    expect(errors).toHaveLength(burst);
    expect(errors[burst - 1]).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: 1000,
      message: `The push service at ${service.url} answered 429 (too many pushes): nothing is sent to it for 1 s, then its pushes are tried again (said once per burst).`,
    });
  }
  await chat.close();
  for (const id of ids) {
    const tries = arrived.filter((a) => a.path === `/push/phone-${id}`);
    expect(tries.map((t) => t.status)).toEqual([429, 201, 429, 201]);
    // Retry-After honoured: each retry came at least its second after the 429 (less the clocks' grain).
    for (const i of [1, 3]) expect((tries[i]?.at ?? 0) - (tries[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(990);
  }
  expect(errors).toHaveLength(2);
});
