import { createHash } from 'node:crypto';

/**
 * Where the cluster's keys live. On one Redis every group is the bare prefix, so the keys are the
 * ones this cluster always used. On a Redis Cluster each group carries a hash tag, so that the
 * keys one script touches share a slot:
 *
 * - presence is split into `buckets` groups `P{p<n>}:` (a room's members and names, with a copy of
 *   the process heartbeats and the reaper's bookkeeping per group), a room in the bucket of its id;
 * - users online anywhere live in the group `P{u}:`, calls in `P{c}:`, each with its heartbeats;
 * - a room's ephemeral log and typing list name the room as `{<room>}`, so they share its slot.
 *
 * Every group is a prefix the scripts of redis-scripts.ts take as it is (`procs`, `members:<room>`,
 * ... follow it), which is what lets the reaper run unchanged per group.
 */
export interface RedisKeys {
  /** Whether the keys are laid out for a Redis Cluster. */
  readonly sharded: boolean;
  /** The group prefix of a room's presence. */
  readonly presence: (roomId: string) => string;
  /** The group prefix of the users online anywhere. */
  readonly users: string;
  /** The group prefix of calls. */
  readonly calls: string;
  /** Every distinct group prefix: each gets a heartbeat and a reaper. */
  readonly groups: readonly string[];
  /** The room as it appears in its own keys (ephemeral log, typing): as given, or a hash tag. */
  readonly room: (roomId: string) => string;
}

/** The keys of one Redis, as they always were. */
export function singleRedisKeys(prefix: string): RedisKeys {
  return { sharded: false, presence: () => prefix, users: prefix, calls: prefix, groups: [prefix], room: (roomId) => roomId };
}

/** The keys of a Redis Cluster, in `buckets` presence groups. */
export function shardedKeys(prefix: string, buckets: number): RedisKeys {
  if (/[{}]/u.test(prefix)) throw new TypeError('keyPrefix may not contain { or } on a Redis Cluster (they make hash tags).');
  const presence = Array.from({ length: buckets }, (_, n) => `${prefix}{p${n}}:`);
  const users = `${prefix}{u}:`;
  const calls = `${prefix}{c}:`;
  return {
    sharded: true,
    presence: (roomId) => presence[fnv1a(roomId) % buckets] as string,
    users,
    calls,
    groups: [...presence, users, calls],
    // A brace in the id would end the tag early (an empty tag hashes the whole key): such an id
    // is tagged by its digest instead. Ids from clients have none (letters, digits, . _ : @ -).
    room: (roomId) => `{${/[{}]/u.test(roomId) ? createHash('sha1').update(roomId).digest('hex') : roomId}}`,
  };
}

// 32-bit FNV-1a: cheap, and spreads room ids evenly over the buckets.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Where RedisPresence keeps its keys and how long a silent process stays alive. */
export interface RedisPresenceConfig {
  keys: RedisKeys;
  processId: string;
  staleAfterMs: number;
}
