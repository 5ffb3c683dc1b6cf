// An encrypted room's push: the server cannot read the words and never sends any, on both stores,
// against real MLS devices and the push service stand-in.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { byToken, device, sameEpoch, sendSealed } from '../../../../../test-support/e2ee-devices.js';
import { startPushService, testDevice } from '../../../../../test-support/push-service.js';
import { startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { eachStore } from '../../capabilities/conversations/conversation-fixtures.js';
import type { PushPayload } from './push-payload.js';
import { offline, pushTo, subscribe } from './push-fixtures.js';

eachStore('push in an encrypted room', (store) => {
  it('an away member hears that a message came, with no word of it: not in the push, not as an attachment', async () => {
    const service = await startPushService();
    const { url, chat } = await startChat({ store: store(), authenticate: byToken, push: pushTo(service) });
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, title: 'Consulta', options: { encrypted: true } });
    const ana = await device(url, 'ana', roomId);
    const luis = await device(url, 'luis', roomId);
    await sameEpoch([ana, luis], roomId);
    const phone = testDevice(service.url, `phone-${luis.userId}`);
    await subscribe(luis.socket, phone);
    luis.socket.disconnect();
    await offline(chat, luis.userId);

    const marker = `marker-${randomBytes(6).toString('hex')}`;
    const sent = await sendSealed(ana, roomId, `${marker}: the results are in`);
    await waitFor(() => expect(service.requests).toHaveLength(1));
    await chat.close();

    const pushed = phone.read(service.requests[0]!) as PushPayload;
    expect(pushed).toEqual({
      title: `${ana.userId} in Consulta`,
      body: 'New encrypted message',
      sender: ana.userId,
      roomTitle: 'Consulta',
      text: '',
      content: 'encrypted',
      roomId,
      messageId: sent.id,
      seq: sent.seq,
      reason: 'message',
      url: `/chat/${roomId}`,
      count: 1,
    } satisfies PushPayload);
    expect(JSON.stringify(pushed)).not.toContain(marker);
  });
});
