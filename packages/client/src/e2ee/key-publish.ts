// A device's key packages on the server: it keeps a few there, so that members can add it to a
// room's group while it is away. Each key package is used once (RFC 9420), so none is ever sent twice.
import { ChatError, type E2eeKeysPublishPayload, type E2eeKeysPublishResult } from '@chat/protocol';
import type { DeviceKeep } from './device-keep.js';
import type { MlsDevice } from './mls-device.js';

/** Key packages a device keeps published. */
export const KEY_PACKAGES = 5;

/**
 * Tops this device's key packages on the server up to {@link KEY_PACKAGES}. A device that made
 * some before asks the server how many it holds (a publish of none) instead of counting its own:
 * a publish whose answer was lost with the connection may or may not have been kept, and a claim
 * whose commit lost its race takes one that no welcome used. Their private keys stay (a claim of
 * one may still come); a batch the server refused (`PAYLOAD_TOO_LARGE`, nothing kept) is forgotten.
 */
export async function topUpKeyPackages(
  device: MlsDevice,
  publish: (payload: E2eeKeysPublishPayload) => Promise<E2eeKeysPublishResult>,
  keep: DeviceKeep | undefined,
): Promise<void> {
  const deviceId = device.deviceId;
  const available = device.heldKeyPackages === 0 ? 0 : (await publish({ deviceId, keyPackages: [] })).available;
  const missing = KEY_PACKAGES - available;
  if (missing <= 0) return;
  const keyPackages = await device.newKeyPackages(missing);
  // Kept before they go out: once the server has them, a welcome may name any of them.
  await keep?.set('held', device.exportHeld());
  await publish({ deviceId, keyPackages }).catch(async (error: unknown) => {
    if (error instanceof ChatError && error.code === 'PAYLOAD_TOO_LARGE') await keep?.set('held', device.forgetKeyPackages(keyPackages));
    throw error;
  });
}

/** `run` made to start only once its previous call settled: two top-ups at once would both count the same key packages missing. */
export function serialTopUps(run: () => Promise<void>): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => {
    const next = last.then(run);
    last = next.catch(() => undefined);
    return next;
  };
}
