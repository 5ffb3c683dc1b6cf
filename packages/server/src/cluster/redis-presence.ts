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
import {
  JOIN,
  LEAVE,
  LIST,
  MEMBER_COUNT,
  MEMBER_PAGE,
  USER_CONNECT,
  USER_DISCONNECT,
  USER_ONLINE,
  USER_OUTSIDE,
  USER_STATUS,
} from './redis-scripts.js';

/** Where RedisPresence keeps its keys and how long a silent process stays alive. */
export interface RedisPresenceConfig {
  prefix: string;
  processId: string;
  staleAfterMs: number;
}

/**
 * Presence shared by every process through Redis. Each process also keeps its own sockets in
 * a local mirror, to register them again if Redis lost its data (a restart without persistence).
 */
export class RedisPresence implements PresenceRegistry {
  readonly #local = new LocalPresence();

  constructor(
    private readonly scripts: ScriptRunner,
    private readonly config: RedisPresenceConfig,
    private readonly onGhostRemoved: (roomId: string, userId: string) => void,
  ) {}

  async add(roomId: string, socketId: string, user: UserRef): Promise<PresenceAdd> {
    const member: Member = { id: user.id, name: user.name, status: 'online', joinedAt: new Date().toISOString() };
    if (user.avatarUrl !== undefined) member.avatarUrl = user.avatarUrl;
    if (user.bot === true) member.bot = true;
    const reply = (await this.#join(roomId, member, 'add', 1)) as [string, string?, string?];
    if (reply[0] === 'TAKEN') {
      throw builtInError('NAME_TAKEN', `Someone in this room is already called "${user.name}". Please choose another name.`);
    }
    this.#local.addNow(roomId, socketId, member);
    if (reply[2]) this.onGhostRemoved(roomId, reply[2]);
    return { member: JSON.parse(reply[1] as string) as Member, joined: reply[0] === 'JOINED' };
  }

  async remove(roomId: string, socketId: string, userId: string): Promise<Member | undefined> {
    this.#local.removeNow(roomId, socketId, userId);
    const { prefix, processId, staleAfterMs } = this.config;
    const reply = (await this.scripts.run(
      LEAVE,
      [`${prefix}members:${roomId}`, `${prefix}names:${roomId}`, `${prefix}procs`],
      [userId, processId, String(staleAfterMs)],
    )) as [number, string?];
    return reply[0] === 1 ? (JSON.parse(reply[1] as string) as Member) : undefined;
  }

  async members(roomId: string): Promise<Member[]> {
    return this.#list(roomId, []);
  }

  async count(roomId: string): Promise<MemberCount> {
    const reply = (await this.scripts.run(MEMBER_COUNT, [`${this.config.prefix}members:${roomId}`], [])) as [number, number];
    return { count: Number(reply[0]), at: Number(reply[1]) };
  }

  async page(roomId: string, after: string | undefined, limit: number): Promise<MemberPage> {
    // The scan cursor, and the SHA-1 of the last member given from its batch (none: ''). An older
    // process's cursor (a position in the batch) reads its batch again from the start.
    const cursor = /^(\d{1,20}):([0-9a-f]{40}|\d{1,6})?$/u.exec(after ?? '0:');
    if (!cursor) throw builtInError('VALIDATION_FAILED', 'after is not a cursor this server gave.');
    const { prefix, staleAfterMs } = this.config;
    const [next, last, ...members] = (await this.scripts.run(
      MEMBER_PAGE,
      [`${prefix}members:${roomId}`, `${prefix}procs`, `${prefix}users`],
      [String(staleAfterMs), cursor[1] as string, cursor[2]?.length === 40 ? cursor[2] : '', String(limit)],
    )) as [string, string, ...string[]];
    const page: MemberPage = { members: members.map((json) => JSON.parse(json) as Member) };
    if (String(next) !== '0' || last !== '') page.next = `${next}:${last}`;
    return page;
  }

  async lookup(roomId: string, userIds: string[]): Promise<Map<string, Member>> {
    if (userIds.length === 0) return new Map();
    const members = await this.#list(roomId, userIds);
    return new Map(members.map((m) => [m.id, m]));
  }

  async connect(socketId: string, user: UserRef): Promise<{ first: boolean }> {
    const first = (await this.#connect(user, 'add', 1, undefined)) === 1;
    this.#local.connectNow(socketId, user);
    return { first };
  }

  async disconnect(socketId: string, userId: string): Promise<boolean> {
    this.#local.disconnectNow(socketId, userId);
    const { prefix, processId, staleAfterMs } = this.config;
    const reply = await this.scripts.run(
      USER_DISCONNECT,
      [`${prefix}users`, `${prefix}procs`, `${prefix}proc:${processId}:users`],
      [userId, processId, String(staleAfterMs)],
    );
    return Number(reply) === 1;
  }

  async setStatus(userId: string, status: UserStatus): Promise<boolean> {
    const { prefix, staleAfterMs } = this.config;
    const reply = await this.scripts.run(
      USER_STATUS,
      [`${prefix}users`, `${prefix}procs`],
      [userId, String(staleAfterMs), statusJson(status)],
    );
    // The mirror keeps it too, to register it again if Redis loses it.
    this.#local.setStatusNow(userId, status);
    return Number(reply) === 1;
  }

  async online(userIds: string[]): Promise<Map<string, UserStatus>> {
    if (userIds.length === 0) return new Map();
    const { prefix, staleAfterMs } = this.config;
    const reply = (await this.scripts.run(
      USER_ONLINE,
      [`${prefix}users`, `${prefix}procs`],
      [String(staleAfterMs), ...userIds],
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
    const { prefix, staleAfterMs } = this.config;
    return (await this.scripts.run(
      USER_OUTSIDE,
      [`${prefix}users`, `${prefix}members:${roomId}`, `${prefix}procs`],
      [String(staleAfterMs), ...userIds],
    )) as string[];
  }

  /** Registers this process's sockets again; returns the rooms and users it re-announced. */
  async restore(): Promise<Array<{ roomId: string; userId: string }>> {
    for (const { user, sockets, status } of this.#local.onlineEntries()) await this.#connect(user, 'set', sockets, status);
    const restored: Array<{ roomId: string; userId: string }> = [];
    for (const { roomId, user, sockets } of this.#local.entries()) {
      const reply = (await this.#join(roomId, user, 'set', sockets)) as [string];
      if (reply[0] !== 'TAKEN') restored.push({ roomId, userId: user.id });
    }
    return restored;
  }

  close(): void {
    this.#local.close();
  }

  #connect(user: UserRef, mode: 'add' | 'set', count: number, status: UserStatus | undefined): Promise<unknown> {
    const { prefix, processId, staleAfterMs } = this.config;
    const ref: UserRef = { id: user.id, name: user.name, ...(user.avatarUrl !== undefined && { avatarUrl: user.avatarUrl }) };
    return this.scripts.run(
      USER_CONNECT,
      [`${prefix}users`, `${prefix}procs`, `${prefix}proc:${processId}:users`],
      [user.id, processId, String(staleAfterMs), JSON.stringify(ref), mode, String(count), status ? statusJson(status) : ''],
    );
  }

  #join(roomId: string, member: Member, mode: 'add' | 'set', count: number): Promise<unknown> {
    const { prefix, processId, staleAfterMs } = this.config;
    return this.scripts.run(
      JOIN,
      [`${prefix}members:${roomId}`, `${prefix}names:${roomId}`, `${prefix}procs`, `${prefix}proc:${processId}:rooms`, `${prefix}users`],
      [member.id, nameKey(member.name), processId, JSON.stringify(member), String(staleAfterMs), roomId, mode, String(count)],
    );
  }

  async #list(roomId: string, userIds: string[]): Promise<Member[]> {
    const { prefix, staleAfterMs } = this.config;
    const reply = (await this.scripts.run(
      LIST,
      [`${prefix}members:${roomId}`, `${prefix}procs`, `${prefix}users`],
      [String(staleAfterMs), ...userIds],
    )) as string[];
    return reply.map((json) => JSON.parse(json) as Member);
  }
}

function statusJson(status: UserStatus): string {
  return JSON.stringify({ s: status.status, ...(status.statusText !== undefined && { t: status.statusText }) });
}
