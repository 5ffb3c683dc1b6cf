// The schemas of the e2ee events (see ./e2ee.ts).
import * as v from 'valibot';
import { ID_LIMITS } from './limits.js';
import { idSchema, payload, plainObject, seqSchema, storable } from './schema-parts.js';
import {
  E2EE_LIMITS,
  type E2eeCommitPayload,
  type E2eeDeviceRemovePayload,
  type E2eeKeysClaimPayload,
  type E2eeKeysHeldPayload,
  type E2eeKeysPublishPayload,
  type E2eeSyncPayload,
} from './e2ee.js';

// Standard base64 with padding, as MLS messages travel.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u;
const DEVICE_ID = /^[A-Za-z0-9_-]+$/u;

/** Schema of a base64 MLS value of at most `max` characters. */
export function base64Schema(field: string, max: number) {
  return v.pipe(
    v.string(`${field} must be a string (base64).`),
    v.minLength(1, `${field} must not be empty.`),
    v.maxLength(max, `${field} must be at most ${max} characters of base64.`),
    v.regex(BASE64, `${field} must be standard base64 (A-Z a-z 0-9 + /, padded with =).`),
  );
}

/** Schema of a device id (`E2EE_LIMITS.deviceId`). */
export function deviceIdSchema(field = 'deviceId') {
  return v.pipe(
    v.string(`${field} must be a string.`),
    v.minLength(1, `${field} must not be empty.`),
    v.maxLength(E2EE_LIMITS.deviceId, `${field} must be at most ${E2EE_LIMITS.deviceId} characters.`),
    v.regex(DEVICE_ID, `${field} may contain only letters, digits, _ and -.`),
  );
}

function userIdSchema() {
  return v.pipe(
    v.string('Each user id must be a string.'),
    v.minLength(1, 'A user id must not be empty.'),
    v.maxLength(ID_LIMITS.userId, `User ids can be at most ${ID_LIMITS.userId} characters.`),
    storable('User ids'),
  );
}

/** The schemas of `e2ee:keys:publish`, `e2ee:keys:held`, `e2ee:keys:claim`, `e2ee:commit`, `e2ee:sync` and `e2ee:device:remove`. */
export function createE2eeSchemas() {
  const roomId = idSchema('roomId', ID_LIMITS.roomId);
  // A group's id: the SDK's are UUIDs; a group the SDK created before ids has its room's id as MLS group id.
  const group = v.optional(idSchema('group', ID_LIMITS.roomId));
  const deviceId = deviceIdSchema();
  const keyPackage = base64Schema('keyPackage', E2EE_LIMITS.keyPackage);
  const device = plainObject({ userId: userIdSchema(), deviceId }, 'Each device must be an object with userId and deviceId.');
  const claimed = plainObject(
    { userId: userIdSchema(), deviceId, keyPackage },
    'Each added device must be an object with userId, deviceId and keyPackage.',
  );
  const publish = plainObject(
    {
      deviceId,
      keyPackages: v.pipe(
        v.array(keyPackage, 'keyPackages must be a list of base64 key packages.'),
        v.maxLength(E2EE_LIMITS.keyPackagesPerPublish, `Publish at most ${E2EE_LIMITS.keyPackagesPerPublish} key packages at once.`),
      ),
      batch: v.optional(deviceIdSchema('batch')),
    },
    payload,
  );
  const held = plainObject(
    {
      deviceId,
      keyPackages: v.pipe(
        v.array(keyPackage, 'keyPackages must be a list of base64 key packages.'),
        v.minLength(1, 'keyPackages must name at least one key package.'),
        v.maxLength(E2EE_LIMITS.keyPackagesPerHeldCheck, `Ask about at most ${E2EE_LIMITS.keyPackagesPerHeldCheck} key packages at once.`),
      ),
    },
    payload,
  );
  const claim = plainObject(
    {
      roomId,
      deviceId,
      userIds: v.pipe(
        v.array(userIdSchema(), 'userIds must be a list of user ids.'),
        v.minLength(1, 'userIds must name at least one user.'),
        v.maxLength(E2EE_LIMITS.claimUsers, `Claim key packages of at most ${E2EE_LIMITS.claimUsers} users at once.`),
      ),
    },
    payload,
  );
  const devices = <T extends v.GenericSchema>(item: T, field: string) =>
    v.optional(
      v.pipe(
        v.array(item, `${field} must be a list of devices.`),
        v.maxLength(E2EE_LIMITS.devicesPerCommit, `A commit can change at most ${E2EE_LIMITS.devicesPerCommit} devices.`),
      ),
    );
  const commit = v.pipe(
    plainObject(
      {
        roomId,
        deviceId,
        epoch: seqSchema('epoch', 0),
        commit: base64Schema('commit', E2EE_LIMITS.handshake),
        welcome: v.optional(base64Schema('welcome', E2EE_LIMITS.handshake)),
        added: devices(claimed, 'added'),
        removed: devices(device, 'removed'),
        group,
      },
      payload,
    ),
    v.check(
      (c) => (c.welcome === undefined) === (c.added === undefined || c.added.length === 0),
      'A commit that adds devices carries their welcome, and a welcome goes with the devices it adds.',
    ),
  );
  const sync = plainObject({ roomId, deviceId, after: v.optional(seqSchema('after', 0)), group }, payload);
  const removeDevice = plainObject({ deviceId }, payload);
  return {
    'e2ee:keys:publish': publish satisfies v.GenericSchema<unknown, E2eeKeysPublishPayload>,
    'e2ee:keys:held': held satisfies v.GenericSchema<unknown, E2eeKeysHeldPayload>,
    'e2ee:keys:claim': claim satisfies v.GenericSchema<unknown, E2eeKeysClaimPayload>,
    'e2ee:commit': commit satisfies v.GenericSchema<unknown, E2eeCommitPayload>,
    'e2ee:sync': sync satisfies v.GenericSchema<unknown, E2eeSyncPayload>,
    'e2ee:device:remove': removeDevice satisfies v.GenericSchema<unknown, E2eeDeviceRemovePayload>,
  };
}
