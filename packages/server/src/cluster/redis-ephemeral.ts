import { randomUUID } from 'node:crypto';
import { ID_LIMITS, type Attachment, type Message, type ReactionSummary } from '@chat/protocol';
import { messageDeleted, tooManyEmojis } from '../store/message-changes.js';
import { ephemeralMessage, notHeld, type ChangedQuery, type EphemeralLog } from '../store/ephemeral-log.js';
import type { AppendResult, ChangeResult, MessageChange, MessageDraft, MessagePage } from '../core/chat-store.js';
import type { RedisCommander, ScriptRunner } from './redis-commands.js';
import { EPHEMERAL_APPEND, EPHEMERAL_CHANGE, EPHEMERAL_CHANGED, EPHEMERAL_EPOCH, EPHEMERAL_READ } from './redis-ephemeral-scripts.js';

/** How long an ephemeral message is remembered for resends, replies and changes. */
const REMEMBER_MS = 10 * 60_000;
/** How long a room's counters (seq, rev, epoch) outlive its last message or change. */
const COUNTERS_MS = 24 * 60 * 60_000;

/** A held message as EPHEMERAL_READ returns it: hash fields, then emoji, count, ids per emoji. */
type Read = [string[], ...unknown[]];

/**
 * Ephemeral rooms across processes: seq and rev counters per room in Redis, recent messages
 * for resends, replies and changes; every change is one Lua script, so reactions from many
 * processes at once count exactly.
 */
export class RedisEphemeralLog implements EphemeralLog {
  constructor(
    private readonly scripts: ScriptRunner,
    private readonly client: RedisCommander,
    private readonly prefix: string,
    /** The room as its keys name it (a hash tag on a Redis Cluster, so that they share a slot). */
    private readonly room: (roomId: string) => string = (roomId) => roomId,
  ) {}

  async append(draft: MessageDraft): Promise<AppendResult> {
    const { seq: _placeholder, ...rest } = ephemeralMessage(draft, -1);
    const json = JSON.stringify({ seq: -1, ...rest });
    const room = this.#room(draft.roomId);
    const [duplicate, stored] = (await this.scripts.run(
      EPHEMERAL_APPEND,
      [
        room.seq,
        resendKey(room.base, this.room(draft.roomId), draft.clientId),
        this.#keys(draft.roomId, rest.id).message,
        room.epoch,
        room.rev,
        room.revs,
      ],
      [json, String(REMEMBER_MS), String(COUNTERS_MS), rest.text, JSON.stringify(rest.mentions ?? [])],
    )) as [number, string];
    const message = JSON.parse(stored) as Message;
    if (duplicate !== 1) return { message, duplicate: false };
    // The copy kept for resends is the message as sent; answer with it as it is now.
    return { message: (await this.get(draft.roomId, message.id)) ?? message, duplicate: true };
  }

  async get(roomId: string, id: string): Promise<Message | undefined> {
    if (!isHeldId(id)) return undefined;
    const keys = this.#keys(roomId, id);
    const read = (await this.scripts.run(
      EPHEMERAL_READ,
      [keys.message, keys.emojis],
      [keys.reactions, String(ID_LIMITS.reactionUserIds)],
    )) as Read | null;
    return read ? decode(read) : undefined;
  }

  async change(roomId: string, messageId: string, change: MessageChange): Promise<ChangeResult> {
    if (!isHeldId(messageId)) throw notHeld(messageId);
    if (change.type === 'previews' || change.type === 'poll' || change.type === 'question') {
      // An ephemeral room's messages get no link previews, polls or questions (the plugins serve stored rooms only).
      const message = await this.get(roomId, messageId);
      if (!message) throw notHeld(messageId);
      return { message, changed: false };
    }
    const keys = this.#keys(roomId, messageId);
    const room = this.#room(roomId);
    const args = [keys.reactions, String(ID_LIMITS.reactionUserIds), String(COUNTERS_MS), messageId, change.type];
    if (change.type === 'edit') args.push(change.text, JSON.stringify(change.mentions ?? []), change.at);
    else if (change.type === 'delete') args.push(change.at);
    else if (change.type === 'react') args.push(change.emoji, change.userId, String(change.maxEmojis));
    else args.push(change.emoji, change.userId);
    const reply = (await this.scripts.run(
      EPHEMERAL_CHANGE,
      [keys.message, keys.emojis, room.rev, room.revs, room.seq, room.epoch],
      args,
    )) as ['OK', number, Read] | ['GONE' | 'DELETED' | 'FULL'];
    if (reply[0] === 'GONE') throw notHeld(messageId);
    if (reply[0] === 'DELETED') throw messageDeleted();
    if (reply[0] === 'FULL') throw tooManyEmojis(change.type === 'react' ? change.maxEmojis : 0);
    const [, changed, read] = reply as ['OK', number, Read];
    return { message: decode(read), changed: changed === 1 };
  }

