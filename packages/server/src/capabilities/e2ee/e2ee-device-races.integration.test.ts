// A device removed on one process while a request naming it is under way on another:
// two chat servers on Redis and one PostgreSQL, real sockets. The removal lands between the
// request's removed-device check and what follows it (a store that lets the removal through at
// that point, and answers what it read before), which is the window a busy server leaves open.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { E2eeDevice } from '@chat/protocol';
import type { ChatServer, E2eeStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { byToken } from '../../../../../test-support/e2ee-devices.js';
import { okData, rawSocket, request, type RawSocket } from '../../../../../test-support/servers.js';

const disconnected = (socket: RawSocket) => new Promise<'cut'>((resolve) => socket.once('disconnect', () => resolve('cut')));

eachRedis('a device removed on another process during a request', (redis, shared) => {
  /**
   * Two processes; the second's store, asked once whether `device` was removed, reads the answer,
   * then lets `removal` run to its end, and answers what it read.
   */
  async function twoProcesses() {
    const stores: PostgresStore[] = [];
    const [one, two] = await startClusterChats(2, { authenticate: byToken }, redis(), () => {
      const store = new PostgresStore({ pool: shared.pool() });
      stores.push(store);
      return store;
    });
    const e2ee: E2eeStore = stores[1]!.e2ee;
    const read = e2ee.goneDevices.bind(e2ee);
    let armed: { device: E2eeDevice; removal: () => Promise<void> } | undefined;
    e2ee.goneDevices = async (devices) => {
      const answer = await read(devices);
      const hook = armed;
      if (hook && devices.some((d) => d.userId === hook.device.userId && d.deviceId === hook.device.deviceId)) {
        armed = undefined;
        await hook.removal();
      }
      return answer;
    };
    const arm = (device: E2eeDevice, removal: () => Promise<void>) => {
      armed = { device, removal };
    };
    return { one: one!, two: two!, arm, store: e2ee };
  }

  it('M4a: the socket that was checking is cut too, not left speaking for the removed device', async () => {
    const { one, two, arm } = await twoProcesses();
    const bob = `bob-${randomBytes(4).toString('hex')}`;
    const phone = { userId: bob, deviceId: 'phone' };
    // A socket of the phone already speaking for it on process two: its cut says the removal got there.
    const witness = await rawSocket(two.url, { token: bob });
    okData(await request(witness, 'e2ee:keys:publish', { deviceId: 'phone', keyPackages: ['AA=='] }));
    const witnessCut = disconnected(witness);
    arm(phone, async () => {
      await removeOn(one.chat, phone);
      await witnessCut;
    });

    const socket = await rawSocket(two.url, { token: bob });
    const cut = disconnected(socket);
    const answered = request(socket, 'e2ee:keys:publish', { deviceId: 'phone', keyPackages: ['AQ=='] }).then(
      () => 'answered' as const,
      () => 'failed' as const,
    );
    expect(await Promise.race([answered, cut])).toBe('cut');
    expect(socket.connected).toBe(false);
  });

  it('M4b: a commit adding a device removed after the checks is refused, and the group stays as it was', async () => {
    const { one, two, arm, store } = await twoProcesses();
    const tag = randomBytes(4).toString('hex');
    const roomId = `clinic-${tag}`;
    await one.chat.createRoom({ id: roomId, options: { encrypted: true } });
    const [ana, bob] = [`ana-${tag}`, `bob-${tag}`];
    const anaSocket = await rawSocket(two.url, { token: ana });
    const bobSocket = await rawSocket(one.url, { token: bob });
    for (const socket of [anaSocket, bobSocket]) okData(await request(socket, 'room:join', { roomId }));
    okData(await request(bobSocket, 'e2ee:keys:publish', { deviceId: 'phone', keyPackages: ['AA==', 'AQ=='] }));
    const { keyPackages } = okData(await request(anaSocket, 'e2ee:keys:claim', { roomId, deviceId: 'laptop', userIds: [bob] }));
    expect(keyPackages).toEqual([{ userId: bob, deviceId: 'phone', keyPackage: 'AA==' }]);

    const phone = { userId: bob, deviceId: 'phone' };
    arm(phone, () => removeOn(one.chat, phone));
    const commit = { roomId, deviceId: 'laptop', epoch: 0, commit: 'AA==', welcome: 'AA==', added: keyPackages };
    expect(await request(anaSocket, 'e2ee:commit', commit)).toMatchObject({
      ok: false,
      error: { code: 'E2EE_DEVICE_REMOVED', message: expect.stringMatching(/"phone" was removed/u) as unknown },
    });
    expect(await store.groupEpoch(roomId)).toBe(0);
    expect(await store.groupDevices(roomId)).toEqual([]);
    expect(await store.welcome(roomId, phone)).toBeUndefined();
  });
});

async function removeOn(chat: ChatServer, device: E2eeDevice): Promise<void> {
  expect(await chat.removeDevice(device.userId, device.deviceId)).toEqual({ rooms: 0 });
}
