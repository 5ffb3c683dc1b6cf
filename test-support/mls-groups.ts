// MLS groups of devices in one process for unit tests (ts-mls under the SDK's wrapper, no server).
import type { MlsDevice } from '../packages/client/src/e2ee/mls-device.js';
import type { MlsGroup } from '../packages/client/src/e2ee/mls-group.js';

/** Adds `device` to `group` by commit and welcome; `others` apply the commit. Answers the device's group. */
export async function addTo(group: MlsGroup, device: MlsDevice, others: MlsGroup[] = []): Promise<MlsGroup> {
  const [keyPackage] = await device.newKeyPackages(1);
  const prepared = await group.prepareCommit({ add: [keyPackage!] });
  group.adopt(prepared.next);
  for (const other of others) await other.applyCommit(prepared.commit);
  return device.join(prepared.welcome!, keyPackage!);
}
