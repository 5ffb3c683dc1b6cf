import { builtInError } from '@chat/protocol';
import type { Member, UserRef } from '@chat/protocol';
import { LocalPresence } from '../local/local-presence.js';
import {
  nameKey,
  type MemberCount,
  type MemberPage,
  type PresenceAdd,
  type PresenceRegistry,
  type UserStatus,
} from '../core/presence-registry.js';
import type { ScriptRunner } from './redis-commands.js';
import type { RedisPresenceConfig } from './redis-keys.js';

import { JoinedReads } from './joined-reads.js';
import { dropNotLive, type Dropped } from './redis-reconcile.js';
import {
  JOIN,
  LEAVE,
  LIST,
  MEMBER_COUNT,
  MEMBER_PAGE,
  SOCKET_COUNTS,
  USER_CONNECT,
  USER_DISCONNECT,
  USER_ONLINE,
  USER_OUTSIDE,
  USER_STATUS,
} from './redis-scripts.js';

/** What restore() did: the entries it registered again, and what it took out (see redis-reconcile.ts). */
export interface Restored extends Dropped {
  restored: Array<{ roomId: string; userId: string }>;
}

/**
 * Presence shared by every process through Redis. Each process also keeps its own sockets in
 * a local mirror, to register them again if Redis lost its data (a restart without persistence,
 * or a failover of a Redis Cluster).
 */
