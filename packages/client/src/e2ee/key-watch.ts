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
}

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
export async function keyChanges(keep: DeviceKeep, roomId: string, group: MlsGroup): Promise<E2eeKeyChange[]> {
  const changes: E2eeKeyChange[] = [];
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

function parseList(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
