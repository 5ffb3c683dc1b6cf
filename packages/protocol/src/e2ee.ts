// End-to-end encrypted rooms (MLS, RFC 9420): the server is the delivery service. It keeps each
// device's key packages, accepts commits in epoch order, keeps the commit log and the welcomes,
// and carries ciphertext it cannot read. Every MLS value travels as a base64 MLSMessage.

/** The one ciphersuite of encrypted rooms. */
export const E2EE_CIPHERSUITE = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519';

/** Bounds of the e2ee events (characters of base64, counts). */
export const E2EE_LIMITS = Object.freeze({
  /** A device id: 1-64 of A-Z a-z 0-9 _ -. */
  deviceId: 64,
  /** One key package, in base64 characters. */
  keyPackage: 4096,
  /** Key packages in one `e2ee:keys:publish`. */
  keyPackagesPerPublish: 20,
  /** A claim that leaves a device with this many unclaimed key packages or fewer tells it (`e2ee:keys:low`). */
  keyPackagesLow: 2,
  /** Batch ids (`e2ee:keys:publish`'s `batch`) the server keeps per device: a batch sent again under one keeps nothing. */
  keyBatchesKept: 32,
  /** Key packages one `e2ee:keys:held` may ask about. */
  keyPackagesPerHeldCheck: 100,
  /** Key packages the server keeps per user, every device together; a publish past it is refused. */
  keyPackagesPerUser: 100,
  /**
   * Devices of one user the server keeps key packages or group places for (removed devices do not
   * count); a publish for another device past it is refused until the user removes one.
   */
  devicesPerUser: 10,
  /** A commit or a welcome, in base64 characters. */
  handshake: 262_144,
  /** Devices one commit may add or remove. */
  devicesPerCommit: 100,
  /** Users one `e2ee:keys:claim` may ask for. */
  claimUsers: 50,
  /** Commits in one `e2ee:sync` answer. */
  syncPage: 100,
});

/** A device of a user: what an MLS member of an encrypted room is. */
export interface E2eeDevice {
  userId: string;
  deviceId: string;
}

/**
 * Client -> server `e2ee:keys:publish`: key packages (base64 MLSMessages) of this device, each to be
 * claimed once. None: nothing is kept, and the answer says how many the server holds for the device.
 */
export interface E2eeKeysPublishPayload {
  deviceId: string;
  keyPackages: string[];
  /**
   * An id of this batch of key packages, new for each batch (as a device id: 1-64 of A-Z a-z 0-9 _ -).
   * The server keeps the device's last `E2EE_LIMITS.keyBatchesKept` ids: a batch sent again under one
   * of them (its answer was lost, or a first send that stalled arrives late) keeps nothing more.
   * With no key packages, it only asks whether the server has that batch.
   */
  batch?: string;
}
/** The answer: how many of this device's key packages the server now holds. */
export interface E2eeKeysPublishResult {
  available: number;
  /**
   * With `batch` in the publish: that id when the batch's key packages reached the server (claimed
   * since or not), null when they did not. Left out by a server that keeps no batch ids.
   */
  batch?: string | null;
}

/**
 * Client -> server `e2ee:keys:held`: which of these key packages of this device (the caller's own)
 * may still be named by a welcome. A device asks about the private keys it holds, and forgets
 * those that stay dead: claimed by a commit that lost its race, no welcome will ever name them.
 */
export interface E2eeKeysHeldPayload {
  /** The device asking: one of the caller's own (`E2EE_DEVICE_REMOVED` for a removed one). */
  deviceId: string;
  /** Key packages as the device published them: 1 to `E2EE_LIMITS.keyPackagesPerHeldCheck`. */
  keyPackages: string[];
}
/** The answer of `e2ee:keys:held`. */
export interface E2eeKeysHeldResult {
  /**
   * Those of the given key packages the server still holds unclaimed for the device, or that a
   * welcome waiting for the device names (any room); the others will never be named.
   */
  live: string[];
}

/**
 * Client -> server `e2ee:keys:claim`: one key package of every device of these users that the
 * room's group does not have yet (each key package is handed out once, then deleted), for the
 * device `deviceId` to add them (`E2EE_DEVICE_REMOVED` when its user removed it).
 */
export interface E2eeKeysClaimPayload {
  roomId: string;
  /** The claiming device (the one that will commit the additions). */
  deviceId: string;
  userIds: string[];
}
/** A claimed key package and the device it belongs to. */
export interface E2eeClaimedKeyPackage extends E2eeDevice {
  keyPackage: string;
}
export interface E2eeKeysClaimResult {
  keyPackages: E2eeClaimedKeyPackage[];
}

/**
 * Client -> server `e2ee:commit`: a commit made in `epoch` by the device `deviceId`, which must be
 * in the group. Accepted only while the group is at `epoch` (then it is at `epoch + 1`); otherwise
 * `E2EE_STALE_EPOCH`. A room's first commit is made at epoch 0 by the device that created the
 * group: it is the group's creation.
 */
