// A device forgets the private keys of key packages no welcome will ever name (claimed by commits
// that lost their race), and keeps those a welcome waits with, also for a room it has not opened
// (issue #28). Real chat servers (memory and PostgreSQL stores), the SDK's ChatClient on a device
// store kept across three sessions, a clock the test moves, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { E2EE_LIMITS } from '@chat/protocol';
import { byToken } from '../../../../test-support/e2ee-devices.js';
import { okData, rawSocket, request, sdkClient, startChat } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { memoryE2eeStore, type E2eeDeviceStore } from './e2ee-store.js';
import { DEAD_AFTER_MS, HELD_CHECK_MAX, HELD_SLACK } from './key-liveness.js';

/** The device's record `name` in its store (one server, one user here). */
async function record(store: E2eeDeviceStore, name: string): Promise<Record<string, unknown>> {
  const key = (await store.keys!('')).find((k) => k.endsWith(`:${name}`));
  return key === undefined ? {} : (JSON.parse((await store.get(key)) ?? '{}') as Record<string, unknown>);
}
const sorted = (list: Iterable<string>) => [...list].sort();

it('asks about at most as many key packages at once as the server takes', () => {
  expect(HELD_CHECK_MAX).toBe(E2EE_LIMITS.keyPackagesPerHeldCheck);
});

describe.each(bothStores())('the key packages a device holds on %s', (_name, makeStore) => {
  it('are forgotten when no welcome will name them (found dead twice, DEAD_AFTER_MS apart); a waiting welcome keeps its own', async () => {
    const store = makeStore();
    const { chat, url } = await startChat({ authenticate: byToken, store });
    const tag = randomBytes(4).toString('hex');
    const [anaId, bobId] = [`ana-${tag}`, `bob-${tag}`];
    const [own, clinic, lab] = [`own-${tag}`, `clinic-${tag}`, `lab-${tag}`];
    for (const id of [own, clinic, lab]) await chat.createRoom({ id, options: { encrypted: true } });
    const bobStore = memoryE2eeStore();
    let clock = Date.UTC(2026, 0, 1);
    const bobClient = () => sdkClient(url, { auth: { token: bobId }, e2ee: { store: bobStore, now: () => clock } });
    const unclaimed = async () => (await store.e2ee!.userData(bobId)).devices[0]?.keyPackages ?? [];
    const held = async () => Object.keys(await record(bobStore, 'held'));

    // Bob's device publishes; Carol's device claims its key packages again and again and never
    // commits (as members whose commits lost their race): no welcome will name them. Told, Bob tops up.
    const bob = bobClient();
    await bob.join(own);
    await chat.addMembers(clinic, [bobId]);
    const carol = await rawSocket(url, { token: `carol-${tag}` });
    okData(await request(carol, 'room:join', { roomId: clinic }));
    const dead: string[] = [];
    while (dead.length < HELD_SLACK + 2) {
      const [claimed] = await waitFor(async () => {
        const { keyPackages } = okData(
          await request(carol, 'e2ee:keys:claim', { roomId: clinic, deviceId: 'carol-phone', userIds: [bobId] }),
        );
        expect(keyPackages).toHaveLength(1);
        return keyPackages;
      });
      dead.push(claimed!.keyPackage);
    }
    // Its top-ups settled: it holds what the server holds unclaimed, and the dead ones (the clock has
    // not moved); more than the low mark unclaimed, so no top-up is still to come (a loaded machine
    // can drain it to none before the device hears it is low; closed then, nobody could add it).
    await waitFor(async () => {
      const onServer = await unclaimed();
      expect(onServer.length).toBeGreaterThan(E2EE_LIMITS.keyPackagesLow);
      expect(sorted(await held())).toEqual(sorted([...onServer, ...dead]));
    });
    bob.close();

    // While it is away, Bob is added to the lab: Ana's device adds his with one of its key packages.
    // He does not open the lab in the next two sessions: the welcome waits.
    const ana = sdkClient(url, { auth: { token: anaId }, e2ee: {} });
    const anaLab = await ana.join(lab);
    await chat.addMembers(lab, [bobId]);
    const welcomed = await waitFor(async () => {
      const { welcomes } = await store.e2ee!.userData(bobId);
      expect(welcomes.map((w) => w.roomId)).toEqual([lab]);
      return welcomes[0]!.keyPackage;
    });
    await anaLab.send('while bob was away');

    // A reload: it asks the server and marks the dead ones, forgetting none yet (a commit that
    // claimed one may still be in flight); the welcome's key package is live.
    const again = bobClient();
    await again.join(own);
    await waitFor(async () => expect(sorted(Object.keys(await record(bobStore, 'held-dead')))).toEqual(sorted(dead)));
    await waitFor(async () => expect(sorted(await held())).toEqual(sorted([...(await unclaimed()), welcomed, ...dead])));
    again.close();

    // Another reload, DEAD_AFTER_MS later: still dead, they are forgotten; it holds only live keys.
    clock += DEAD_AFTER_MS;
    const last = bobClient();
    await last.join(own);
    await waitFor(async () => expect(sorted(await held())).toEqual(sorted([...(await unclaimed()), welcomed])));
    expect(await record(bobStore, 'held-dead')).toEqual({});

    // The lab's welcome still opens: Bob joins the lab and reads what was said after his add.
    const bobLab = await last.join(lab);
    await waitFor(() => expect(bobLab.messages.map((m) => [m.text, m.undecryptable ?? false])).toEqual([['while bob was away', false]]));
    await bobLab.send('back');
    await waitFor(() => expect(anaLab.messages.map((m) => m.text)).toContain('back'));
  }, 90_000);
});
