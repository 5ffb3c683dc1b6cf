import { expect, it } from 'vitest';
import type { ChatError } from '@chat/protocol';
import { startPushService, testDevice } from '../../../../../test-support/push-service.js';
import { startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { byHandshake, connect, fresh, join, say } from '../../capabilities/conversations/conversation-fixtures.js';
import { memberAway, pushTo, subscribe, vapid } from './push-fixtures.js';
import { webPush } from './web-push-options.js';

// Where pushes may go: endpoints two URL parsers read alike, and connections only to public
// addresses unless the host lists its own (`allowedAddresses`). The stand-in push service is on
// 127.0.0.1, so it is reached only when a test lets that address through.

it('refuses an endpoint that the legacy url.parse web-push sends with reads apart from the check (#45 2a)', () => {
  const { endpoints } = webPush({ ...vapid, subject: 'mailto:ops@chat.example' });
  // The host of the check is under notify.windows.com; the host of the request would be 127.0.0.1.
  for (const mark of [';', '"', "'", '`', '{', '}']) {
    expect(endpoints.allows(`https://127.0.0.1${mark}.notify.windows.com/x`)).toBe(false);
    expect(endpoints.allows(`https://10.0.0.7${mark}x.notify.windows.com/w/?token=a`)).toBe(false);
  }
  // Not in the one form both parsers read the same: refused rather than normalised.
  for (const endpoint of [
    'https://FCM.googleapis.com/fcm/send/abc',
    'https://fcm.googleapis.com/fcm/send/a b',
    'https://fcm.googleapis.com\\@evil.example/x',
    'https://fcm.googleapis.com/fcm/send/abc#x',
    'https://fcm.googleapis.com:443/fcm/send/abc',
    'https://[::1].notify.windows.com/x',
    ' https://fcm.googleapis.com/fcm/send/abc',
  ]) {
    expect(endpoints.allows(endpoint), endpoint).toBe(false);
  }
  expect(endpoints.allows('https://fcm.googleapis.com/fcm/send/cK2:APA91bH-x_y')).toBe(true);
  expect(endpoints.allows('https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD%2bx%3d')).toBe(true);
  // The options are checked when the server is made.
  expect(() => webPush({ ...vapid, subject: 'mailto:ops@chat.example', allowedAddresses: ['localhost'] })).toThrow(
    /allowedAddresses: "localhost" is not an address or a CIDR/u,
  );
  expect(() => webPush({ ...vapid, subject: 'mailto:ops@chat.example', allowedAddresses: ['10.0.0.0/33'] })).toThrow(/CIDR/u);
  expect(() => webPush({ ...vapid, subject: 'mailto:ops@chat.example', ca: 'not a certificate' })).toThrow(/ca must be a PEM/u);
});

it('sends nothing to a loopback, link-local or metadata address, by literal or by a name, unless allowedAddresses lists it', async () => {
  const service = await startPushService();
  const port = new URL(service.url).port;
  const inward = [`https://127.0.0.1:${port}`, `https://localhost:${port}`, 'https://169.254.169.254'];
  const { url, chat } = await startChat({
    authenticate: byHandshake,
    // Every prefix is allowed, as a host's own list might; the addresses are not (no allowedAddresses).
    push: webPush({
      ...vapid,
      subject: 'mailto:ops@chat.example',
      allowedEndpoints: inward.map((base) => `${base}/push/`),
      ca: service.trust.ca,
      collapseMs: 0,
      timeoutMs: 600_000,
    }),
  });
  const errors: ChatError[] = [];
  chat.on('error', (error) => errors.push(error));
  const room = fresh('room');
  const ana = await connect(url, fresh('ana'), 'Ana');
  await join(ana, room);
  const away = inward.map(() => fresh('luis'));
  for (const [i, base] of inward.entries()) await memberAway(chat, url, room, away[i] as string, testDevice(base, `device-${i}`));

  await say(ana, room, 'hola', away);
  await waitFor(() => expect(errors).toHaveLength(3));
  await chat.close();
  expect(service.requests).toEqual([]);
  expect(errors.map((error) => [error.code, error.message]).sort()).toEqual(
    [
      ['127.0.0.1', `https://127.0.0.1:${port}`],
      ['127.0.0.1', `https://localhost:${port}`],
      ['169.254.169.254', 'https://169.254.169.254'],
    ]
      .map(([address, origin]) => [
        'FORBIDDEN',
        `The push service at ${origin} leads to ${address}, an address of a private network, which pushes are not sent to (list it in webPush({ allowedAddresses }) if the push service is yours): a push was dropped.`,
      ])
      .sort(),
  );
});

it('one user’s push services that never answer do not hold back another user’s push (#45 2b)', async () => {
  const held: Array<() => void> = [];
  let answering = false;
  const service = await startPushService((received) =>
    received.path.startsWith('/push/slow-') && !answering ? new Promise<number>((resolve) => held.push(() => resolve(201))) : 201,
  );
  const { url, chat } = await startChat({
    authenticate: byHandshake,
    push: pushTo(service, { collapseMs: 0, timeoutMs: 600_000 }),
  });
  const [ana, mallory, luis] = [fresh('ana'), fresh('mallory'), fresh('luis')];
  const anaSocket = await connect(url, ana, 'Ana');
  // Mallory: 20 devices whose push service never answers. Luis: one that does.
  const malloryDevices = Array.from({ length: 20 }, (_, i) => testDevice(service.url, `slow-${i}`));
  const room = fresh('room');
  await join(anaSocket, room);
  const mallorySocket = await connect(url, mallory);
  await join(mallorySocket, room);
  for (const device of malloryDevices) await subscribe(mallorySocket, device);
  mallorySocket.disconnect();
  await memberAway(chat, url, room, luis, testDevice(service.url, `fast-${luis}`));

  // Mallory's 20 pushes are queued first, Luis's after them.
  await say(anaSocket, room, 'para Mallory', [mallory]);
  await waitFor(() => expect(held.length).toBeGreaterThan(0));
  await say(anaSocket, room, 'para Luis', [luis]);
  await waitFor(() => expect(service.requests.some((r) => r.path === `/push/fast-${luis}`)).toBe(true));
  // It went while Mallory's services still held every request sent to them, two at most.
  expect(held.length).toBeLessThanOrEqual(2);
  answering = true;
  for (const release of held) release();
  const slow = () => new Set(service.requests.filter((r) => r.path.startsWith('/push/slow-')).map((r) => r.path));
  await waitFor(() => expect(slow().size).toBe(20));
  await chat.close();
});
