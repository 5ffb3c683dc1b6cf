// The e2ee events: the server as the MLS delivery service (RFC 9420). It never reads a key or a
// message: it keeps key packages, orders commits by epoch, keeps the log and the welcomes.
import {
  E2EE_LIMITS,
  builtInError,
  parsePayload,
  toChatError,
  type E2eeDevice,
  type E2eeCommitResult,
  type E2eeKeysClaimResult,
  type E2eeKeysHeldResult,
  type E2eeKeysPublishResult,
  type E2eeSyncResult,
} from '@chat/protocol';
import type { SessionCaller } from '../../core/capability.js';
import { deviceRoom, userRoom } from '../../core/ids.js';
import type { CapabilityContext } from '../capability-context.js';
import { resetIfNoneCanCommit, sameGroup } from '../../store/e2ee-rules.js';
import { e2eeStore, encryptedRoom, sameDevice } from './e2ee-room.js';
import { pendingChanges } from './e2ee-pending.js';
import { actAs, refuseRemoved } from './e2ee-devices.js';

/**
 * `e2ee:keys:publish`: keeps this device's key packages, within the user's bounds (key packages,
 * devices); a batch sent again (by its `batch` id) is kept once, and the answer says whether the
 * server has that batch.
 */
export async function publishKeys(ctx: CapabilityContext, caller: SessionCaller, payload: unknown): Promise<E2eeKeysPublishResult> {
  const store = e2eeStore(ctx);
  const { deviceId, keyPackages, batch } = parsePayload(ctx.schemas['e2ee:keys:publish'], payload);
  const device = await actAs(ctx, caller, deviceId);
  // A store that keeps no batch ids is asked as if none was given (the SDK then never sends a batch twice).
  const batched = store.keptBatch ? batch : undefined;
  const limits = [E2EE_LIMITS.keyPackagesPerUser, E2EE_LIMITS.devicesPerUser] as const;
  const available = await store.publishKeyPackages(device, keyPackages, ...limits, batched);
  if (batched === undefined || !store.keptBatch) return { available };
  // Key packages kept (now or before): the batch is there; none sent: the device asks whether it is.
  const kept = keyPackages.length > 0 || (await store.keptBatch(device, batched));
  return { available, batch: kept ? batched : null };
}

/**
 * `e2ee:keys:held`: which of these key packages of the caller's own device a welcome may still name
 * (held unclaimed, or named by a waiting welcome), for the device to forget the private keys of the
 * others (`E2EE_DEVICE_REMOVED` for a removed device).
 */
export async function heldKeys(ctx: CapabilityContext, caller: SessionCaller, payload: unknown): Promise<E2eeKeysHeldResult> {
  const store = e2eeStore(ctx);
  const { deviceId, keyPackages } = parsePayload(ctx.schemas['e2ee:keys:held'], payload);
  const device = await actAs(ctx, caller, deviceId);
  return { live: await store.liveKeyPackages(device, keyPackages) };
}

/**
 * `e2ee:keys:claim`: one key package of each device of these users (members of the room) not in
 * its group yet, for the caller's device `deviceId` (`E2EE_DEVICE_REMOVED` for a removed one).
 */
export async function claimKeys(ctx: CapabilityContext, caller: SessionCaller, payload: unknown): Promise<E2eeKeysClaimResult> {
  const store = e2eeStore(ctx);
  const { roomId, deviceId, userIds } = parsePayload(ctx.schemas['e2ee:keys:claim'], payload);
  await encryptedRoom(ctx, caller, roomId);
  await actAs(ctx, caller, deviceId);
  const members = new Set((await ctx.store.listMembers(roomId)).map((m) => m.user.id));
  const strangers = userIds.filter((id) => !members.has(id));
  if (strangers.length > 0) {
    throw builtInError('FORBIDDEN', 'Key packages can be claimed only for members of the room, to add their devices to it.');
  }
  // Never the caller's own device: it is the one committing (it created the group, or is in it).
  const keyPackages = await store.claimKeyPackages(roomId, userIds, { userId: caller.user.id, deviceId });
  void tellLowDevices(ctx, keyPackages).catch((error: unknown) => ctx.report(toChatError(error), { event: 'e2ee' }));
  return { keyPackages };
}

/**
 * Tells each claimed device left with few key packages (`e2ee:keys:low`): the commit that claimed
 * one may lose its race, and then no welcome comes to make the device publish more.
 */
async function tellLowDevices(ctx: CapabilityContext, claimed: readonly E2eeDevice[]): Promise<void> {
  if (claimed.length === 0) return;
  const counts = await e2eeStore(ctx).keyPackageCounts(claimed);
  claimed.forEach(({ userId, deviceId }, i) => {
    const available = counts[i] ?? 0;
    if (available <= E2EE_LIMITS.keyPackagesLow) ctx.nsp.to(userRoom(userId)).emit('e2ee:keys:low', { deviceId, available });
  });
}

