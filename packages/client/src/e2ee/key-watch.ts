// Which signature keys each user's devices had when this device last looked: a key that was not
// there before, for a user seen before, is a key change (a new device, or someone in between).
import { fingerprintOf, parseIdentity } from './mls-device.js';
import type { MlsGroup } from './mls-group.js';
import type { DeviceKeep } from './device-keep.js';

/** A member's devices changed keys: compare fingerprints again before trusting what they send. */
export interface E2eeKeyChange {
  /** Whose devices changed. */
  userId: string;
  /** The room whose group showed the change. */
  roomId: string;
  /** The fingerprints of the user's devices now. */
  fingerprints: string[];
  /** The fingerprints that were not there before. */
  added: string[];
  /**
   * Where it came in the room's history: after the message with this seq, the newest this client
   * had of the room when it saw the change (0: none yet). A log shows the change there.
   */
  afterSeq: number;
}

/** A key change as the group shows it, before it is placed in the room's history. */
export type SeenKeyChange = Omit<E2eeKeyChange, 'afterSeq'>;

/** How many key changes a device keeps per room: a log shows the recent ones. */
const KEPT_CHANGES = 50;

/** Each user's device fingerprints in a group, sorted. */
async function fingerprintsByUser(group: MlsGroup): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const identity of group.members()) {
    const userId = parseIdentity(identity)?.userId;
    const key = group.signatureKey(identity);
    if (userId === undefined || !key) continue;
    const list = out.get(userId) ?? [];
    list.push(await fingerprintOf(key));
    out.set(userId, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** Compares a group's members with the keys seen before, keeps what is seen now, and returns the changes. */
export async function keyChanges(keep: DeviceKeep, roomId: string, group: MlsGroup): Promise<SeenKeyChange[]> {
  const changes: SeenKeyChange[] = [];
  for (const [userId, fingerprints] of await fingerprintsByUser(group)) {
    const key = `seen:${userId}`;
    const before = parseList(await keep.get(key));
    const added = fingerprints.filter((f) => !before.includes(f));
    if (added.length === 0) continue;
    if (before.length > 0) changes.push({ userId, roomId, fingerprints, added });
    await keep.set(key, JSON.stringify([...before, ...added]));
  }
  return changes;
}

/**
 * The key changes this device saw, per room, kept with the device (its store: IndexedDB in a
 * browser), so that a log still shows them where they came after a reload. The last 50 per room.
 */
export class KeyChangeLog {
  readonly #keep: DeviceKeep;
  // One write at a time: a commit can change several users' keys at once.
  #writes: Promise<void> = Promise.resolve();

  constructor(keep: DeviceKeep) {
    this.#keep = keep;
  }

  /** Keeps `change` after the room's earlier ones. */
  add(change: E2eeKeyChange): Promise<void> {
    const write = async () => {
      const kept = [...(await this.list(change.roomId)), change].slice(-KEPT_CHANGES);
      await this.#keep.set(`changes:${change.roomId}`, JSON.stringify(kept));
    };
    this.#writes = this.#writes.then(write, write);
    return this.#writes;
  }

  /** The room's key changes, oldest first. */
  async list(roomId: string): Promise<E2eeKeyChange[]> {
    const value = parseJson(await this.#keep.get(`changes:${roomId}`));
    return Array.isArray(value) ? value.filter(isChange) : [];
  }
}

function isChange(value: unknown): value is E2eeKeyChange {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  const strings = (list: unknown) => Array.isArray(list) && list.every((v) => typeof v === 'string');
  return (
    typeof c.userId === 'string' &&
    typeof c.roomId === 'string' &&
    typeof c.afterSeq === 'number' &&
    strings(c.fingerprints) &&
    strings(c.added)
  );
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseList(text: string | undefined): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
