import type { UserRef } from '@chat/protocol';
import type { TypingStore } from '../local/typing-store.js';
import type { ScriptRunner } from './redis-commands.js';
import { TYPING } from './redis-scripts.js';

/** "Who is typing" shared by every process; entries of a dead process expire by their own time. */
export class RedisTypingStore implements TypingStore {
  constructor(
    private readonly scripts: ScriptRunner,
    private readonly prefix: string,
    /** The room as its keys name it (a hash tag on a Redis Cluster). */
    private readonly room: (roomId: string) => string = (roomId) => roomId,
  ) {}

  async set(roomId: string, user: UserRef, ttlMs: number): Promise<UserRef[]> {
    const reply = await this.scripts.run(
      TYPING,
      [`${this.prefix}typing:${this.room(roomId)}`],
      ['set', user.id, JSON.stringify({ id: user.id, name: user.name }), String(ttlMs)],
    );
    return parse(reply) ?? [];
  }

  async delete(roomId: string, userId: string): Promise<UserRef[] | null> {
    return parse(await this.scripts.run(TYPING, [`${this.prefix}typing:${this.room(roomId)}`], ['del', userId, '', '0']));
  }
}

function parse(reply: unknown): UserRef[] | null {
  return Array.isArray(reply) ? reply.map((json) => JSON.parse(String(json)) as UserRef) : null;
}
