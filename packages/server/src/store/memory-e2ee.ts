import { E2EE_LIMITS, type E2eeClaimedKeyPackage, type E2eeDevice, type E2eeLogEntry, type E2eeWelcome } from '@chat/protocol';
import { ERASED_USER } from '../core/chat-store.js';
import type { E2eeCommitDraft, E2eeGroupHead, E2eeStore, E2eeUserData } from '../core/e2ee-store.js';
import { deviceKey, deviceRemoved, sameGroup, tooManyDevices, tooManyKeyPackages, userDevices } from './e2ee-rules.js';

interface Group {
  /** The id its first commit gave it (none: unknown, created by a client or process before ids). */
  id?: string;
  commits: E2eeLogEntry[];
  devices: Map<string, E2eeDevice>;
  welcomes: Map<string, E2eeWelcome>;
}

const copyDevice = (d: E2eeDevice): E2eeDevice => ({ userId: d.userId, deviceId: d.deviceId });
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
// The device a deviceKey names.
const keyDevice = (key: string): E2eeDevice => {
  const [userId, deviceId] = JSON.parse(key) as [string, string];
  return { userId, deviceId };
};

/** The encrypted rooms' delivery service state of `MemoryStore` (one process). */
export class MemoryE2ee implements E2eeStore {
  // user -> device -> key packages, oldest first; a device stays once its last is claimed (it is
  // still its user's: a commit may be adding it) until its user removes it or is erased.
  readonly #keyPackages = new Map<string, Map<string, string[]>>();
  readonly #groups = new Map<string, Group>();
  // Devices their user removed, by deviceKey.
  readonly #gone = new Set<string>();
  // Each device's last batch ids of key packages (publishKeyPackages' batch), newest first, by deviceKey.
  readonly #batches = new Map<string, string[]>();

