import { randomUUID } from 'node:crypto';
import type { Message } from '@chat/protocol';
import { ephemeralMessage, type EphemeralLog } from '../messages/ephemeral-log.js';
import type { AppendResult, MessageDraft } from '../store/chat-store.js';
import type { RedisCommander, ScriptRunner } from './redis-commands.js';
import { EPHEMERAL_APPEND } from './redis-scripts.js';

/** How long an ephemeral message is remembered for resends and replies. */
const REMEMBER_MS = 10 * 60_000;

/** Ephemeral rooms across processes: one seq counter per room in Redis, recent messages for resends. */
export class RedisEphemeralLog implements EphemeralLog {
  constructor(
    private readonly scripts: ScriptRunner,
    private readonly client: RedisCommander,
    private readonly prefix: string,
  ) {}

  async append(draft: MessageDraft): Promise<AppendResult> {
    const { seq: _placeholder, ...rest } = ephemeralMessage(draft, -1);
    const json = JSON.stringify({ seq: -1, ...rest });
    const p = this.prefix;
    const [duplicate, stored] = (await this.scripts.run(
      EPHEMERAL_APPEND,
      [`${p}eph:seq:${draft.roomId}`, `${p}eph:c:${draft.roomId}:${draft.clientId}`, `${p}eph:i:${draft.roomId}:${rest.id}`],
      [json, String(REMEMBER_MS)],
    )) as [number, string];
    return { message: JSON.parse(stored) as Message, duplicate: duplicate === 1 };
  }

  async get(roomId: string, id: string): Promise<Message | undefined> {
    const json = await this.client.sendCommand(['GET', `${this.prefix}eph:i:${roomId}:${id}`]);
    return typeof json === 'string' ? (JSON.parse(json) as Message) : undefined;
  }

  async forget(roomId: string): Promise<void> {
    await this.client.sendCommand(['DEL', `${this.prefix}eph:seq:${roomId}`, `${this.prefix}eph:epoch:${roomId}`]);
  }

  // Kept beside the seq counter: if Redis loses its data, both start over together.
  async epoch(roomId: string): Promise<string> {
    const key = `${this.prefix}eph:epoch:${roomId}`;
    await this.client.sendCommand(['SET', key, randomUUID(), 'NX']);
    const epoch = await this.client.sendCommand(['GET', key]);
    return typeof epoch === 'string' ? epoch : '';
  }
}
