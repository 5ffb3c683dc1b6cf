// The seam of encrypted rooms' delivery service (MLS, RFC 9420): what the store keeps so that
// every process agrees on a group's epoch. It holds key packages, commits, welcomes and which
// devices are in each group; never a key that can read a message.
import type { E2eeClaimedKeyPackage, E2eeDevice, E2eeLogEntry, E2eeWelcome } from '@chat/protocol';

/** A commit to append: made in `epoch` by `from`; it adds and removes these devices. */
export interface E2eeCommitDraft {
  roomId: string;
  epoch: number;
  commit: string;
  from: E2eeDevice;
  /** The welcome of the added devices (one MLS welcome for all of them). */
  welcome?: string;
  added: E2eeClaimedKeyPackage[];
  removed: E2eeDevice[];
  /**
   * The group's id: kept with the group by its first commit (epoch 0); at a later epoch the commit is
   * appended only to a group of this id, or one kept without an id (unknown). Absent: not checked.
   */
  group?: string;
}

/** A room's group as the store holds it now: its epoch and id, read together. */
export interface E2eeGroupHead {
  /** 0: no group (none yet, or it started afresh). */
  epoch: number;
  /** The id its first commit gave it; absent at epoch 0 and when it gave none (a client or process before ids). */
  id?: string;
}

/** One device of a user as the store knows it (`E2eeStore.userData`). */
export interface E2eeUserDevice {
  /** The device's id, as its user's devices name it. */
  deviceId: string;
  /** Its key packages not claimed yet (public: MLS key packages hold no private key), oldest first. */
  keyPackages: string[];
  /** The encrypted rooms whose group holds it, by id. */
  rooms: string[];
  /** Its user removed it (`e2ee:device:remove`, `chat.removeDevice`). */
  removed: boolean;
}

/** What the store keeps about one user's devices in encrypted rooms (`chat.exportUser`). */
export interface E2eeUserData {
  /** Every device of the user the store knows, by id. */
  devices: E2eeUserDevice[];
  /** Welcomes waiting for the user's devices (each encrypted to its device), by room and device. */
  welcomes: Array<E2eeWelcome & { deviceId: string }>;
  /** The commits the user's devices made, by room and epoch (the commits themselves are the group's, encrypted). */
  commits: Array<{ roomId: string; epoch: number; deviceId: string }>;
}