  #group(roomId: string): Group {
    let group = this.#groups.get(roomId);
    if (!group) this.#groups.set(roomId, (group = { commits: [], devices: new Map(), welcomes: new Map() }));
    return group;
  }

  async publishKeyPackages(
    device: E2eeDevice,
    keyPackages: readonly string[],
    maxPerUser: number,
    maxDevices = Infinity,
    batch?: string,
  ): Promise<number> {
    if (this.#gone.has(deviceKey(device))) throw deviceRemoved(device);
    let devices = this.#keyPackages.get(device.userId);
    // The same batch again (its answer was lost): kept already, never twice (each key package is used once).
    // No await from here on: two publishes at once must not interleave between the checks and the change.
    if (batch !== undefined && this.#kept(device, batch)) return devices?.get(device.deviceId)?.length ?? 0;
    const known = this.#userDevices(device.userId);
    if (!known.has(device.deviceId) && known.size >= maxDevices) throw tooManyDevices(device, maxDevices);
    const held = [...(devices?.values() ?? [])].reduce((n, list) => n + list.length, 0);
    if (held + keyPackages.length > maxPerUser) throw tooManyKeyPackages(maxPerUser);
    if (keyPackages.length === 0) return devices?.get(device.deviceId)?.length ?? 0;
    if (!devices) this.#keyPackages.set(device.userId, (devices = new Map<string, string[]>()));
    const list = devices.get(device.deviceId) ?? [];
    list.push(...keyPackages);
    devices.set(device.deviceId, list);
    if (batch !== undefined) {
      const kept = [batch, ...(this.#batches.get(deviceKey(device)) ?? [])];
      this.#batches.set(deviceKey(device), kept.slice(0, E2EE_LIMITS.keyBatchesKept));
    }
    return list.length;
  }

  async keptBatch(device: E2eeDevice, batch: string): Promise<boolean> {
    return this.#kept(device, batch);
  }

  #kept(device: E2eeDevice, batch: string): boolean {
    return this.#batches.get(deviceKey(device))?.includes(batch) === true;
  }

  async liveKeyPackages(device: E2eeDevice, keyPackages: readonly string[]): Promise<string[]> {
    const live = new Set(this.#keyPackages.get(device.userId)?.get(device.deviceId));
    for (const group of this.#groups.values()) {
      const welcome = group.welcomes.get(deviceKey(device));
      if (welcome) live.add(welcome.keyPackage);
    }
    return keyPackages.filter((k) => live.has(k));
  }

  async keyPackageCounts(devices: readonly E2eeDevice[]): Promise<number[]> {
    return devices.map((d) => this.#keyPackages.get(d.userId)?.get(d.deviceId)?.length ?? 0);
  }

  // The user's devices that count against the bound: holding a key package or in a group, not removed.
  #userDevices(userId: string): Set<string> {
    const ids = new Set<string>();
    for (const [deviceId, list] of this.#keyPackages.get(userId) ?? []) if (list.length > 0) ids.add(deviceId);
    for (const group of this.#groups.values()) for (const d of group.devices.values()) if (d.userId === userId) ids.add(d.deviceId);
    for (const id of ids) if (this.#gone.has(deviceKey({ userId, deviceId: id }))) ids.delete(id);
    return ids;
  }

  async claimKeyPackages(roomId: string, userIds: readonly string[], claimer?: E2eeDevice): Promise<E2eeClaimedKeyPackage[]> {
    const inGroup = this.#groups.get(roomId)?.devices;
    const out: E2eeClaimedKeyPackage[] = [];
    for (const userId of new Set(userIds)) {
      for (const [deviceId, list] of this.#keyPackages.get(userId) ?? []) {
        if (inGroup?.has(deviceKey({ userId, deviceId })) === true) continue;
        if (claimer?.userId === userId && claimer.deviceId === deviceId) continue;
        const keyPackage = list.shift();
        if (keyPackage !== undefined) out.push({ userId, deviceId, keyPackage });
      }
    }
    return out;
  }

  async keyDevices(userIds: readonly string[]): Promise<E2eeDevice[]> {
    return [...new Set(userIds)].flatMap((userId) =>
      [...(this.#keyPackages.get(userId) ?? [])].filter(([, list]) => list.length > 0).map(([deviceId]) => ({ userId, deviceId })),
    );
  }

  async groupEpoch(roomId: string): Promise<number> {
    return this.#groups.get(roomId)?.commits.length ?? 0;
  }

  async groupHead(roomId: string): Promise<E2eeGroupHead> {
    const group = this.#groups.get(roomId);
    const epoch = group?.commits.length ?? 0;
    return epoch === 0 || group?.id === undefined ? { epoch } : { epoch, id: group.id };
  }

  async groupDevices(roomId: string): Promise<E2eeDevice[]> {
    return [...(this.#groups.get(roomId)?.devices.values() ?? [])].map(copyDevice);
  }

  async appendCommit(draft: E2eeCommitDraft): Promise<boolean> {
    const gone = [draft.from, ...draft.added].find((d) => this.#gone.has(deviceKey(d)));
    if (gone) throw deviceRemoved(gone);
    const group = this.#group(draft.roomId);
    if (group.commits.length !== draft.epoch) return false;
    if (draft.epoch > 0 && !sameGroup(group.id, draft.group)) return false;
    if (draft.epoch === 0 && draft.group !== undefined) group.id = draft.group;
    group.commits.push({ roomId: draft.roomId, epoch: draft.epoch, commit: draft.commit, from: copyDevice(draft.from) });
    if (draft.epoch === 0) group.devices.set(deviceKey(draft.from), copyDevice(draft.from));
    for (const gone of draft.removed) {
      group.devices.delete(deviceKey(gone));
      group.welcomes.delete(deviceKey(gone));
    }
    for (const added of draft.added) {
      group.devices.set(deviceKey(added), copyDevice(added));
      if (draft.welcome !== undefined) {
        const welcome = { roomId: draft.roomId, epoch: draft.epoch + 1, welcome: draft.welcome, keyPackage: added.keyPackage };
        group.welcomes.set(deviceKey(added), welcome);
      }
    }
    return true;
  }

  async resetGroup(roomId: string, epoch: number): Promise<boolean> {
    const commits = this.#groups.get(roomId)?.commits.length ?? 0;
    if (commits === 0 || commits !== epoch) return false;
    this.#groups.delete(roomId);
    return true;
  }

  async listCommits(roomId: string, after: number, limit: number): Promise<E2eeLogEntry[]> {
    return (this.#groups.get(roomId)?.commits.slice(after, after + limit) ?? []).map((c) => ({ ...c, from: copyDevice(c.from) }));
  }

  async welcome(roomId: string, device: E2eeDevice): Promise<E2eeWelcome | undefined> {
    const found = this.#groups.get(roomId)?.welcomes.get(deviceKey(device));
    return found && { ...found };
  }

  async removeDevice(device: E2eeDevice): Promise<string[] | undefined> {
    const key = deviceKey(device);
    const devices = this.#keyPackages.get(device.userId);
    const rooms = [...this.#groups].filter(([, group]) => group.devices.has(key)).map(([roomId]) => roomId);
    if (!this.#gone.has(key) && devices?.has(device.deviceId) !== true && rooms.length === 0) return undefined;
    this.#gone.add(key);
    devices?.delete(device.deviceId);
    this.#batches.delete(key);
    for (const group of this.#groups.values()) group.welcomes.delete(key);
    return rooms;
  }

  async goneDevices(devices: readonly E2eeDevice[]): Promise<E2eeDevice[]> {
    return devices.filter((d) => this.#gone.has(deviceKey(d))).map(copyDevice);
  }

  async dropWelcome(roomId: string, device: E2eeDevice, epoch: number, id?: string): Promise<void> {
    const group = this.#groups.get(roomId);
    const found = group?.welcomes.get(deviceKey(device));
    if (group && found && found.epoch <= epoch && sameGroup(group.id, id)) group.welcomes.delete(deviceKey(device));
  }

  async userData(userId: string): Promise<E2eeUserData> {
    const groups = [...this.#groups].sort(([a], [b]) => byText(a, b));
    const mine = <T>(map: Map<string, T>) => [...map].filter(([key]) => keyDevice(key).userId === userId);
    return {
      devices: userDevices(
        [...(this.#keyPackages.get(userId) ?? [])].flatMap(([deviceId, list]) => list.map((k) => [deviceId, k] as const)),
        groups.flatMap(([roomId, group]) => mine(group.devices).map(([, d]) => [d.deviceId, roomId] as const)),
        [...this.#gone].map(keyDevice).flatMap((d) => (d.userId === userId ? [d.deviceId] : [])),
        this.#keyPackages.get(userId)?.keys() ?? [],
      ),
      welcomes: groups.flatMap(([, group]) =>
        mine(group.welcomes)
          .map(([key, w]) => ({ ...w, deviceId: keyDevice(key).deviceId }))
          .sort((a, b) => byText(a.deviceId, b.deviceId)),
      ),
      commits: groups.flatMap(([roomId, group]) =>
        group.commits.flatMap((c) => (c.from.userId === userId ? [{ roomId, epoch: c.epoch, deviceId: c.from.deviceId }] : [])),
      ),
    };
  }

  async eraseUser(userId: string): Promise<string[]> {
    this.#keyPackages.delete(userId);
    for (const key of this.#gone) if (keyDevice(key).userId === userId) this.#gone.delete(key);
    for (const key of this.#batches.keys()) if (keyDevice(key).userId === userId) this.#batches.delete(key);
    const rooms: string[] = [];
    for (const [roomId, group] of this.#groups) {
      for (const key of group.welcomes.keys()) if (keyDevice(key).userId === userId) group.welcomes.delete(key);
      for (const entry of group.commits)
        if (entry.from.userId === userId) entry.from = { userId: ERASED_USER.id, deviceId: ERASED_USER.id };
      const theirs = [...group.devices.values()].filter((d) => d.userId === userId);
      if (theirs.length === 0) continue;
      // Nobody else is in the group to commit their removal: it starts afresh.
      if (theirs.length === group.devices.size) this.#groups.delete(roomId);
      else rooms.push(roomId);
    }
    return rooms.sort(byText);
  }
}
