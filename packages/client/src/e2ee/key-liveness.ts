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

/**
 * Characters of key packages one check sends, at most: half of a server's default frame
 * (`DEFAULT_LIMITS.maxHttpBufferSize`, 64 KB), which a larger event would close the connection for.
 * A key package is about 550 characters, more with a long user id.
 */
export const HELD_CHECK_CHARS = 32_000;

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
  // Key packages found live in this session: asked about after the others, so that newer dead ones get their turn.
  readonly #seenLive = new Set<string>();
  // The server does not know `e2ee:keys:held` (an older version): not asked again this session.
  #unknown = false;

  /** `now`: the clock, in ms (tests move it). */
  constructor(keep: DeviceKeep | undefined, now: () => number = Date.now) {
    this.#keep = keep;
    this.#now = now;
  }

  /**
   * When the device holds more than `available` (the server's unclaimed count) + {@link HELD_SLACK}
   * private keys, asks the server about some (never those of `unanswered`, the batch whose answer
   * has not come; within {@link HELD_CHECK_MAX} and {@link HELD_CHECK_CHARS}; oldest first, those
   * found dead before ahead and those found live this session last); a key package found dead is
   * marked, found dead again at least {@link DEAD_AFTER_MS} after its mark it is forgotten, found
   * live it loses its mark.
   */
  async check(device: MlsDevice, ask: AskHeld, available: number, unanswered: readonly string[] = []): Promise<void> {
    if (this.#unknown || device.heldKeyPackages <= available + HELD_SLACK) return;
    const skip = new Set(unanswered);
    const marks = await this.#load();
    const held = device.heldList().filter((k) => !skip.has(k));
    // Those found dead before first (to forget), then those never asked about, then those found live.
    const rank = (k: string) => (marks.has(k) ? 0 : this.#seenLive.has(k) ? 2 : 1);
    const asked = pick(
      held.sort((a, b) => rank(a) - rank(b)),
      HELD_CHECK_MAX,
      HELD_CHECK_CHARS,
    );
    if (asked.length === 0) return;
    let live: Set<string>;
    try {
      live = new Set((await ask({ deviceId: device.deviceId, keyPackages: asked })).live);
    } catch (error) {
      if (!unknownEvent(error)) throw error;
      this.#unknown = true;
      return;
    }
    const now = this.#now();
    const dead: string[] = [];
    for (const keyPackage of asked) {
      const since = marks.get(keyPackage);
      if (live.has(keyPackage)) {
        marks.delete(keyPackage);
        this.#seenLive.add(keyPackage);
      } else if (since === undefined || since > now) {
        // First found dead, or marked by a clock that has gone back since: counted from now.
        marks.set(keyPackage, now);
      } else if (now - since >= DEAD_AFTER_MS) dead.push(keyPackage);
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

// The first of `keyPackages`, in order, within `max` of them and `chars` characters together.
function pick(keyPackages: readonly string[], max: number, chars: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (const keyPackage of keyPackages) {
    if (out.length === max || size + keyPackage.length > chars) break;
    out.push(keyPackage);
    size += keyPackage.length;
  }
  return out;
}
