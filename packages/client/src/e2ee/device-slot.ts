// Which device a page is, where the pages of a browser share one device store (IndexedDB). Two
// pages moving one device's MLS state each on their own would break it: a commit made in one is
// one the other cannot apply, and a message sent from one reuses a ratchet step the other took.
// So each page (or client) holds a slot of the store for as long as it runs (Web Locks, released
// when the page goes) and is the device kept in that slot: the first page is the device of before
// slots, a second page at the same time a device of its own (added to the groups like any new
// device, reading from then on), and a reloaded page takes its slot back.
import { builtInError } from '@chat/protocol';
import type { E2eeDeviceStore, E2eeLocks } from './e2ee-store.js';

/** Slots of one user in one store: the server keeps 10 devices per user (`E2EE_LIMITS.devicesPerUser`). */
export const DEVICE_SLOTS = 10;
/**
 * How long a page waits for the slot it had (the first, or the one this tab used last) before it
 * takes another: a reloaded page's predecessor lets go of it as it unloads.
 */
const SLOT_WAIT_MS = 2_000;

/** A slot this client holds, and how to let it go (none for a store without slots). */
export interface HeldSlot {
  slot: number;
  release: () => void;
}

// The slot this tab used last (sessionStorage: per tab, kept across its reloads), where there is one.
function lastSlot(key: string): number | undefined {
  try {
    const value = Number(globalThis.sessionStorage?.getItem(key));
    return Number.isInteger(value) && value > 0 && value < DEVICE_SLOTS ? value : undefined;
  } catch {
    return undefined; // storage blocked
  }
}

function rememberSlot(key: string, slot: number): void {
  try {
    globalThis.sessionStorage?.setItem(key, String(slot));
  } catch {
    // storage blocked: the tab takes the first free slot after a reload
  }
}

/**
 * Holds a device slot of `userId` on `server` in `store`: the one this tab had (or the first),
 * waiting {@link SLOT_WAIT_MS} for it, else the first free one. A store that cannot hold slots
 * is slot 0. `FORBIDDEN` when {@link DEVICE_SLOTS} pages hold them all.
 */
export async function holdSlot(store: E2eeDeviceStore, server: string, userId: string): Promise<HeldSlot> {
  const { locks } = store;
  if (!locks) return { slot: 0, release: () => undefined };
  // Per store: two stores of one user in a page are devices apart, each with its own slots.
  const name = (slot: number) => `chat-e2ee-device:${JSON.stringify([store.name ?? '', server, userId, slot])}`;
  const tabKey = `chat-e2ee-slot:${JSON.stringify([store.name ?? '', server, userId])}`;
  const first = lastSlot(tabKey) ?? 0;
  const order = [first, ...Array.from({ length: DEVICE_SLOTS }, (_, i) => i).filter((i) => i !== first)];
  for (const [i, slot] of order.entries()) {
    const release = await holdLock(locks, name(slot), i === 0 ? SLOT_WAIT_MS : 0);
    if (!release) continue;
    rememberSlot(tabKey, slot);
    return { slot, release };
  }
  throw builtInError(
    'FORBIDDEN',
    `Encrypted rooms are open in ${DEVICE_SLOTS} pages of this browser for this user already: close one, then reload this page.`,
  );
}

// Holds the lock `name` until the returned function is called; undefined when another holds it
// after `waitMs` (0: not free now).
function holdLock(locks: E2eeLocks, name: string, waitMs: number): Promise<(() => void) | undefined> {
  return new Promise((resolve, reject) => {
    let release = (): void => undefined;
    const held = new Promise<void>((done) => (release = done));
    const signal = waitMs > 0 ? AbortSignal.timeout(waitMs) : undefined;
    locks
      .request(name, signal ? { signal } : { ifAvailable: true }, (lock) => {
        if (lock === null) {
          resolve(undefined);
          return undefined;
        }
        resolve(release);
        return held;
      })
      .catch((error: unknown) =>
        signal?.aborted === true ? resolve(undefined) : reject(error instanceof Error ? error : new Error(String(error))),
      );
  });
}
