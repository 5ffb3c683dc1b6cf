import { expect, it } from 'vitest';
import type { ChatError } from '@chat/protocol';
import type { ReceivedRequest } from '../../../../../test-support/http-receiver.js';
import { startPushService, testDevice } from '../../../../../test-support/push-service.js';
import { okData, request, startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, clusterSuite, connect, eachStore, fresh, join, say } from '../../capabilities/conversations/conversation-fixtures.js';
import { webPush } from './web-push-options.js';
import type { PushPayload } from './push-payload.js';
import { memberAway, offline, pushTo, subscribe, to, vapid } from './push-fixtures.js';

eachStore('push notifications', (store) => {
  it('a direct message and a mention reach every device of a user who is away, as real Web Push requests', async () => {
    const service = await startPushService();
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service) });
    const [ana, luis, eva, online] = [fresh('ana'), fresh('luis'), fresh('eva'), fresh('online')];
    const [phone, laptop, evaPhone, onlinePhone] = [
      testDevice(service.url, `phone-${luis}`),
      testDevice(service.url, `laptop-${luis}`),
      testDevice(service.url, `phone-${eva}`),
      testDevice(service.url, `phone-${online}`),
    ];
    const anaSocket = await connect(url, ana, 'Ana');
    (await connect(url, luis)).disconnect(); // a user the server knows, for the direct room
    const lobby = fresh('lobby');
    await join(anaSocket, lobby);
    const dm = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    await join(anaSocket, dm.id);
    for (const [id, devices] of [
      [luis, [phone, laptop]],
      [eva, [evaPhone]],
      [online, [onlinePhone]],
    ] as const) {
      const socket = await connect(url, id);
      await join(socket, lobby);
      // Level mentions: plain messages of the lobby push nothing to them (the test is about the rule of today).
      okData(await request(socket, 'notifications:set', { roomId: lobby, level: 'mentions' }));
      for (const device of devices) await subscribe(socket, device);
      if (id !== online) socket.disconnect();
    }
    await offline(chat, luis);
    await offline(chat, eva);

    const direct = await say(anaSocket, dm.id, '¿Mañana a las 10?');
    const mention = await say(anaSocket, lobby, `@Eva @online ${'mira esto '.repeat(100)}`, [eva, online]);
    await waitFor(() => expect(service.requests).toHaveLength(3));
    await chat.close();

    for (const device of [phone, laptop]) {
      const [received] = to(service, device.subscription.endpoint.split('/push/')[1] as string);
      expect(received?.method).toBe('POST');
      expect(received?.headers).toMatchObject({
        ttl: '86400',
        urgency: 'high',
        'content-encoding': 'aes128gcm',
        authorization: expect.stringMatching(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/u),
        topic: expect.stringMatching(/^[\w-]{32}$/u),
      });
      expect(device.read(received as ReceivedRequest)).toEqual({
        title: 'Ana',
        body: '¿Mañana a las 10?',
        sender: 'Ana',
        text: '¿Mañana a las 10?',
        content: 'text',
        roomId: dm.id,
        messageId: direct.id,
        seq: direct.seq,
        reason: 'direct',
        url: `/chat/${dm.id}`,
        count: 1,
      } satisfies PushPayload);
    }
    const [toEva] = to(service, `phone-${eva}`);
    const payload = evaPhone.read(toEva as ReceivedRequest) as PushPayload;
    expect(payload).toMatchObject({ title: 'Ana', roomId: lobby, messageId: mention.id, reason: 'mention' });
    // The body is cut to a line a notification shows; the whole push stays far under 4 KB.
    expect(payload.body.length).toBeLessThanOrEqual(180);
    expect(payload.body.endsWith('…')).toBe(true);
    expect((toEva as ReceivedRequest).raw.length).toBeLessThan(4096);
    // Someone connected gets no push.
    expect(to(service, `phone-${online}`)).toEqual([]);
  });

  it('level all pushes every message; a burst collapses into one push now and the latest after, with one topic', async () => {
    const service = await startPushService();
    // A window longer than the test: what the burst leaves is sent when the server closes.
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service, { collapseMs: 600_000 }) });
    const [ana, luis, quiet] = [fresh('ana'), fresh('luis'), fresh('quiet')];
    const room = fresh('room');
    await chat.createRoom({ id: room, title: 'Equipo' });
    const anaSocket = await connect(url, ana, 'Ana');
    await join(anaSocket, room);
    const device = testDevice(service.url, `phone-${luis}`);
    const quietDevice = testDevice(service.url, `phone-${quiet}`);
    await memberAway(chat, url, room, luis, device);
    await memberAway(chat, url, room, quiet, quietDevice, 'none');
    const first = await say(anaSocket, room, 'uno');
    await waitFor(() => expect(service.requests).toHaveLength(1));
    await say(anaSocket, room, 'dos');
    const last = await say(anaSocket, room, 'tres');
    await chat.close();

    expect(service.requests).toHaveLength(2);
    const [one, two] = service.requests.map((r) => device.read(r) as PushPayload);
    expect(one).toMatchObject({ title: 'Ana in Equipo', messageId: first.id, body: 'uno', reason: 'message', count: 1 });
    expect(two).toMatchObject({ messageId: last.id, body: 'tres (+1 more)', reason: 'message', count: 2 });
    expect(service.requests[0]?.headers).toMatchObject({ urgency: 'normal' });
    expect(service.requests[1]?.headers.topic).toBe(service.requests[0]?.headers.topic);
    expect(to(service, `phone-${quiet}`)).toEqual([]);
  });

  it('a thread-only reply reaches the thread participants who are away (reason thread), not the rest of the room', async () => {
    const service = await startPushService();
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service) });
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const room = fresh('room');
    await chat.createRoom({ id: room, title: 'Equipo' });
    const anaSocket = await connect(url, ana, 'Ana');
    await join(anaSocket, room);
    const luisSocket = await connect(url, luis, 'Luis');
    await join(luisSocket, room);
    const parent = await say(luisSocket, room, '¿Quién revisa el informe?');
    const luisDevice = testDevice(service.url, `phone-${luis}`);
    await subscribe(luisSocket, luisDevice);
    luisSocket.disconnect();
    await offline(chat, luis);
    await memberAway(chat, url, room, eva, testDevice(service.url, `phone-${eva}`));
    const answer = okData(
      await request(anaSocket, 'message:send', { roomId: room, clientId: fresh('c'), text: 'Yo lo reviso', threadOf: parent.id }),
    ).message;
    await waitFor(() => expect(to(service, `phone-${luis}`)).toHaveLength(1));
    expect(luisDevice.read(to(service, `phone-${luis}`)[0] as ReceivedRequest)).toMatchObject({
      messageId: answer.id,
      body: 'Yo lo reviso',
      reason: 'thread',
    });
    await chat.close();
    expect(to(service, `phone-${eva}`)).toEqual([]);
  });

  it('a subscription the push service says is gone (404, 410) is deleted; the others stay', async () => {
    const service = await startPushService((req) => (req.path.includes('gone') ? 410 : req.path.includes('lost') ? 404 : 201));
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service) });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const devices = ['gone', 'lost', 'fine'].map((name) => testDevice(service.url, `${name}-${luis}`));
    const anaSocket = await connect(url, ana, 'Ana');
    const luisSocket = await connect(url, luis);
    const dm = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    await join(anaSocket, dm.id);
    for (const device of devices) await subscribe(luisSocket, device);
    luisSocket.disconnect();
    await offline(chat, luis);

    await say(anaSocket, dm.id, 'hola');
    await waitFor(async () =>
      expect((await chat.store.listPushSubscriptions([luis])).map((s) => s.endpoint)).toEqual([devices[2]?.subscription.endpoint]),
    );
    await say(anaSocket, dm.id, 'otra vez');
    await chat.close();
    // The second message went to the one device left.
    expect(to(service, `fine-${luis}`)).toHaveLength(2);
    expect(to(service, `gone-${luis}`)).toHaveLength(1);
    expect(to(service, `lost-${luis}`)).toHaveLength(1);
  });

  it('a push the service fails is tried again (429 with Retry-After, 5xx with or without it), then reported through chat.on("error"); the send never fails', async () => {
    const service = await startPushService((req) => {
      // The busy service takes a device's second try; the one that is down takes none.
      const tries = service.requests.filter((r) => r.path === req.path).length;
      if (req.path.includes('busy')) return tries === 1 ? { status: 429, headers: { 'retry-after': '0' } } : 201;
      // A 500 with no Retry-After: tried again after the sender's own backoff (1 s first).
      if (req.path.includes('flaky')) return tries === 1 ? 500 : 201;
      return { status: 503, headers: { 'retry-after': '0' } };
    });
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service, { attempts: 3 }) });
    const errors: Array<{ error: ChatError; event: string | undefined }> = [];
    chat.on('error', (error, where) => errors.push({ error, event: where.event }));
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const anaSocket = await connect(url, ana, 'Ana');
    const room = fresh('room');
    await join(anaSocket, room);
    const busy = testDevice(service.url, `busy-${luis}`);
    const down = testDevice(service.url, `down-${eva}`);
    await memberAway(chat, url, room, luis, busy, 'mentions');
    await memberAway(chat, url, room, eva, down, 'mentions');
    const pia = fresh('pia');
    const flaky = testDevice(service.url, `flaky-${pia}`);
    await memberAway(chat, url, room, pia, flaky, 'mentions');
    await say(anaSocket, room, 'Pia, are you there?', [pia]);
    await waitFor(() => expect(to(service, `flaky-${pia}`)).toHaveLength(2));
    expect(flaky.read(to(service, `flaky-${pia}`)[1] as ReceivedRequest)).toMatchObject({ text: 'Pia, are you there?' });
    await say(anaSocket, room, 'Luis first', [luis]);
    await waitFor(() => expect(to(service, `busy-${luis}`)).toHaveLength(2));
    const sent = await say(anaSocket, room, 'and Eva', [eva]);
    expect(sent.text).toBe('and Eva');
    await waitFor(() => expect(errors).toHaveLength(2));
    expect(to(service, `down-${eva}`)).toHaveLength(3);
    // The 429 is said once (its burst), the push that was dropped once.
    expect(errors[0]).toMatchObject({ event: 'push', error: { code: 'RATE_LIMITED' } });
    expect(errors[1]).toMatchObject({
      event: 'push',
      error: { code: 'INTERNAL', message: `The push service at ${service.url} answered 503 (3 tries): a push was dropped.` },
    });
    // The subscription stays: a service that is down is not a device that is gone.
    expect(await chat.store.listPushSubscriptions([eva])).toHaveLength(1);
  });

  it('never POSTs to a stored subscription outside allowedEndpoints (the option changed) or past its expirationTime', async () => {
    const service = await startPushService();
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service) });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana, 'Ana');
    const luisSocket = await connect(url, luis);
    const dm = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    await join(anaSocket, dm.id);
    const allowed = testDevice(service.url, `ok-${luis}`);
    await subscribe(luisSocket, allowed);
    // Stored before the option narrowed (straight into the store: the server refuses them now).
    const elsewhere = testDevice(service.url, `x-${luis}`).subscription;
    await chat.store.savePushSubscription(luis, { ...elsewhere, endpoint: `${service.url}/other/${luis}` }, { max: 10 });
    const expired = testDevice(service.url, `expired-${luis}`).subscription;
    await chat.store.savePushSubscription(luis, { ...expired, expirationTime: Date.now() - 1000 }, { max: 10 });
    luisSocket.disconnect();
    await offline(chat, luis);

    await say(anaSocket, dm.id, 'hola');
    await waitFor(() => expect(to(service, `ok-${luis}`)).toHaveLength(1));
    await chat.close();
    expect(service.requests.map((r) => r.path)).toEqual([`/push/ok-${luis}`]);
  });

  it('pushes nothing for a line the server writes (a call started), only for what people write', async () => {
    const service = await startPushService();
    const { url, chat } = await startChat({ store: store(), authenticate: byHandshake, push: pushTo(service), calls: {} });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana, 'Ana');
    const luisSocket = await connect(url, luis);
    const dm = okData(await request(anaSocket, 'room:direct', { userIds: [luis] })).room;
    await join(anaSocket, dm.id);
    await subscribe(luisSocket, testDevice(service.url, `phone-${luis}`));
    luisSocket.disconnect();
    await offline(chat, luis);

    okData(await request(anaSocket, 'call:start', { roomId: dm.id, kind: 'audio' }));
    const said = await say(anaSocket, dm.id, '¿me oyes?');
    await waitFor(() => expect(service.requests).toHaveLength(1));
    await chat.close();
    const history = (await chat.store.listMessages(dm.id, { limit: 10 })).messages;
    // The call started, and ended when the server closed: two lines of the server's, one of Ana's.
    expect(history.map((m) => m.system?.type ?? m.text)).toEqual(['call:started', '¿me oyes?', 'call:ended']);
    expect(service.requests).toHaveLength(1);
    expect(service.requests.map((r) => r.path)).toEqual([`/push/phone-${luis}`]);
    expect(said.text).toBe('¿me oyes?');
  });

  it('a push service that never answers: its push is reported after timeoutMs, and other devices’ pushes go out', async () => {
    const service = await startPushService((req) => (req.path.includes('slow') ? 'hang' : 201));
    const { url, chat } = await startChat({
      store: store(),
      authenticate: byHandshake,
      push: pushTo(service, { timeoutMs: 1000, attempts: 1 }),
    });
    const errors: ChatError[] = [];
    chat.on('error', (error) => errors.push(error));
    const [ana, luis, eva] = [fresh('ana'), fresh('luis'), fresh('eva')];
    const anaSocket = await connect(url, ana, 'Ana');
    const room = fresh('room');
    await join(anaSocket, room);
    await memberAway(chat, url, room, luis, testDevice(service.url, `slow-${luis}`), 'mentions');
    await memberAway(chat, url, room, eva, testDevice(service.url, `fast-${eva}`), 'mentions');
    await say(anaSocket, room, 'Luis first', [luis]);
    await waitFor(() => expect(to(service, `slow-${luis}`)).toHaveLength(1));
    await say(anaSocket, room, 'then Eva', [eva]);
    await waitFor(() => expect(to(service, `fast-${eva}`)).toHaveLength(1));
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]?.message).toBe(`The push service at ${service.url} did not answer: a push was dropped.`);
  });

  it('refuses bad subscriptions with a code and a sentence: another host, malformed keys, a time past any date, too many, another user’s endpoint', async () => {
    const service = await startPushService();
    const { url, chat } = await startChat({
      store: store(),
      authenticate: byHandshake,
      push: pushTo(service, { maxSubscriptionsPerUser: 2 }),
    });
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaSocket = await connect(url, ana);
    const luisSocket = await connect(url, luis);
    const device = testDevice(service.url, `a-${ana}`);

    const elsewhere = { ...device.subscription, endpoint: 'https://169.254.169.254/latest/meta-data' };
    expect(await request(anaSocket, 'push:subscribe', { subscription: elsewhere })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('https://169.254.169.254 is not one of them') },
    });
    // A time past any date: refused before the store sees it (PostgreSQL's bigint cannot hold 1e19).
    for (const expirationTime of [1e19, 1e300]) {
      expect(await request(anaSocket, 'push:subscribe', { subscription: { ...device.subscription, expirationTime } })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('expirationTime must be a time in milliseconds') },
      });
    }
    // The default list is the browsers' push services: the stand-in's own host under another path is not allowed either.
    const otherPath = { ...device.subscription, endpoint: `${service.url}/admin/x` };
    expect(await request(anaSocket, 'push:subscribe', { subscription: otherPath })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const badKey = { ...device.subscription, keys: { ...device.subscription.keys, p256dh: 'B'.repeat(5000) } };
    expect(await request(anaSocket, 'push:subscribe', { subscription: badKey })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('keys.p256dh') },
    });
    // 65 bytes of the right shape, not a point of the curve: every push to it would fail to encrypt.
    const key = Buffer.from(device.subscription.keys.p256dh, 'base64url');
    key[64] = (key[64] ?? 0) ^ 1;
    const offCurve = { ...device.subscription, keys: { ...device.subscription.keys, p256dh: key.toString('base64url') } };
    expect(await request(anaSocket, 'push:subscribe', { subscription: offCurve })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message:
          'keys.p256dh is not a P-256 public key (65 bytes, but not a point of the curve): send what the browser’s PushSubscription.toJSON() gives.',
      },
    });
    await subscribe(anaSocket, device);
    await subscribe(anaSocket, testDevice(service.url, `b-${ana}`));
    await subscribe(anaSocket, device); // the same device again replaces itself
    expect(await request(anaSocket, 'push:subscribe', { subscription: testDevice(service.url, `c-${ana}`).subscription })).toMatchObject({
      ok: false,
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'A user can have at most 2 push subscriptions (devices); unsubscribe one of the others first.',
      },
    });
    expect(await request(luisSocket, 'push:unsubscribe', { endpoint: device.subscription.endpoint })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'This push subscription belongs to another user: only they can remove it.' },
    });
    expect(await chat.store.listPushSubscriptions([ana])).toHaveLength(2);
    okData(await request(anaSocket, 'push:unsubscribe', { endpoint: device.subscription.endpoint }));
    okData(await request(anaSocket, 'push:unsubscribe', { endpoint: device.subscription.endpoint })); // gone already: fine
    expect(await chat.store.listPushSubscriptions([ana])).toHaveLength(1);
    expect(service.requests).toEqual([]);
  });
});

