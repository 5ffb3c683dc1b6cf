// A device away through more commits than one `e2ee:sync` page (E2EE_LIMITS.syncPage) catches up
// on all of them, in order, page after page. Real chat servers (memory and PostgreSQL stores), real
// sockets, real MLS on every device.
import { describe, expect, it } from 'vitest';
import { E2EE_LIMITS } from '@chat/protocol';
import {
  device,
  encryptedChat,
  receivedBy,
  reconnect,
  sameEpoch,
  sendSealed,
  updateCommit,
} from '../../../../test-support/e2ee-devices.js';
import { okData, request } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';

describe.each(bothStores())('a device away for long on %s', (_name, makeStore) => {
  it(
    `catches up on more than ${E2EE_LIMITS.syncPage} commits (more than one sync page) and reads what follows`,
    { timeout: 60_000 },
    async () => {
      // Ana commits faster than a person's event budget allows (60 at once, then 20 a second): not what this test is about.
      const { url, roomId } = await encryptedChat(makeStore, { limits: { eventBurst: 1000 } });
      const ana = await device(url, 'ana', roomId);
      const carol = await device(url, 'carol', roomId);
      const start = await sameEpoch([ana, carol], roomId);
      carol.socket.disconnect();
      const missed = E2EE_LIMITS.syncPage + 5;
      for (let i = 0; i < missed; i++) await updateCommit(ana, roomId);
      expect(ana.session.epoch(roomId)).toBe(start + missed);
      // The server gives the log a page at a time.
      const first = okData(await request(ana.socket, 'e2ee:sync', { roomId, deviceId: ana.session.device.deviceId, after: start }));
      expect(first.commits).toHaveLength(E2EE_LIMITS.syncPage);
      expect(first.hasMore).toBe(true);

      expect(carol.session.epoch(roomId)).toBe(start);
      await reconnect(carol, url, roomId);
      expect(carol.session.epoch(roomId)).toBe(start + missed);
      const sent = await sendSealed(ana, roomId, 'a hundred and five commits later');
      expect(await carol.session.read(await receivedBy(carol, sent.id))).toBe('a hundred and five commits later');
      const reply = await sendSealed(carol, roomId, 'caught up');
      expect(await ana.session.read(await receivedBy(ana, reply.id))).toBe('caught up');
    },
  );
});
