// The private keys of key packages no welcome will ever name: when two members race to add this
// device, the losing commit's claimed key packages are gone from the server and no welcome comes
// for them. A cap would be wrong (a welcome waits for every room the user was added to and has not
// opened), so the device asks the server which of the key packages it holds are still live
// (`e2ee:keys:held`), and forgets those found dead twice, far enough apart that no commit that
// claimed one can still be in flight.
import { ChatError, type E2eeKeysHeldPayload, type E2eeKeysHeldResult } from '@chat/protocol';
import type { DeviceKeep } from './device-keep.js';
import type { MlsDevice } from './mls-device.js';

/** Private keys a device may hold past the server's unclaimed count before it asks (welcomes in flight). */
export const HELD_SLACK = 10;

/** How long a key package found dead stays held before a later check forgets it (a claim's commit in flight takes seconds). */
export const DEAD_AFTER_MS = 10 * 60_000;

/**
 * Key packages one check asks about: `E2EE_LIMITS.keyPackagesPerHeldCheck`, copied (a test compares
 * them) because importing `E2EE_LIMITS` here would put the whole object in the widget's bundle that
 * every page loads, not in the e2ee chunk.
 */
export const HELD_CHECK_MAX = 100;

/** Where a device keeps when each of its held key packages was first found dead (JSON: key package -> ms). */
const MARKS = 'held-dead';

type AskHeld = (payload: E2eeKeysHeldPayload) => Promise<E2eeKeysHeldResult>;

/**
 * Finds and forgets the held key packages no welcome will name. One per session, as its top-ups;
 * its marks are kept with the device, so that a check after a reload counts from the first one.
 */
export class HeldLiveness {
  readonly #keep: DeviceKeep | undefined;
  readonly #now: () => number;
  #marks: Map<string, number> | undefined;
  // The server does not know `e2ee:keys:held` (an older version): not asked again this session.
  #unknown = false;

  /** `now`: the clock, in ms (tests move it). */
  constructor(keep: DeviceKeep | undefined, now: () => number = Date.now) {
    this.#keep = keep;
    this.#now = now;
  }

  /**
   * When the device holds more than `available` (the server's unclaimed count) + {@link HELD_SLACK}
   * private keys, asks the server about the oldest ones (never those of `unanswered`, the batch
   * whose answer has not come); a key package found dead is marked, found dead again at least
   * {@link DEAD_AFTER_MS} after its mark it is forgotten, found live it loses its mark.
   */
  async check(device: MlsDevice, ask: AskHeld, available: number, unanswered: readonly string[] = []): Promise<void> {
    if (this.#unknown || device.heldKeyPackages <= available + HELD_SLACK) return;
    const skip = new Set(unanswered);
    const asked = device
      .heldList()
      .filter((k) => !skip.has(k))
      .slice(0, HELD_CHECK_MAX);
    if (asked.length === 0) return;
    let live: Set<string>;
    try {
      live = new Set((await ask({ deviceId: device.deviceId, keyPackages: asked })).live);
    } catch (error) {
      if (!unknownEvent(error)) throw error;
      this.#unknown = true;
      return;
    }
    const marks = await this.#load();
    const now = this.#now();
    const dead: string[] = [];
    for (const keyPackage of asked) {
      const since = marks.get(keyPackage);
      if (live.has(keyPackage)) marks.delete(keyPackage);
      else if (since === undefined) marks.set(keyPackage, now);
      else if (now - since >= DEAD_AFTER_MS) dead.push(keyPackage);
    }
    if (dead.length > 0) await this.#keep?.set('held', device.forgetKeyPackages(dead));
    // Bounded by the held set: marks of key packages forgotten or joined with go.
    for (const keyPackage of marks.keys()) if (!device.holds(keyPackage)) marks.delete(keyPackage);
    await this.#keep?.set(MARKS, JSON.stringify(Object.fromEntries(marks)));
  }

  async #load(): Promise<Map<string, number>> {
    this.#marks ??= readMarks(await this.#keep?.get(MARKS));
    return this.#marks;
  }
}

// An older server answers an event it does not know so (see the kernel's socket session).
function unknownEvent(error: unknown): boolean {
  return error instanceof ChatError && error.code === 'VALIDATION_FAILED' && error.message.startsWith('Unknown event');
}

function readMarks(text: string | undefined): Map<string, number> {
  const marks = new Map<string, number>();
  if (text === undefined) return marks;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return marks;
    for (const [keyPackage, since] of Object.entries(value)) if (typeof since === 'number') marks.set(keyPackage, since);
  } catch {
    // unreadable: no marks, and each dead key package waits one more check
  }
  return marks;
}