it('REST: GET /push/key, POST and DELETE /push/subscriptions; without the push option, FORBIDDEN', async () => {
  const service = await startPushService();
  const push = pushTo(service);
  const chats = [await startChat({ authenticate: byHandshake, push }), await startChat({ authenticate: byHandshake })];
  for (const { chat, http } of chats) {
    const handler = chat.httpHandler();
    http.prependListener('request', (req, res) => (req.url?.startsWith('/push/') ? handler(req, res) : undefined));
  }
  const rest = async (chat: number, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${chats[chat]?.url}${path}`, {
      method,
      headers: { authorization: 'Bearer ana', 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  expect(await rest(0, 'GET', '/push/key')).toEqual({ status: 200, body: { publicKey: vapid.publicKey } });
  const device = testDevice(service.url, 'rest-ana');
  expect(await rest(0, 'POST', '/push/subscriptions', { subscription: device.subscription })).toEqual({ status: 200, body: {} });
  expect(await chats[0]?.chat.store.listPushSubscriptions(['ana'])).toHaveLength(1);
  expect(
    (await rest(0, 'POST', '/push/subscriptions', { subscription: { ...device.subscription, endpoint: 'https://evil.example/x' } })).status,
  ).toBe(403);
  expect(await rest(0, 'DELETE', '/push/subscriptions', { endpoint: device.subscription.endpoint })).toEqual({ status: 200, body: {} });
  expect(await chats[0]?.chat.store.listPushSubscriptions(['ana'])).toEqual([]);
  expect(await rest(1, 'GET', '/push/key')).toMatchObject({
    status: 403,
    body: { error: { code: 'FORBIDDEN', message: 'This server does not send push notifications (it has no push option).' } },
  });
});

it('webPush() refuses bad keys, subject and endpoint prefixes at once, with a sentence', () => {
  const ok = { ...vapid, subject: 'mailto:ops@chat.example' };
  expect(() => webPush({ ...ok, publicKey: 'short' })).toThrow(/publicKey must be a VAPID public key/u);
  expect(() => webPush({ ...ok, privateKey: vapid.publicKey })).toThrow(/privateKey must be a VAPID private key/u);
  expect(() => webPush({ ...ok, subject: 'ops' })).toThrow(/subject must be a mailto: address or an https: URL/u);
  expect(() => webPush({ ...ok, allowedEndpoints: ['http://127.0.0.1/'] })).toThrow(/is not an https:\/\/ URL prefix/u);
  expect(() => webPush({ ...ok, allowedEndpoints: [] })).toThrow(/non-empty list/u);
  const { endpoints } = webPush(ok);
  expect(endpoints.allows('https://fcm.googleapis.com/fcm/send/abc')).toBe(true);
  expect(endpoints.allows('https://updates.push.services.mozilla.com/wpush/v2/abc')).toBe(true);
  expect(endpoints.allows('https://wns2-par02p.notify.windows.com/w/?token=abc')).toBe(true);
  expect(endpoints.allows('https://web.push.apple.com/QGx')).toBe(true);
  expect(endpoints.allows('https://fcm.googleapis.com.evil.example/x')).toBe(false);
  expect(endpoints.allows('https://evilnotify.windows.com/x')).toBe(false);
  expect(endpoints.allows('https://fcm.googleapis.com@evil.example/x')).toBe(false);
  expect(endpoints.allows('http://fcm.googleapis.com/fcm/send/abc')).toBe(false);
});

clusterSuite('push notifications', (twoProcesses) => {
  it('one push per message, from the process that stored it, not one per process', async () => {
    const service = await startPushService();
    const [a, b] = await twoProcesses({ push: pushTo(service, { collapseMs: 0 }) });
    const room = fresh('room');
    const [ana, luis] = [fresh('ana'), fresh('luis')];
    const anaOnA = await connect(a.url, ana, 'Ana');
    await join(anaOnA, room);
    const device = testDevice(service.url, `phone-${luis}`);
    const luisOnB = await connect(b.url, luis);
    await join(luisOnB, room);
    await subscribe(luisOnB, device);
    luisOnB.disconnect();
    await offline(a.chat, luis);
    await offline(b.chat, luis);

    const first = await say(anaOnA, room, 'uno', [luis]);
    const second = await say(anaOnA, room, 'dos', [luis]);
    await waitFor(() => expect(service.requests).toHaveLength(2));
    await Promise.all([a.chat.close(), b.chat.close()]);
    expect(service.requests.map((r) => (device.read(r) as PushPayload).messageId).sort()).toEqual([first.id, second.id].sort());
  });
});