/** `e2ee:commit`: accepted only while the group is at its epoch (`E2EE_STALE_EPOCH` otherwise), then sent to the room. */
export async function commit(ctx: CapabilityContext, caller: SessionCaller, payload: unknown): Promise<E2eeCommitResult> {
  const store = e2eeStore(ctx);
  const request = parsePayload(ctx.schemas['e2ee:commit'], payload);
  const { roomId, epoch } = request;
  await encryptedRoom(ctx, caller, roomId);
  const from = await actAs(ctx, caller, request.deviceId);
  const devices = await store.groupDevices(roomId);
  const stale = () =>
    builtInError(
      'E2EE_STALE_EPOCH',
      `The group of "${roomId}" has moved past epoch ${epoch}: apply the commits you missed and commit again.`,
    );
  if (epoch > 0 && !devices.some((d) => sameDevice(d, from))) {
    // Made in another epoch, or in the group the room had before it started afresh: stale (the device catches up).
    const head = await store.groupHead(roomId);
    if (head.epoch !== epoch || !sameGroup(head.id, request.group)) throw stale();
    throw builtInError('FORBIDDEN', 'This device is not in the group of this room, so it cannot commit to it (wait for a welcome).');
  }
  const added = request.added ?? [];
  const members = new Set((await ctx.store.listMembers(roomId)).map((m) => m.user.id));
  // A user whose membership ended (kicked, banned, removed) commits nothing, not even their own removal.
  if (!members.has(caller.user.id)) {
    throw builtInError('FORBIDDEN', 'You are no longer a member of this room, so you cannot commit to its group.');
  }
  if (added.some((d) => !members.has(d.userId))) {
    throw builtInError('FORBIDDEN', 'A commit can add only devices of members of the room.');
  }
  await refuseRemoved(ctx, added);
  const removed = request.removed ?? [];
  const accepted = await store.appendCommit({
    roomId,
    epoch,
    commit: request.commit,
    from,
    added,
    removed,
    ...(request.welcome !== undefined && { welcome: request.welcome }),
    ...(request.group !== undefined && { group: request.group }),
  });
  if (!accepted) throw stale();
  // Not to the sockets of the devices it removes (a removed device's were cut already).
  const except = [caller.socketId, ...removed.map((d) => deviceRoom(d.userId, d.deviceId))];
  ctx.nsp.to(roomId).except(except).emit('e2ee:commit', { roomId, epoch, commit: request.commit, from });
  for (const device of added) ctx.nsp.to(userRoom(device.userId)).emit('e2ee:welcome', { roomId, deviceId: device.deviceId });
  return { epoch: epoch + 1 };
}

/** `e2ee:sync`: the commits this device missed, its welcome, the group's devices and what the server asks of members. */
export async function sync(ctx: CapabilityContext, caller: SessionCaller, payload: unknown): Promise<E2eeSyncResult> {
  const store = e2eeStore(ctx);
  const { roomId, deviceId, after, group } = parsePayload(ctx.schemas['e2ee:sync'], payload);
  const room = await encryptedRoom(ctx, caller, roomId);
  const device = await actAs(ctx, caller, deviceId);
  // Joined that group at `after`: its welcome is spent (one to a group started afresh since is not).
  if (after !== undefined) await store.dropWelcome(roomId, device, after, group);
  // The epoch first (see resetIfStuck): the reset below compares it, so devices read after a commit it missed cannot reset the group.
  let head = await store.groupHead(roomId);
  let [devices, welcome] = await Promise.all([store.groupDevices(roomId), store.welcome(roomId, device)]);
  let pending = await pendingChanges(ctx, store, room.id, devices);
  // No device left that could commit (all removed, erased, or of users no longer members): nobody
  // would ever add this one, so the group starts afresh and this device creates it.
  if (await resetIfNoneCanCommit(store, roomId, head.epoch, devices, pending.remove)) {
    [head, devices, welcome] = [{ epoch: 0 }, [], undefined];
    pending = await pendingChanges(ctx, store, room.id, devices);
  }
  const { epoch } = head;
  // The log of another group (the device's started afresh since) means nothing to the device: none.
  const commits = after === undefined || !sameGroup(head.id, group) ? [] : await store.listCommits(roomId, after, E2EE_LIMITS.syncPage + 1);
  // A device of a member, not in the group and without a welcome: the members are asked to add it.
  if (epoch > 0 && !welcome && pending.add.some((d) => sameDevice(d, device)))
    ctx.nsp.to(roomId).except(caller.socketId).emit('e2ee:pending', { roomId });
  return {
    epoch,
    ...(head.id !== undefined && { group: head.id }),
    commits: commits.slice(0, E2EE_LIMITS.syncPage),
    hasMore: commits.length > E2EE_LIMITS.syncPage,
    ...(welcome && { welcome }),
    devices,
    pending,
  };
}