export interface E2eeCommitPayload {
  roomId: string;
  deviceId: string;
  epoch: number;
  /** The commit, a base64 MLSMessage. */
  commit: string;
  /** The welcome for the devices it adds (a base64 MLSMessage), with the key package each was added with. */
  welcome?: string;
  /** The devices the commit adds, each with the claimed key package it was added with. */
  added?: E2eeClaimedKeyPackage[];
  /** The devices the commit removes. */
  removed?: E2eeDevice[];
  /**
   * The group's id (its MLS group id, as `e2ee:sync` answers it): at epoch 0, the id of the group
   * this commit creates (new for each group: a room's group that starts afresh gets another); at a
   * later epoch, the group the commit was made in, refused as `E2EE_STALE_EPOCH` when the room's
   * group is another one now. Absent: not checked, and a group created without one has no known id
   * (nothing is checked against it).
   */
  group?: string;
}
export interface E2eeCommitResult {
  /** The group's epoch after the commit. */
  epoch: number;
}

/** Client -> server `e2ee:sync`: the commits after `after` (the device's epoch), and the welcome of this device, if any. */
export interface E2eeSyncPayload {
  roomId: string;
  deviceId: string;
  /** The device's epoch; absent: the device holds no group state for the room. */
  after?: number;
  /**
   * The id of the group the device holds (with `after`): the server forgets the device's welcome
   * of epoch `after` or earlier only when the room's group is still that one (a group that started
   * afresh counts its epochs from 0 again). Absent: forgotten whatever the group.
   */
  group?: string;
}
/** A commit of the log: made in `epoch`, it takes the group to `epoch + 1`. */
export interface E2eeLogEntry {
  roomId: string;
  epoch: number;
  commit: string;
  /** Who made it. */
  from: E2eeDevice;
}
/** A welcome waiting for a device: it joins the group at `epoch`. */
export interface E2eeWelcome {
  roomId: string;
  epoch: number;
  welcome: string;
  /** The key package (as the device published it) the welcome was made for. */
  keyPackage: string;
}
export interface E2eeSyncResult {
  /** The group's epoch now (0: no group yet; the first device to commit at 0 creates it). */
  epoch: number;
  /**
   * The group's id (its MLS group id), absent at epoch 0 and for a group created without one (by a
   * client or server before ids). A device holding a group of another id holds one the room had
   * before it started afresh: it drops it and waits for its welcome.
   */
  group?: string;
  /** The commits after `after`, oldest first, at most `E2EE_LIMITS.syncPage`. */
  commits: E2eeLogEntry[];
  /** More commits follow: sync again from the last one. */
  hasMore: boolean;
  /** This device's welcome, when it was added and has not joined yet. */
  welcome?: E2eeWelcome;
  /** The devices in the group, as its commits say. */
  devices: E2eeDevice[];
  /**
   * What the server asks of a member: devices of room members to add, and devices to remove
   * (their user left, was kicked or banned, or the device was removed: `e2ee:device:remove`).
   */
  pending: { add: E2eeDevice[]; remove: E2eeDevice[] };
}

/**
 * Client -> server `e2ee:device:remove`: one of the caller's own devices is gone (a lost phone):
 * the server forgets its key packages and welcomes, refuses its e2ee requests and encrypted
 * sends from then on (`E2EE_DEVICE_REMOVED`), tells its sockets (`e2ee:removed`) and disconnects
 * them, and asks each encrypted room's members to commit its removal. The user's other devices
 * stay. `FORBIDDEN` for a device that is not the caller's.
 */
export interface E2eeDeviceRemovePayload {
  /** The device to remove: one of the caller's own. */
  deviceId: string;
}
/** The answer of `e2ee:device:remove` (and `chat.removeDevice`). */
export interface E2eeDeviceRemoveResult {
  /** The encrypted rooms whose group still holds the device: their members are asked to remove it. */
  rooms: number;
}

/** Server -> client `e2ee:commit`: a commit accepted for a room, to every socket in it. */
export type E2eeCommitEvent = E2eeLogEntry;
/** Server -> client `e2ee:welcome`: a welcome waits for this device (fetch it with `e2ee:sync`). */
export interface E2eeWelcomeEvent {
  roomId: string;
  deviceId: string;
}
/**
 * Server -> client `e2ee:removed`: this device was removed by its user (`e2ee:device:remove`,
 * `chat.removeDevice`), to the sockets that acted as it, just before the server disconnects them.
 * Its e2ee requests are refused from then on (`E2EE_DEVICE_REMOVED`).
 */
export interface E2eeRemovedEvent {
  /** The device removed: the one these sockets acted as. */
  deviceId: string;
}
/**
 * Server -> client `e2ee:keys:low`: a claim left this device of yours with at most
 * `E2EE_LIMITS.keyPackagesLow` unclaimed key packages (a commit that claimed one may have lost its
 * race, and no welcome will come): publish more. To the user's sockets; each device checks `deviceId`.
 */
export interface E2eeKeysLowEvent {
  deviceId: string;
  /** Its unclaimed key packages the server holds now. */
  available: number;
}
/** Server -> client `e2ee:pending`: devices wait to be added to or removed from a room's group (see `e2ee:sync`). */
export interface E2eePendingEvent {
  roomId: string;
  /**
   * The group started afresh (no device left in it could commit: its last ones were removed): a
   * device of a member that is not in it syncs, and creates the new group or waits to be added.
   */
  reset?: true;
}
