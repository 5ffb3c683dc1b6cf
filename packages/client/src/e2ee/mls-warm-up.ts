// A page's first MLS messages cost several times the later ones: V8 runs ts-mls's and @hpke's
// message paths (key schedule, AEAD, sender data, signature checks, the encoders) unoptimised until
// they have run a few times, and the keep's encoders the same. A throwaway group of two devices that
// sends a few messages each way, once per page or process, pays that before the user's first
// message does. It runs once the page's first encrypted room is open and its group joined (so it
// does not slow the join), at no other time, and touches no real key, group or store.
import { GroupKeep } from './group-keep.js';
import { deviceKeep } from './device-keep.js';
import { memoryE2eeStore } from './e2ee-store.js';
import { MlsDevice } from './mls-device.js';
import { sealPlaintext } from './sealed-text.js';

/** Messages each way: past V8's first optimising tier for the per-message functions, measured in bench/e2ee.mjs. */
const WARM_UP_MESSAGES = 12;
const GROUP = 'warm-up';

let warming: Promise<boolean> | undefined;

/**
 * Runs the MLS message paths a few times on a throwaway group, once per page or process; later
 * calls answer the first one's promise: true when every step ran. Never rejects (a warm-up that
 * fails leaves only a cold start).
 */
export function warmUpMls(): Promise<boolean> {
  warming ??= (async () => {
    const ana = new MlsDevice('warm-up-ana', 'device');
    const bob = new MlsDevice('warm-up-bob', 'device');
    const anaGroup = await ana.createGroup(GROUP);
    const [keyPackage] = await bob.newKeyPackages(1);
    if (keyPackage === undefined) return false;
    const prepared = await anaGroup.prepareCommit({ add: [keyPackage] });
    if (prepared.welcome === undefined) return false;
    anaGroup.adopt(prepared.next);
    const bobGroup = await bob.join(prepared.welcome, keyPackage);
    const keep = new GroupKeep(deviceKeep(memoryE2eeStore(), GROUP, ana.userId));
    await keep.save(GROUP, anaGroup);
    for (let i = 0; i < WARM_UP_MESSAGES; i++) {
      const toBob = await anaGroup.encrypt(sealPlaintext(ana.userId, { text: `warm-up ${i}`, attachments: [] }));
      await keep.save(GROUP, anaGroup);
      await bobGroup.decryptFrom(toBob);
      await anaGroup.decryptFrom(await bobGroup.encrypt(sealPlaintext(bob.userId, { text: `warm-up ${i}`, attachments: [] })));
      await keep.save(GROUP, anaGroup);
    }
    return true;
  })().catch(() => false);
  return warming;
}
