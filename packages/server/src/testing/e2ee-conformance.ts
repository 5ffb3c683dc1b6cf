import { describe, expect, it } from 'vitest';
import { E2EE_LIMITS, type E2eeDevice } from '@chat/protocol';
import { ERASED_USER, type ChatStore } from '../core/chat-store.js';
import type { E2eeCommitDraft, E2eeStore } from '../core/e2ee-store.js';
import { freshRoomId } from './fixtures.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const sorted = (list: E2eeDevice[]) => [...list].sort((a, b) => (`${a.userId}/${a.deviceId}` < `${b.userId}/${b.deviceId}` ? -1 : 1));

function e2eeOf(store: ChatStore): E2eeStore {
  if (!store.e2ee) throw new Error('this store keeps no e2ee state');
  return store.e2ee;
}

/**
 * The `ChatStore.e2ee` cases: key packages claimed once and bounded per user, commits accepted in
 * epoch order by compare-and-set (across instances), the log, the group's devices, welcomes until
 * joined; and messages carrying ciphertext. Part of `describeStoreConformance`.
 */
export function describeE2eeConformance(store: () => ChatStore, openAgain?: (store: ChatStore) => Promise<ChatStore>): void {
  describe('end-to-end encrypted rooms (delivery service)', () => {
    it('keeps key packages per device, hands each out once, and bounds them per user', async () => {
      const e2ee = e2eeOf(store());
      const [ana, luis] = [freshRoomId('ana'), freshRoomId('luis')];
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      expect(await e2ee.publishKeyPackages({ userId: ana, deviceId: 'phone' }, [b64('a1'), b64('a2')], 5)).toBe(2);
      expect(await e2ee.publishKeyPackages({ userId: ana, deviceId: 'laptop' }, [b64('a3')], 5)).toBe(1);
      await expect(e2ee.publishKeyPackages({ userId: ana, deviceId: 'tablet' }, [b64('x'), b64('y'), b64('z')], 5)).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringMatching(/at most 5 unclaimed key packages/u) as unknown,
      });
      expect(sorted(await e2ee.keyDevices([ana, luis]))).toEqual([
        { userId: ana, deviceId: 'laptop' },
        { userId: ana, deviceId: 'phone' },
      ]);
      const first = await e2ee.claimKeyPackages(room, [ana, luis]);
      expect(first.map((k) => k.keyPackage).sort()).toEqual([b64('a1'), b64('a3')].sort());
      const second = await e2ee.claimKeyPackages(room, [ana]);
      expect(second).toEqual([{ userId: ana, deviceId: 'phone', keyPackage: b64('a2') }]);
      expect(await e2ee.claimKeyPackages(room, [ana])).toEqual([]);
      expect(await e2ee.keyDevices([ana])).toEqual([]);
    });

    it('answers a publish of none with how many the device holds, keeping nothing (a device whose answer was lost asks so)', async () => {
      const e2ee = e2eeOf(store());
      const ana = freshRoomId('ana');
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const phone = { userId: ana, deviceId: 'phone' };
      expect(await e2ee.publishKeyPackages(phone, [], 5)).toBe(0);
      expect(await e2ee.keyDevices([ana])).toEqual([]);
      expect(await e2ee.removeDevice(phone)).toBeUndefined(); // still a device the store does not know
      expect(await e2ee.publishKeyPackages(phone, [b64('p1'), b64('p2')], 5)).toBe(2);
      await e2ee.claimKeyPackages(room, [ana]);
      expect(await e2ee.publishKeyPackages(phone, [], 5)).toBe(1);
      expect((await e2ee.userData(ana)).devices).toEqual([{ deviceId: 'phone', keyPackages: [b64('p2')], rooms: [], removed: false }]);
    });

    it('keeps a batch once by its id (sent again, or a first send arriving after later batches), also after a claim; a removed device has none', async (context) => {
      const e2ee = e2eeOf(store());
      // keptBatch is optional: a store without it keeps no batch ids (the SDK then never sends a batch twice).
      if (!e2ee.keptBatch) return context.skip();
      const ana = freshRoomId('ana');
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const phone = { userId: ana, deviceId: 'phone' };
      expect(await e2ee.keptBatch(phone, 'batch-1')).toBe(false);
      expect(await e2ee.publishKeyPackages(phone, [b64('p1'), b64('p2')], 5, 10, 'batch-1')).toBe(2);
      expect(await e2ee.keptBatch(phone, 'batch-1')).toBe(true);
      await e2ee.claimKeyPackages(room, [ana]);
      // The claimed one is never handed out again, nor the other kept twice.
      expect(await e2ee.publishKeyPackages(phone, [b64('p1'), b64('p2')], 5, 10, 'batch-1')).toBe(1);
      expect(await e2ee.publishKeyPackages(phone, [b64('p3')], 5, 10)).toBe(2);
      expect(await e2ee.keptBatch(phone, 'batch-1')).toBe(true);
      expect(await e2ee.publishKeyPackages(phone, [b64('p4')], 5, 10, 'batch-2')).toBe(3);
      // batch-1's first send, stalled, arrives after batch-2: kept once all the same.
      expect(await e2ee.publishKeyPackages(phone, [b64('p1'), b64('p2')], 5, 10, 'batch-1')).toBe(3);
      expect((await e2ee.userData(ana)).devices[0]?.keyPackages).toEqual([b64('p2'), b64('p3'), b64('p4')]);
      expect([await e2ee.keptBatch(phone, 'batch-1'), await e2ee.keptBatch(phone, 'batch-2')]).toEqual([true, true]);
      await e2ee.removeDevice(phone);
      expect([await e2ee.keptBatch(phone, 'batch-1'), await e2ee.keptBatch(phone, 'batch-2')]).toEqual([false, false]);
    });

    it('keeps a batch once when two publishes of it arrive at once; two new devices of one user publishing at once both keep theirs', async (context) => {
      const e2ee = e2eeOf(store());
      if (!e2ee.keptBatch) return context.skip();
      const ana = freshRoomId('ana');
      const [phone, laptop] = [
        { userId: ana, deviceId: 'phone' },
        { userId: ana, deviceId: 'laptop' },
      ];
      const twice = () => e2ee.publishKeyPackages(phone, [b64('p1'), b64('p2')], 10, 10, 'batch-1');
      expect(await Promise.all([twice(), twice()])).toEqual([2, 2]);
      expect(await e2ee.keyPackageCounts([phone])).toEqual([2]);
      const bea = freshRoomId('bea');
      const [beaPhone, beaLaptop] = [
        { userId: bea, deviceId: 'phone' },
        { userId: bea, deviceId: 'laptop' },
      ];
      await Promise.all([
        e2ee.publishKeyPackages(beaPhone, [b64('q1')], 10, 10, 'x'),
        e2ee.publishKeyPackages(beaLaptop, [b64('q2')], 10, 10, 'y'),
      ]);
      expect(await e2ee.keyPackageCounts([beaPhone, beaLaptop, laptop])).toEqual([1, 1, 0]);
    });

    it('keeps the last E2EE_LIMITS.keyBatchesKept batch ids of a device, and only its own', async (context) => {
      const e2ee = e2eeOf(store());
      if (!e2ee.keptBatch) return context.skip();
      const ana = freshRoomId('ana');
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const [phone, laptop] = [
        { userId: ana, deviceId: 'phone' },
        { userId: ana, deviceId: 'laptop' },
      ];
      const kept = E2EE_LIMITS.keyBatchesKept;
      for (let i = 0; i <= kept; i++) {
        await e2ee.publishKeyPackages(phone, [b64(`p${i}`)], 100, 10, `b${i}`);
        await e2ee.claimKeyPackages(room, [ana]);
      }
      // The oldest id is gone; the last `kept` stay.
      expect(await e2ee.keptBatch(phone, 'b0')).toBe(false);
      expect(await e2ee.keptBatch(phone, 'b1')).toBe(true);
      expect(await e2ee.keptBatch(phone, `b${kept}`)).toBe(true);
      expect(await e2ee.keptBatch(laptop, `b${kept}`)).toBe(false);
    });

    it("answers which held key packages are live: unclaimed, or named by a waiting welcome; never another device's", async () => {
      const e2ee = e2eeOf(store());
      const [ana, bob] = [freshRoomId('ana'), freshRoomId('bob')];
      const [welcomed, lost] = [freshRoomId('e2ee'), freshRoomId('e2ee')];
      for (const id of [welcomed, lost]) await store().createRoom({ id, options: { encrypted: true } });
      const [phone, laptop, bobs] = [
        { userId: ana, deviceId: 'phone' },
        { userId: ana, deviceId: 'laptop' },
        { userId: bob, deviceId: 'phone' },
      ];
      await e2ee.publishKeyPackages(phone, [b64('p1'), b64('p2'), b64('p3'), b64('p4')], 10);
      await e2ee.publishKeyPackages(laptop, [b64('l1')], 10);
      await e2ee.publishKeyPackages(bobs, [b64('b1')], 10);
      // p1 claimed and its commit stored (a welcome waits for the phone); p2 claimed by a commit that lost its race.
      const [forWelcome] = (await e2ee.claimKeyPackages(welcomed, [ana], laptop)).filter((k) => k.deviceId === 'phone');
      expect(forWelcome?.keyPackage).toBe(b64('p1'));
      const draft = { roomId: welcomed, epoch: 0, commit: b64('c'), from: bobs, welcome: b64('w'), removed: [] };
      expect(await e2ee.appendCommit({ ...draft, added: [forWelcome!] })).toBe(true);
      expect((await e2ee.claimKeyPackages(lost, [ana], laptop)).map((k) => k.keyPackage)).toEqual([b64('p2')]);
      const asked = [b64('p4'), b64('p2'), b64('unknown'), b64('p1'), b64('l1'), b64('b1'), b64('p3')];
      // In the order asked; the laptop's and Bob's key packages are not the phone's.
      expect(await e2ee.liveKeyPackages(phone, asked)).toEqual([b64('p4'), b64('p1'), b64('p3')]);
      expect(await e2ee.liveKeyPackages(laptop, asked)).toEqual([b64('l1')]);
      expect(await e2ee.liveKeyPackages({ userId: bob, deviceId: 'laptop' }, asked)).toEqual([]);
      expect(await e2ee.liveKeyPackages(phone, [])).toEqual([]);
      // Joined (its welcome dropped), p1 is no longer live.
      await e2ee.dropWelcome(welcomed, phone, 1);
      expect(await e2ee.liveKeyPackages(phone, [b64('p1'), b64('p3')])).toEqual([b64('p3')]);
    });

    it('counts the unclaimed key packages of devices, in their order, unknown ones 0', async () => {
      const e2ee = e2eeOf(store());
      const [ana, bob] = [freshRoomId('ana'), freshRoomId('bob')];
      const [phone, laptop, bobs] = [
        { userId: ana, deviceId: 'phone' },
        { userId: ana, deviceId: 'laptop' },
        { userId: bob, deviceId: 'phone' },
      ];
      await e2ee.publishKeyPackages(phone, [b64('p1'), b64('p2')], 5);
      await e2ee.publishKeyPackages(bobs, [b64('q1')], 5);
      expect(await e2ee.keyPackageCounts([bobs, laptop, phone])).toEqual([1, 0, 2]);
      expect(await e2ee.keyPackageCounts([])).toEqual([]);
    });

    it("keeps a device whose only key package was claimed as its user's: listed, removable, then never added", async () => {
      const e2ee = e2eeOf(store());
      const [ana, bob] = [freshRoomId('ana'), freshRoomId('bob')];
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const phone = { userId: ana, deviceId: 'phone' };
      const bobs = { userId: bob, deviceId: 'tablet' };
      await e2ee.publishKeyPackages(phone, [b64('p1')], 5);
      // Claimed by bob's device, whose commit adding it has not come yet.
      const [claimed] = await e2ee.claimKeyPackages(room, [ana], bobs);
      expect(claimed).toEqual({ ...phone, keyPackage: b64('p1') });
      expect(await e2ee.claimKeyPackages(room, [ana], bobs)).toEqual([]);
      expect(await e2ee.keyDevices([ana])).toEqual([]);
      expect((await e2ee.userData(ana)).devices).toEqual([{ deviceId: 'phone', keyPackages: [], rooms: [], removed: false }]);
      // Ana lost the phone: it is hers to remove, and the commit adding it is refused.
      expect(await e2ee.removeDevice(phone)).toEqual([]);
      const draft = { roomId: room, epoch: 0, commit: b64('c'), from: bobs, added: [claimed!], welcome: b64('w'), removed: [] };
      await expect(e2ee.appendCommit(draft)).rejects.toMatchObject({ code: 'E2EE_DEVICE_REMOVED' });
      expect((await e2ee.userData(ana)).devices).toEqual([{ deviceId: 'phone', keyPackages: [], rooms: [], removed: true }]);
      // Erased: nothing of it is left.
      await e2ee.eraseUser(ana);
      expect((await e2ee.userData(ana)).devices).toEqual([]);
      expect(await e2ee.removeDevice(phone)).toBeUndefined();
    });

    it('never gives a claiming device its own key package (it creates the group, or is in it)', async () => {
      const e2ee = e2eeOf(store());
      const ana = freshRoomId('ana');
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      await e2ee.publishKeyPackages({ userId: ana, deviceId: 'phone' }, [b64('p1')], 5);
      await e2ee.publishKeyPackages({ userId: ana, deviceId: 'laptop' }, [b64('l1')], 5);
      expect(await e2ee.claimKeyPackages(room, [ana], { userId: ana, deviceId: 'phone' })).toEqual([
        { userId: ana, deviceId: 'laptop', keyPackage: b64('l1') },
      ]);
      expect(await e2ee.keyDevices([ana])).toEqual([{ userId: ana, deviceId: 'phone' }]);
    });

    it('bounds the devices of a user: a new one past the bound is refused until one is removed', async () => {
      const e2ee = e2eeOf(store());
      const ana = freshRoomId('ana');
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const dev = (deviceId: string) => ({ userId: ana, deviceId });
      await e2ee.publishKeyPackages(dev('phone'), [b64('p1')], 100, 3);
      await e2ee.publishKeyPackages(dev('laptop'), [b64('l1')], 100, 3);
      // The phone's only key package is claimed and it is in the group: it still counts.
      const added = await e2ee.claimKeyPackages(room, [ana], dev('laptop'));
      expect(await e2ee.appendCommit({ roomId: room, epoch: 0, commit: b64('c'), from: dev('laptop'), added, removed: [] })).toBe(true);
      await e2ee.publishKeyPackages(dev('tablet'), [b64('t1')], 100, 3);
      const tooMany = {
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringMatching(/already has 3 devices.*"desktop".*client\.e2ee\.removeDevice/u) as unknown,
      };
      await expect(e2ee.publishKeyPackages(dev('desktop'), [b64('d1')], 100, 3)).rejects.toMatchObject(tooMany);
      // A device it has goes on publishing; another user is not bounded by ana's devices.
      expect(await e2ee.publishKeyPackages(dev('tablet'), [b64('t2')], 100, 3)).toBe(2);
      expect(await e2ee.publishKeyPackages({ userId: freshRoomId('bob'), deviceId: 'desktop' }, [b64('b1')], 100, 3)).toBe(1);
      // A removed device does not count, even while its group still holds it.
      await e2ee.removeDevice(dev('phone'));
      expect(await e2ee.groupDevices(room)).toContainEqual(dev('phone'));
      expect(await e2ee.publishKeyPackages(dev('desktop'), [b64('d1')], 100, 3)).toBe(1);
      await expect(e2ee.publishKeyPackages(dev('watch'), [b64('w1')], 100, 3)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect((await e2ee.keyDevices([ana])).map((d) => d.deviceId).sort()).toEqual(['desktop', 'laptop', 'tablet']);
    });

    it('holds the per-user bound when two instances publish at once', async () => {
      const luis = freshRoomId('luis');
      const other = openAgain ? await openAgain(store()) : store();
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          e2eeOf(i % 2 === 0 ? store() : other).publishKeyPackages({ userId: luis, deviceId: `d${i}` }, [b64(`k${i}`)], 3),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(await e2eeOf(store()).keyDevices([luis])).toHaveLength(3);
    });

    it('accepts commits strictly in epoch order: one of two at the same epoch wins, across instances', async () => {
      const e2ee = e2eeOf(store());
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const ana = { userId: 'ana', deviceId: 'phone' };
      const bob = { userId: 'bob', deviceId: 'laptop', keyPackage: b64('bob-kp') };
      const commit = (epoch: number, from: E2eeDevice, extra: Partial<E2eeCommitDraft> = {}): E2eeCommitDraft => ({
        roomId: room,
        epoch,
        commit: b64(`commit ${epoch} by ${from.userId}`),
        from,
        added: [],
        removed: [],
        ...extra,
      });
      expect(await e2ee.groupEpoch(room)).toBe(0);
      expect(await e2ee.appendCommit(commit(1, ana))).toBe(false);
      expect(await e2ee.appendCommit(commit(0, ana, { added: [bob], welcome: b64('welcome bob') }))).toBe(true);
      expect(await e2ee.appendCommit(commit(0, bob))).toBe(false);
      expect(await e2ee.groupEpoch(room)).toBe(1);
      expect(sorted(await e2ee.groupDevices(room))).toEqual([ana, { userId: 'bob', deviceId: 'laptop' }]);
      expect(await e2ee.welcome(room, bob)).toEqual({ roomId: room, epoch: 1, welcome: b64('welcome bob'), keyPackage: b64('bob-kp') });

      // Two committers at epoch 1 at once, on two instances: exactly one wins.
      const other = openAgain ? await openAgain(store()) : store();
      const raced = await Promise.all([e2ee.appendCommit(commit(1, ana)), e2eeOf(other).appendCommit(commit(1, bob))]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await e2ee.groupEpoch(room)).toBe(2);
      const log = await e2ee.listCommits(room, 0, 10);
      expect(log.map((c) => c.epoch)).toEqual([0, 1]);
      expect(log[0]).toEqual({ roomId: room, epoch: 0, commit: b64('commit 0 by ana'), from: ana });
      expect(log[1]?.from.userId).toBe(raced[0] ? 'ana' : 'bob');
      expect((await e2ee.listCommits(room, 1, 10)).map((c) => c.epoch)).toEqual([1]);
      expect(await e2ee.listCommits(room, 0, 1)).toHaveLength(1);

      // The welcome stays until bob's device is at its epoch; a removal drops device and welcome.
      await e2ee.dropWelcome(room, bob, 0);
      expect(await e2ee.welcome(room, bob)).toBeDefined();
      await e2ee.dropWelcome(room, bob, 1);
      expect(await e2ee.welcome(room, bob)).toBeUndefined();
      expect(await e2ee.appendCommit(commit(2, ana, { removed: [{ userId: 'bob', deviceId: 'laptop' }] }))).toBe(true);
      expect(await e2ee.groupDevices(room)).toEqual([ana]);
    });

    it('refuses a commit from a removed device, or adding one, in the append itself (across instances)', async () => {
      const e2ee = e2eeOf(store());
      const other = e2eeOf(openAgain ? await openAgain(store()) : store());
      const [ana, bob] = [freshRoomId('ana'), freshRoomId('bob')];
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const phone = { userId: ana, deviceId: 'phone' };
      const laptop = { userId: ana, deviceId: 'laptop' };
      const tablet = { userId: bob, deviceId: 'tablet' };
      await e2ee.publishKeyPackages(laptop, [b64('l1')], 10);
      await e2ee.publishKeyPackages(tablet, [b64('t1'), b64('t2')], 10);
      const [laptopKp] = await e2ee.claimKeyPackages(room, [ana], phone);
      const draft = { roomId: room, commit: b64('c'), removed: [] };
      expect(await e2ee.appendCommit({ ...draft, epoch: 0, from: phone, added: [laptopKp!], welcome: b64('w') })).toBe(true);
      const [tabletKp] = await e2ee.claimKeyPackages(room, [bob]);

      // Removed on the other instance after the caller's own checks: the append refuses, changing nothing.
      expect(await other.removeDevice(phone)).toEqual([room]);
      const removed = { code: 'E2EE_DEVICE_REMOVED', message: expect.stringMatching(/"phone" was removed/u) as unknown };
      await expect(e2ee.appendCommit({ ...draft, epoch: 1, from: phone, added: [] })).rejects.toMatchObject(removed);
      expect(await other.removeDevice(tablet)).toEqual([]);
      await expect(e2ee.appendCommit({ ...draft, epoch: 1, from: laptop, added: [tabletKp!], welcome: b64('w2') })).rejects.toMatchObject({
        code: 'E2EE_DEVICE_REMOVED',
        message: expect.stringMatching(/"tablet" was removed/u) as unknown,
      });
      expect(await e2ee.groupEpoch(room)).toBe(1);
      expect(sorted(await e2ee.groupDevices(room))).toEqual(sorted([phone, laptop]));
      expect(await e2ee.welcome(room, tablet)).toBeUndefined();
      // A remaining device commits the removed one's removal.
      expect(await e2ee.appendCommit({ ...draft, epoch: 1, from: laptop, added: [], removed: [phone] })).toBe(true);
      expect(await e2ee.groupDevices(room)).toEqual([laptop]);
    });

    it('starts a group afresh at epoch 0 if it is still at the epoch given; one of a reset and a commit at once wins', async () => {
      const e2ee = e2eeOf(store());
      const other = e2eeOf(openAgain ? await openAgain(store()) : store());
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const [ana, bob, eve] = ['ana', 'bob', 'eve'].map((name) => ({ userId: freshRoomId(name), deviceId: 'phone' })) as [
        E2eeDevice,
        E2eeDevice,
        E2eeDevice,
      ];
      const draft = { roomId: room, commit: b64('c'), added: [], removed: [] };
      expect(await e2ee.resetGroup(room, 0)).toBe(false);
      const bobKp = { ...bob, keyPackage: b64('b1') };
      expect(await e2ee.appendCommit({ ...draft, epoch: 0, from: ana, added: [bobKp], welcome: b64('w') })).toBe(true);
      expect(await e2ee.appendCommit({ ...draft, epoch: 1, from: ana })).toBe(true);
      expect(await e2ee.resetGroup(room, 1)).toBe(false);
      expect(await e2ee.groupEpoch(room)).toBe(2);

      expect(await other.resetGroup(room, 2)).toBe(true);
      expect(await e2ee.groupEpoch(room)).toBe(0);
      expect(await e2ee.groupDevices(room)).toEqual([]);
      expect(await e2ee.listCommits(room, 0, 10)).toEqual([]);
      expect(await e2ee.welcome(room, bob)).toBeUndefined();
      // A commit of the old group is stale; the next device creates the group.
      expect(await e2ee.appendCommit({ ...draft, epoch: 2, from: ana })).toBe(false);
      expect(await e2ee.appendCommit({ ...draft, epoch: 0, from: eve, commit: b64('afresh') })).toBe(true);
      expect(await e2ee.listCommits(room, 0, 10)).toEqual([{ roomId: room, epoch: 0, commit: b64('afresh'), from: eve }]);
      expect(await e2ee.groupDevices(room)).toEqual([eve]);

      const raced = await Promise.all([e2ee.appendCommit({ ...draft, epoch: 1, from: eve }), other.resetGroup(room, 1)]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await e2ee.groupEpoch(room)).toBe(raced[0] ? 2 : 0);
    });

    it('keeps the id a group was created with; a group started afresh has a new one, and commits and welcome drops of the old one do nothing', async () => {
      const e2ee = e2eeOf(store());
      const other = e2eeOf(openAgain ? await openAgain(store()) : store());
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const [ana, bob] = ['ana', 'bob'].map((name) => ({ userId: freshRoomId(name), deviceId: 'phone' })) as [E2eeDevice, E2eeDevice];
      const draft = { roomId: room, commit: b64('c'), added: [], removed: [] };
      expect(await e2ee.groupHead(room)).toEqual({ epoch: 0 });
      // Created without an id (by a client or process before ids): its id is unknown, and no commit is refused for the one it names.
      expect(await e2ee.appendCommit({ ...draft, epoch: 0, from: ana })).toBe(true);
      expect(await other.groupHead(room)).toEqual({ epoch: 1 });
      expect(await e2ee.appendCommit({ ...draft, epoch: 1, from: ana, group: room })).toBe(true);
      expect(await e2ee.appendCommit({ ...draft, epoch: 2, from: ana, group: 'g-1' })).toBe(true);
      expect(await e2ee.resetGroup(room, 3)).toBe(true);
      expect(await e2ee.groupHead(room)).toEqual({ epoch: 0 });

      // Afresh under a new id; Bob's device is added at epoch 1, welcomed at 2.
      expect(await e2ee.appendCommit({ ...draft, epoch: 0, from: ana, group: 'g-2' })).toBe(true);
      const bobKp = { ...bob, keyPackage: b64('b1') };
      expect(await other.appendCommit({ ...draft, epoch: 1, from: ana, group: 'g-2', added: [bobKp], welcome: b64('w') })).toBe(true);
      expect(await other.groupHead(room)).toEqual({ epoch: 2, id: 'g-2' });
      // A commit naming another group, at an epoch the new one has reached, is stale.
      expect(await e2ee.appendCommit({ ...draft, epoch: 2, from: ana, group: 'g-1' })).toBe(false);
      // A device that held the old group at epoch 3 keeps its welcome to the new one; at epoch 2 of the new one it is spent.
      await e2ee.dropWelcome(room, bob, 3, 'g-1');
      expect(await e2ee.welcome(room, bob)).toMatchObject({ epoch: 2 });
      await other.dropWelcome(room, bob, 3, 'g-3');
      expect(await e2ee.welcome(room, bob)).toMatchObject({ epoch: 2 });
      await e2ee.dropWelcome(room, bob, 2, 'g-2');
      expect(await other.welcome(room, bob)).toBeUndefined();
      expect(await e2ee.groupHead(room)).toEqual({ epoch: 2, id: 'g-2' });
    });

    it("gives a user's devices, welcomes and commits, and erases them; their groups keep them until a removal commit", async () => {
      const e2ee = e2eeOf(store());
      const [ana, bob] = [freshRoomId('ana'), freshRoomId('bob')];
      const [shared, alone] = [freshRoomId('e2ee'), freshRoomId('e2ee')];
      for (const id of [shared, alone]) await store().createRoom({ id, options: { encrypted: true } });
      const phone = { userId: ana, deviceId: 'phone' };
      const laptop = { userId: ana, deviceId: 'laptop' };
      const bobs = { userId: bob, deviceId: 'tablet' };
      await e2ee.publishKeyPackages(phone, [b64('p1'), b64('p2')], 10);
      await e2ee.publishKeyPackages(laptop, [b64('l1'), b64('l2')], 10);
      await e2ee.publishKeyPackages({ userId: ana, deviceId: 'old' }, [b64('o1')], 10);
      await e2ee.removeDevice({ userId: ana, deviceId: 'old' });
      await e2ee.publishKeyPackages(bobs, [b64('b1')], 10);
      const added = await e2ee.claimKeyPackages(shared, [ana]);
      const draft = { commit: b64('c'), added: [], removed: [] };
      expect(await e2ee.appendCommit({ ...draft, roomId: shared, epoch: 0, from: bobs, added, welcome: b64('w') })).toBe(true);
      expect(await e2ee.appendCommit({ ...draft, roomId: shared, epoch: 1, from: laptop })).toBe(true);
      expect(await e2ee.appendCommit({ ...draft, roomId: alone, epoch: 0, from: phone })).toBe(true);
      const welcome = (deviceId: string, keyPackage: string) => ({ roomId: shared, deviceId, epoch: 1, welcome: b64('w'), keyPackage });
      expect(await e2ee.userData(ana)).toEqual({
        devices: [
          { deviceId: 'laptop', keyPackages: [b64('l2')], rooms: [shared], removed: false },
          { deviceId: 'old', keyPackages: [], rooms: [], removed: true },
          { deviceId: 'phone', keyPackages: [b64('p2')], rooms: [alone, shared].sort(), removed: false },
        ],
        welcomes: [welcome('laptop', b64('l1')), welcome('phone', b64('p1'))],
        commits: [
          { roomId: shared, epoch: 1, deviceId: 'laptop' },
          { roomId: alone, epoch: 0, deviceId: 'phone' },
        ].sort((a, b) => (a.roomId < b.roomId ? -1 : 1)),
      });

      // The room whose group holds ana's devices beside bob's: its members are to remove them.
      expect(await e2ee.eraseUser(ana)).toEqual([shared]);
      expect(await e2ee.eraseUser(ana)).toEqual([shared]);
      const inGroup = (deviceId: string) => ({ deviceId, keyPackages: [], rooms: [shared], removed: false });
      expect(await e2ee.userData(ana)).toEqual({ devices: [inGroup('laptop'), inGroup('phone')], welcomes: [], commits: [] });
      expect(await e2ee.groupDevices(alone)).toEqual([]);
      const erased = { userId: ERASED_USER.id, deviceId: ERASED_USER.id };
      expect((await e2ee.listCommits(shared, 0, 10)).map((c) => c.from)).toEqual([bobs, erased]);
      // Nobody is left in the group of the room she was alone in: it starts afresh.
      expect(await e2ee.listCommits(alone, 0, 10)).toEqual([]);
      expect(await e2ee.groupEpoch(alone)).toBe(0);
      expect(await e2ee.keyDevices([ana, bob])).toEqual([bobs]);
      expect(await e2ee.publishKeyPackages({ userId: ana, deviceId: 'old' }, [b64('o2')], 10)).toBe(1);
      await e2ee.eraseUser(ana);
      expect(await e2ee.appendCommit({ ...draft, roomId: shared, epoch: 2, from: bobs, removed: [phone, laptop] })).toBe(true);
      expect(await e2ee.userData(ana)).toEqual({ devices: [], welcomes: [], commits: [] });
      expect(await e2ee.eraseUser(ana)).toEqual([]);
      expect(await e2ee.groupDevices(shared)).toEqual([bobs]);
    });

    it('stores a message with ciphertext and empty text; a delete takes the ciphertext too', async () => {
      const room = freshRoomId('e2ee');
      await store().createRoom({ id: room, options: { encrypted: true } });
      const user = { id: 'ana', name: 'Ana' };
      const { message } = await store().appendMessage({
        roomId: room,
        clientId: 'c1',
        user,
        text: '',
        ciphertext: b64('sealed'),
        attachments: [],
      });
      expect(message.ciphertext).toBe(b64('sealed'));
      expect(message.text).toBe('');
      expect((await store().getMessage(room, message.id))?.ciphertext).toBe(b64('sealed'));
      expect((await store().listMessages(room, { limit: 5 })).messages[0]?.ciphertext).toBe(b64('sealed'));
      const { message: gone } = await store().changeMessage(room, message.id, { type: 'delete', at: new Date().toISOString() });
      expect(gone.ciphertext).toBeUndefined();
      expect((await store().getMessage(room, message.id))?.ciphertext).toBeUndefined();
    });
  });
}