/** What `MemoryStore` and `PostgresStore` keep for encrypted rooms (`ChatStore.e2ee`). */
export interface E2eeStore {
  /**
   * Keeps a device's key packages, each to be claimed once; `PAYLOAD_TOO_LARGE` (keeping none)
   * when the user's devices would hold more than `maxPerUser`, or when the device is new and its
   * user has `maxDevices` devices already (a device holding a key package or in a group; removed
   * ones do not count). Answers how many the device holds (with no key package: only that, keeping nothing).
   * `batch` (a client's id of this batch): kept among the device's last `E2EE_LIMITS.keyBatchesKept`
   * batch ids; when it is one of them already (the same publish again: its answer was lost, or its
   * first send arrived late), nothing is kept and only the count answered.
   */
  publishKeyPackages(
    device: E2eeDevice,
    keyPackages: readonly string[],
    maxPerUser: number,
    maxDevices?: number,
    batch?: string,
  ): Promise<number>;
  /**
   * Whether the device published a batch of key packages under this id (`publishKeyPackages`'s
   * `batch`, one of its last `E2EE_LIMITS.keyBatchesKept`). Optional: a store without it answers
   * publishes without `batch`, and the SDK then keeps the private keys of a batch whose answer was
   * lost (it cannot tell whether it arrived).
   */
  keptBatch?(device: E2eeDevice, batch: string): Promise<boolean>;
  /**
   * Those of these key packages of the device (as it published them) a welcome may still name: held
   * unclaimed for it, or named by a welcome waiting for it (any room); in their order, no lock taken.
   * The others (claimed by a commit that lost its race, another device's, unknown) never will be.
   */
  liveKeyPackages(device: E2eeDevice, keyPackages: readonly string[]): Promise<string[]>;
  /** How many unclaimed key packages each of these devices holds, in their order (no lock taken). */
  keyPackageCounts(devices: readonly E2eeDevice[]): Promise<number[]>;
  /**
   * Takes (deletes and returns) one key package of every device of these users that is not in the
   * room's group, but the `claimer`'s own (a device never adds itself: it creates the group).
   */
  claimKeyPackages(roomId: string, userIds: readonly string[], claimer?: E2eeDevice): Promise<E2eeClaimedKeyPackage[]>;
  /** The devices of these users that hold at least one key package. */
  keyDevices(userIds: readonly string[]): Promise<E2eeDevice[]>;
  /** The group's epoch: 0 before its first commit. */
  groupEpoch(roomId: string): Promise<number>;
  /** The group's epoch and id in one read (a group that starts afresh between two reads gets a new id). */
  groupHead(roomId: string): Promise<E2eeGroupHead>;
  /** The devices in the group, as its commits say. */
  groupDevices(roomId: string): Promise<E2eeDevice[]>;
  /**
   * Appends a commit if the group is at `draft.epoch` (compare-and-set, across processes): the
   * group moves to the next epoch, its devices change, the welcome waits for each added device.
   * False when the group is at another epoch (nothing changes). `E2EE_DEVICE_REMOVED` (nothing
   * changes) when `from` or an added device was removed (`removeDevice`), checked atomically with
   * the append: a removal on another process either comes first and is seen, or comes after.
   */
  appendCommit(draft: E2eeCommitDraft): Promise<boolean>;
  /**
   * Starts the group afresh if it is still at `epoch` (compare-and-set, as `appendCommit`): its
   * commits, devices and welcomes go and it is back at epoch 0, for the next device to create it.
   * For a group none of whose devices can commit any more (all removed, or of users who are no
   * longer members). False, changing nothing, when the group moved on or has had no commit.
   */
  resetGroup(roomId: string, epoch: number): Promise<boolean>;
  /** The commits made in epochs `after` and later, oldest first, at most `limit`. */
  listCommits(roomId: string, after: number, limit: number): Promise<E2eeLogEntry[]>;
  /** The welcome waiting for this device, if any. */
  welcome(roomId: string, device: E2eeDevice): Promise<E2eeWelcome | undefined>;
  /**
   * Forgets the device's welcome once it is at `epoch` or later (it has joined), in the group of id
   * `group` (when given, and the group's id is known): a device still holding a group the room had
   * before it started afresh keeps its welcome to the new one.
   */
  dropWelcome(roomId: string, device: E2eeDevice, epoch: number, group?: string): Promise<void>;
  /**
   * Records that the device is gone (its user removed it): its key packages and waiting welcomes
   * are dropped, and `publishKeyPackages` refuses it (`E2EE_DEVICE_REMOVED`) from then on. Answers the rooms
   * whose group still holds it (their members are to commit its removal); undefined, changing
   * nothing, when the store knows no such device: it never published a key package (one whose
   * key packages were all claimed is still known), is in no group and was not removed before.
   */
  removeDevice(device: E2eeDevice): Promise<string[] | undefined>;
  /** Those of these devices that were removed (`removeDevice`). */
  goneDevices(devices: readonly E2eeDevice[]): Promise<E2eeDevice[]>;
  /** Everything kept about the user's devices (`chat.exportUser`); empty lists for a user it never knew. */
  userData(userId: string): Promise<E2eeUserData>;
  /**
   * Erasing a user (`chat.eraseUser`): their devices' key packages, the welcomes waiting for them
   * and their removed-device records go, and their devices' commits name `ERASED_USER` (id and
   * device) instead. A group that holds devices of theirs only starts afresh at epoch 0 (as
   * `resetGroup`: nobody is left to commit their removal, nor to add anyone). Answers the rooms whose group still holds a device of theirs: the
   * members are to commit its removal, which takes the last of the user's rows. Idempotent.
   */
  eraseUser(userId: string): Promise<string[]>;
}
