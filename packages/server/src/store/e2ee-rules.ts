// What both stores say about encrypted rooms' key packages.
import { builtInError, type ChatError, type E2eeDevice } from '@chat/protocol';

/** `PAYLOAD_TOO_LARGE`: the user's devices would hold more than `max` key packages. */
export function tooManyKeyPackages(max: number): ChatError {
  return builtInError(
    'PAYLOAD_TOO_LARGE',
    `A user's devices can hold at most ${max} unclaimed key packages together; publish more once some have been claimed.`,
  );
}

/** One key for a device: its user and device ids. */
export function deviceKey(device: E2eeDevice): string {
  return JSON.stringify([device.userId, device.deviceId]);
}

/** `E2EE_DEVICE_REMOVED`: the device was removed by its user (`e2ee:device:remove`, `chat.removeDevice`). */
export function deviceRemoved(device: E2eeDevice): ChatError {
  return builtInError(
    'E2EE_DEVICE_REMOVED',
    `The device "${device.deviceId}" was removed from ${device.userId}'s devices: it can no longer take part in encrypted rooms (a new device, with new keys, can).`,
  );
}