export class RedisPresence implements PresenceRegistry {
  readonly #local = new LocalPresence();
  // A write of this process's entries failed on a Redis Cluster (a shard failing over): restore() must run.
  #dirty = false;
  // Joins (`<room>\n<user>`) and connects (user) sent to Redis and not in the mirror yet: their
  // entries may be in Redis already, and restore() must not take them out.
  readonly #joining = new Map<string, number>();
  readonly #connecting = new Map<string, number>();
  // On a Redis Cluster: users' socket counts in the online users' slot, read once per round trip for
  // every room's message meanwhile (one shard holds that slot: one read per message would load it most).
  readonly #userSockets = new JoinedReads(
    (ids) =>
      this.scripts.run(
        SOCKET_COUNTS,
        [`${this.config.keys.users}users`, `${this.config.keys.users}procs`],
        [String(this.config.staleAfterMs), ...ids],
      ) as Promise<unknown[]>,
  );

  constructor(
    private readonly scripts: ScriptRunner,
    private readonly config: RedisPresenceConfig,
    private readonly onGhostRemoved: (roomId: string, userId: string) => void,
  ) {}

  /** Whether a write of this process's entries failed and waits for restore() (on a Redis Cluster). */
  get pending(): boolean {
    return this.#dirty;
  }

  async add(roomId: string, socketId: string, user: UserRef): Promise<PresenceAdd> {
    const member: Member = { id: user.id, name: user.name, status: 'online', joinedAt: new Date().toISOString() };
    if (user.avatarUrl !== undefined) member.avatarUrl = user.avatarUrl;
    if (user.bot === true) member.bot = true;
    const key = `${roomId}\n${user.id}`;
    count(this.#joining, key, 1);
    let reply: [string, string?, string?];
    try {
      reply = (await this.#failing(this.#join(roomId, member, 'add', 1))) as [string, string?, string?];
      if (reply[0] === 'TAKEN') {
        throw builtInError('NAME_TAKEN', `Someone in this room is already called "${user.name}". Please choose another name.`);
      }
      this.#local.addNow(roomId, socketId, member);
    } finally {
      count(this.#joining, key, -1);
    }
    if (reply[2]) this.onGhostRemoved(roomId, reply[2]);
    const [joinedAs] = await this.#withStatus([JSON.parse(reply[1] as string) as Member]);
    return { member: joinedAs as Member, joined: reply[0] === 'JOINED' };
  }

  async remove(roomId: string, socketId: string, userId: string): Promise<Member | undefined> {
    this.#local.removeNow(roomId, socketId, userId);
    return this.#failing(this.#leave(roomId, userId));
  }

  /**
   * A write of this process's entries: if it fails on a Redis Cluster (a shard failing over, the
   * write done or not), restore() runs once the shard is back, so that a member who left does not
   * stay on as a ghost, nor one whose join failed.
   */
  async #failing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } catch (error) {
      if (this.config.keys.sharded) this.#dirty = true;
      throw error;
    }
  }

  async #leave(roomId: string, userId: string): Promise<Member | undefined> {
    const { processId, staleAfterMs } = this.config;
    const g = this.config.keys.presence(roomId);
    const reply = (await this.scripts.run(
      LEAVE,
      [`${g}members:${roomId}`, `${g}names:${roomId}`, `${g}procs`],
      [userId, processId, String(staleAfterMs)],
    )) as [number, string?];
    // No entry at all: on a Redis Cluster, a failover may have lost it (the replica never had it,
    // or the room was told nothing of a leave that was lost): the room is told the user is gone.
    if (Number(reply[0]) === -1 && this.config.keys.sharded) this.onGhostRemoved(roomId, userId);
    return reply[0] === 1 ? (JSON.parse(reply[1] as string) as Member) : undefined;
  }

  async members(roomId: string): Promise<Member[]> {
    return this.#list(roomId, []);
  }

  async count(roomId: string): Promise<MemberCount> {
    const g = this.config.keys.presence(roomId);
    const reply = (await this.scripts.run(MEMBER_COUNT, [`${g}members:${roomId}`], [])) as [number, number];
    return { count: Number(reply[0]), at: Number(reply[1]) };
  }

  async page(roomId: string, after: string | undefined, limit: number): Promise<MemberPage> {
    // The scan cursor, and the SHA-1 of the last member given from its batch (none: ''). An older
    // process's cursor (a position in the batch) reads its batch again from the start.
    const cursor = /^(\d{1,20}):([0-9a-f]{40}|\d{1,6})?$/u.exec(after ?? '0:');
    if (!cursor) throw builtInError('VALIDATION_FAILED', 'after is not a cursor this server gave.');
    const g = this.config.keys.presence(roomId);
    const [next, last, ...members] = (await this.scripts.run(
      MEMBER_PAGE,
      [`${g}members:${roomId}`, `${g}procs`, `${g}users`],
      [String(this.config.staleAfterMs), cursor[1] as string, cursor[2]?.length === 40 ? cursor[2] : '', String(limit)],
    )) as [string, string, ...string[]];
    const page: MemberPage = { members: await this.#withStatus(members.map((json) => JSON.parse(json) as Member)) };
    if (String(next) !== '0' || last !== '') page.next = `${next}:${last}`;
    return page;
  }

  async lookup(roomId: string, userIds: string[]): Promise<Map<string, Member>> {
    if (userIds.length === 0) return new Map();
    const members = await this.#list(roomId, userIds);
    return new Map(members.map((m) => [m.id, m]));
  }

  async connect(socketId: string, user: UserRef): Promise<{ first: boolean }> {
    count(this.#connecting, user.id, 1);
    try {
      const first = (await this.#failing(this.#connect(user, 'add', 1, undefined))) === 1;
      this.#local.connectNow(socketId, user);
      return { first };
    } finally {
      count(this.#connecting, user.id, -1);
    }
  }

  async disconnect(socketId: string, userId: string): Promise<boolean> {
    this.#local.disconnectNow(socketId, userId);
    return this.#failing(this.#disconnect(userId));
  }

  async #disconnect(userId: string): Promise<boolean> {
    const { processId, staleAfterMs } = this.config;
    const u = this.config.keys.users;
    const reply = await this.scripts.run(
      USER_DISCONNECT,
      [`${u}users`, `${u}procs`, `${u}proc:${processId}:users`],
      [userId, processId, String(staleAfterMs)],
    );
    return Number(reply) === 1;
  }

  async setStatus(userId: string, status: UserStatus): Promise<boolean> {
    const u = this.config.keys.users;
    const reply = await this.scripts.run(
      USER_STATUS,
      [`${u}users`, `${u}procs`],
      [userId, String(this.config.staleAfterMs), statusJson(status)],
    );
    // The mirror keeps it too, to register it again if Redis loses it.
    this.#local.setStatusNow(userId, status);
    return Number(reply) === 1;
  }

  async online(userIds: string[]): Promise<Map<string, UserStatus>> {
    if (userIds.length === 0) return new Map();
    const u = this.config.keys.users;
    const reply = (await this.scripts.run(
      USER_ONLINE,
      [`${u}users`, `${u}procs`],
      [String(this.config.staleAfterMs), ...userIds],
    )) as string[];
    const found = new Map<string, UserStatus>();
    for (const json of reply) {
      const entry = JSON.parse(json) as { i: string; s?: UserStatus['status']; t?: string };
      found.set(entry.i, { status: entry.s ?? 'online', ...(entry.t !== undefined && { statusText: entry.t }) });
    }
    return found;
  }

  async outside(roomId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const { keys, staleAfterMs } = this.config;
    const g = keys.presence(roomId);
    if (!keys.sharded) {
      return (await this.scripts.run(
        USER_OUTSIDE,
        [`${g}users`, `${g}members:${roomId}`, `${g}procs`],
        [String(staleAfterMs), ...userIds],
      )) as string[];
    }
    // On a Redis Cluster the users and the room's members are in two slots: two reads, the users'
    // joined with other rooms' (see #userSockets).
    const [total, inRoom] = await Promise.all([
      this.#userSockets.get(userIds),
      this.scripts.run(SOCKET_COUNTS, [`${g}members:${roomId}`, `${g}procs`], [String(staleAfterMs), ...userIds]) as Promise<number[]>,
    ]);
    return userIds.filter((id, i) => (total.get(id) ?? 0) > Number(inRoom[i]));
  }

  /**
   * Registers this process's sockets again. On a Redis Cluster it then takes this process's part
   * out of every entry it does not have (a failover may have lost a leave, or a write whose answer
   * was lost may have been done): its registrations are then its live sockets, whatever was lost.
   */
  async restore(): Promise<Restored> {
    this.#dirty = false;
    for (const { user, sockets, status } of this.#local.onlineEntries()) await this.#connect(user, 'set', sockets, status);
    const restored: Array<{ roomId: string; userId: string }> = [];
    for (const { roomId, user, sockets } of this.#local.entries()) {
      const reply = (await this.#join(roomId, user, 'set', sockets)) as [string];
      if (reply[0] !== 'TAKEN') restored.push({ roomId, userId: user.id });
    }
    if (!this.config.keys.sharded) return { restored, gone: [], offline: [] };
    const dropped = await dropNotLive(this.scripts, this.config, {
      inRoom: (roomId) => [
        ...this.#local.membersNow(roomId).map((m) => m.id),
        ...[...this.#joining.keys()].filter((key) => key.startsWith(`${roomId}\n`)).map((key) => key.slice(roomId.length + 1)),
      ],
      online: () => [...this.#local.onlineEntries().map((e) => e.user.id), ...this.#connecting.keys()],
    });
    return { restored, ...dropped };
  }

  close(): void {
    this.#local.close();
  }

  #connect(user: UserRef, mode: 'add' | 'set', count: number, status: UserStatus | undefined): Promise<unknown> {
    const { processId, staleAfterMs } = this.config;
    const u = this.config.keys.users;
    const ref: UserRef = { id: user.id, name: user.name, ...(user.avatarUrl !== undefined && { avatarUrl: user.avatarUrl }) };
    return this.scripts.run(
      USER_CONNECT,
      [`${u}users`, `${u}procs`, `${u}proc:${processId}:users`],
      [user.id, processId, String(staleAfterMs), JSON.stringify(ref), mode, String(count), status ? statusJson(status) : ''],
    );
  }

  #join(roomId: string, member: Member, mode: 'add' | 'set', count: number): Promise<unknown> {
    const { processId, staleAfterMs } = this.config;
    const g = this.config.keys.presence(roomId);
    return this.scripts.run(
      JOIN,
      [`${g}members:${roomId}`, `${g}names:${roomId}`, `${g}procs`, `${g}proc:${processId}:rooms`, `${g}users`],
      [member.id, nameKey(member.name), processId, JSON.stringify(member), String(staleAfterMs), roomId, mode, String(count)],
    );
  }

  async #list(roomId: string, userIds: string[]): Promise<Member[]> {
    const g = this.config.keys.presence(roomId);
    const reply = (await this.scripts.run(
      LIST,
      [`${g}members:${roomId}`, `${g}procs`, `${g}users`],
      [String(this.config.staleAfterMs), ...userIds],
    )) as string[];
    return this.#withStatus(reply.map((json) => JSON.parse(json) as Member));
  }

  /**
   * On a Redis Cluster the scripts of a room cannot read the users' statuses (another slot: they
   * find an empty `users` in the room's group and leave each member 'online'), so they are laid
   * over here from a second read; on one Redis the scripts did it already.
   */
  async #withStatus(members: Member[]): Promise<Member[]> {
    if (!this.config.keys.sharded || members.length === 0) return members;
    const statuses = await this.online(members.map((m) => m.id));
    for (const m of members) {
      const status = statuses.get(m.id);
      if (!status) continue;
      m.status = status.status;
      if (status.statusText !== undefined) m.statusText = status.statusText;
    }
    return members;
  }
}

function count(counts: Map<string, number>, key: string, by: 1 | -1): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

function statusJson(status: UserStatus): string {
  return JSON.stringify({ s: status.status, ...(status.statusText !== undefined && { t: status.statusText }) });
}