  async rev(roomId: string): Promise<number> {
    const rev = await this.client.sendCommand(['GET', this.#room(roomId).rev]);
    return typeof rev === 'string' ? Number(rev) : 0;
  }

  async changedAfter(roomId: string, query: ChangedQuery): Promise<MessagePage> {
    const { changedAfter, minSeq = 0, maxSeq = Number.MAX_SAFE_INTEGER, limit } = query;
    const [more, reads] = (await this.scripts.run(
      EPHEMERAL_CHANGED,
      [this.#room(roomId).revs],
      [
        `${this.prefix}eph:`,
        this.room(roomId),
        String(changedAfter),
        String(minSeq),
        String(maxSeq),
        String(limit),
        String(ID_LIMITS.reactionUserIds),
      ],
    )) as [number, Read[]];
    return { messages: reads.map(decode), hasMore: more === 1 };
  }

  async forget(roomId: string): Promise<void> {
    const room = this.#room(roomId);
    await this.client.sendCommand(['DEL', room.seq, room.epoch, room.rev, room.revs]);
  }

  // Kept beside the counters, and expires with them: if Redis loses them, all start over together.
  async epoch(roomId: string): Promise<string> {
    const room = this.#room(roomId);
    const epoch = await this.scripts.run(EPHEMERAL_EPOCH, [room.epoch, room.seq, room.rev, room.revs], [randomUUID(), String(COUNTERS_MS)]);
    return typeof epoch === 'string' ? epoch : '';
  }

  #room(id: string) {
    const base = `${this.prefix}eph:`;
    const roomId = this.room(id);
    return {
      base,
      seq: `${base}seq:${roomId}`,
      rev: `${base}rev:${roomId}`,
      epoch: `${base}epoch:${roomId}`,
      revs: `${base}revs:${roomId}`,
    };
  }

  #keys(room: string, id: string) {
    const base = `${this.prefix}eph:`;
    const roomId = this.room(room);
    return { message: `${base}i:${roomId}:${id}`, emojis: `${base}e:${roomId}:${id}`, reactions: `${base}r:${roomId}:${id}:` };
  }
}

// Keys join a room id and a message id with ':', which ids may contain: "a" + "b:x" would be
// "a:b" + "x", another room's message. The ids this log hands out are UUIDs, without ':', so an
// id with one is never held (and the room id is everything before the key's last ':').
function isHeldId(id: string): boolean {
  return !id.includes(':');
}

// A client's id with ':' gets a key of its own form (a space is in no id), so that it cannot
// name another room's resend key; ids without one (the SDK's UUIDs) keep the form they had.
function resendKey(base: string, roomId: string, clientId: string): string {
  return clientId.includes(':') ? `${base}c2:${roomId} ${clientId}` : `${base}c:${roomId}:${clientId}`;
}

// The message as sent (`b`), with what changed since laid over it.
function decode([flat, ...emojis]: Read): Message {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
  const message = JSON.parse(fields.get('b') as string) as Message;
  message.rev = Number(fields.get('v') ?? 0);
  message.text = fields.get('t') ?? message.text;
  const attachments = fields.get('a');
  if (attachments !== undefined) message.attachments = JSON.parse(attachments) as Attachment[];
  const mentions = JSON.parse(fields.get('m') ?? '[]') as string[];
  if (mentions.length > 0) message.mentions = mentions;
  else delete message.mentions;
  const editedAt = fields.get('ed');
  if (editedAt !== undefined) message.editedAt = editedAt;
  const deletedAt = fields.get('dd');
  if (deletedAt !== undefined) message.deletedAt = deletedAt;
  if (emojis.length > 0) {
    const reactions: Record<string, ReactionSummary> = {};
    for (let i = 0; i + 2 < emojis.length; i += 3) {
      reactions[emojis[i] as string] = { count: Number(emojis[i + 1]), userIds: [...(emojis[i + 2] as string[])] };
    }
    message.reactions = reactions;
  }
  return message;
}
