import { randomUUID } from 'node:crypto';
import { builtInError, parsePayload, type ChatUser, type Member, type Message, type Room, type UserRef } from '@chat/protocol';
import { checkUser } from '../../auth/check-user.js';
import { TokenBucket } from '../../limits/token-bucket.js';
import { ChatAction, type ChatContext } from '../../core/policy.js';
import { roomEnded } from '../../kernel/rooms/membership.js';
import { authorizeOrThrow, mayCreate } from '../../kernel/rooms/open-room.js';
import { isDirectRoomId } from '../../core/ids.js';
import { draftPayload, messageInput } from '../../core/message-input.js';
import type { CapabilityContext } from '../capability-context.js';
import type { BotHub, LocalBot } from './bot-hub.js';
import type { BotMessageDraft } from '../../core/commands.js';

/** What `chat.bot()` takes. */
export interface BotOptions {
  /** The bot's user id: it must not be the id of a person. */
  id: string;
  /** Its display name (unique in each room it joins, like anyone's). */
  name: string;
  /** An http(s) image URL. */
  avatarUrl?: string;
  /**
   * Also hear messages of other bots. Off by default, so that two bots that answer everything
   * cannot talk to each other for ever. A bot never hears its own messages.
   * @default false
   */
  hearBots?: boolean;
}

/** Listens to the messages of the bot's rooms: `message` is someone else's, `room` as stored. */
export type BotMessageListener = (message: Message, room: Room) => void | Promise<void>;

/** Events of a {@link ChatBot}. */
export interface ChatBotEvents {
  message: BotMessageListener;
}

/**
 * Messages a bot may send per second, and in a burst, on one process. Not a limit for people:
 * a guard against a bot caught in a loop (it answers its own echo through a webhook, say).
 */
const BOT_MESSAGES_PER_SECOND = 10;
const BOT_MESSAGE_BURST = 30;

/** @internal What a bot needs from the chat server that made it. */
export interface BotHost {
  ctx: CapabilityContext;
  hub: BotHub;
  ready(): Promise<void>;
}

/**
 * A member of rooms run by your server code: it joins (shown with `bot: true` in member lists),
 * hears the messages of its rooms, and sends, replies, edits its messages and types. Make one with
 * `chat.bot({ id, name })`; it lives in the process that made it and hears messages stored by
 * any process of a cluster.
 * @example
 * const bot = chat.bot({ id: 'helper', name: 'Helper' });
 * await bot.join('lobby');
 * bot.on('message', (message) => (message.text === 'ping' ? bot.reply(message, 'pong') : undefined));
 */
export class ChatBot implements LocalBot {
  readonly id: string;
  readonly name: string;
  /** How the bot appears on its messages and in member lists. */
  readonly user: Readonly<UserRef>;
  readonly #host: BotHost;
  readonly #chatUser: ChatUser;
  readonly #hearBots: boolean;
  /** Its socket id in the presence registry: one per bot per process. */
  readonly #presenceId: string;
  readonly #rooms = new Set<string>();
  readonly #joining = new Map<string, Promise<Member>>();
  readonly #listeners = new Set<BotMessageListener>();
  readonly #sends = new TokenBucket(BOT_MESSAGE_BURST, BOT_MESSAGES_PER_SECOND);
  #closed = false;

  /** @internal Made by `chat.bot()`. */
  constructor(host: BotHost, options: BotOptions) {
    if (typeof options !== 'object' || options === null) throw builtInError('VALIDATION_FAILED', 'chat.bot() takes { id, name }.');
    const { id, name, avatarUrl } = options;
    if (typeof id !== 'string' || id === '' || id.length > 128) {
      throw builtInError('VALIDATION_FAILED', 'A bot needs an id: a non-empty string of at most 128 characters.');
    }
    if (avatarUrl !== undefined && (typeof avatarUrl !== 'string' || !/^https?:\/\//iu.test(avatarUrl))) {
      throw builtInError('VALIDATION_FAILED', 'A bot avatarUrl must be an http(s) URL.');
    }
    let checked: ChatUser;
    try {
      checked = checkUser({ id, name, ...(avatarUrl !== undefined && { avatarUrl }) });
    } catch (error) {
      throw builtInError('VALIDATION_FAILED', `This bot cannot be used: ${(error as Error).message}`, { cause: error });
    }
    this.#host = host;
    this.id = checked.id;
    this.name = checked.name;
    this.#chatUser = { id: checked.id, name: checked.name, ...(checked.avatarUrl !== undefined && { avatarUrl: checked.avatarUrl }) };
    this.user = Object.freeze({ ...this.#chatUser, bot: true });
    this.#hearBots = options.hearBots === true;
    this.#presenceId = `bot:${randomUUID()}`;
    host.hub.add(this);
  }

  /** The rooms the bot is in (on this process). */
  get rooms(): ReadonlySet<string> {
    return this.#rooms;
  }

  /** @internal */
  isIn(roomId: string): boolean {
    return this.#rooms.has(roomId);
  }

  /**
   * Joins a room, as a member would: the room is created when `createRoomsOnJoin` allows it,
   * an ended room is `ROOM_ENDED`, and `authorize('room:join')` is asked with `ctx.bot` true (under
   * the default policy a private room needs the bot as a stored member: `chat.addMembers(roomId,
   * [bot.user])`). Joining a room it is in returns its member entry again.
   */
  async join(roomId: string): Promise<Member> {
    this.#checkOpen();
    await this.#host.ready();
    const { ctx } = this.#host;
    parsePayload(ctx.schemas.roomId, roomId);
    const underWay = this.#joining.get(roomId);
    if (underWay) return underWay;
    if (this.#rooms.has(roomId)) {
      const member = (await ctx.presence.lookup(roomId, [this.id])).get(this.id);
      if (member) return member;
    }
    const joining = this.#join(roomId);
    this.#joining.set(roomId, joining);
    try {
      return await joining;
    } finally {
      this.#joining.delete(roomId);
    }
  }

  async #join(roomId: string): Promise<Member> {
    const { ctx, hub } = this.#host;
    const room = await this.#open(roomId);
    const { member, joined } = await ctx.presence.add(roomId, this.#presenceId, this.user);
    if (member.bot !== true) {
      // A person with this bot's id is in the room: the bot must not become them.
      await ctx.presence.remove(roomId, this.#presenceId, this.id);
      throw builtInError('FORBIDDEN', `The user id "${this.id}" of this bot is used by a person in this room.`);
    }
    if (this.#closed) {
      await ctx.presence.remove(roomId, this.#presenceId, this.id);
      throw builtInError('NOT_IN_ROOM', 'The bot was closed while joining.');
    }
    this.#rooms.add(room.id);
    hub.changed(room.id);
    if (joined) {
      ctx.presenceDeltas.changed(room.id, this.id);
      ctx.bus.emit('presence:joined', room.id, this.id);
      ctx.events.emit('join', { roomId: room.id, member });
    }
    return member;
  }

  /** Leaves a room (nothing happens if it is not in it). */
  async leave(roomId: string): Promise<void> {
    await this.#joining.get(roomId)?.catch(() => undefined);
    if (!this.#rooms.delete(roomId)) return;
    const { ctx, hub } = this.#host;
    hub.changed(roomId);
    ctx.typing.clear(roomId, this.id);
    const left = await ctx.presence.remove(roomId, this.#presenceId, this.id);
    if (!left) return;
    ctx.presenceDeltas.changed(roomId, this.id);
    ctx.bus.emit('presence:left', roomId, this.id);
    ctx.events.emit('leave', { roomId, user: { ...this.user } });
  }

  /**
   * Listens to the messages of the bot's rooms, stored by any process: not its own, and not other
   * bots' unless `hearBots`. A listener that throws (or rejects) is reported through
   * `chat.on('error')`. Returns a function that stops listening.
   */
  on(event: 'message', listener: BotMessageListener): () => void {
    if (event !== 'message') throw builtInError('VALIDATION_FAILED', `A bot has no "${String(event)}" event; it has "message".`);
    if (typeof listener !== 'function') throw builtInError('VALIDATION_FAILED', 'bot.on() needs a listener function.');
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Sends a message to a room the bot is in (`NOT_IN_ROOM` otherwise), through the path of every
   * message: `beforeMessage` (with `ctx.bot` true), the limits, the store, the broadcast. Not rate
   * limited like people; more than 30 messages at once or 10 a second is `RATE_LIMITED` (a loop guard).
   * @example await bot.send('lobby', 'The meeting starts in 5 minutes.')
   */
  async send(roomId: string, input: string | BotMessageDraft): Promise<Message> {
    this.#checkOpen();
    await this.#host.ready();
    const { ctx } = this.#host;
    const draft: BotMessageDraft = typeof input === 'string' ? { text: input } : input;
    const clientId = draft.clientId ?? randomUUID();
    const checked = parsePayload(ctx.schemas['message:send'], draftPayload(roomId, clientId, draft));
    if (!this.#rooms.has(checked.roomId))
      throw builtInError('NOT_IN_ROOM', `The bot "${this.id}" has not joined "${roomId}"; call bot.join() first.`);
    const wait = this.#sends.take();
    if (wait > 0) {
      throw builtInError(
        'RATE_LIMITED',
        `The bot "${this.id}" is sending too fast (more than ${BOT_MESSAGES_PER_SECOND} a second): is it answering itself?`,
        {
          retryAfter: wait,
        },
      );
    }
    const room = await ctx.rooms.get(checked.roomId);
    if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
    if (room.endedAt) throw builtInError('ROOM_ENDED', 'This room has ended. It can no longer be written to.');
    const chatContext: ChatContext = { user: this.#chatUser, roomId: room.id, room, bot: true };
    return ctx.messages.post(chatContext, clientId, messageInput(checked));
  }

  /** Answers a message in its room, as a reply to it (`replyTo`); in its thread when it is a thread reply. */
  reply(message: Message, input: string | Omit<BotMessageDraft, 'replyTo'>): Promise<Message> {
    if (typeof message !== 'object' || message === null || typeof message.id !== 'string' || typeof message.roomId !== 'string') {
      return Promise.reject(builtInError('VALIDATION_FAILED', 'bot.reply() takes the message to answer, as the bot heard it.'));
    }
    const draft = typeof input === 'string' ? { text: input } : input;
    return this.send(message.roomId, {
      ...draft,
      replyTo: message.id,
      ...(message.threadOf !== undefined && { threadOf: message.threadOf }),
    });
  }

  /**
   * Changes the text of one of the bot's own messages (`FORBIDDEN` for anyone else's), through
   * the one edit path: `authorize('message:edit')` and `beforeMessage` with `ctx.bot` true, the
   * limits, `message:updated` to the room. Give the message as sent, or `{ id, roomId }`.
   * @example const answer = await bot.send(roomId, '…'); await bot.edit(answer, 'The answer is 42.')
   */
  async edit(message: Pick<Message, 'id' | 'roomId'>, text: string, options: { mentions?: string[] } = {}): Promise<Message> {
    this.#checkOpen();
    await this.#host.ready();
    const { ctx } = this.#host;
    if (typeof message !== 'object' || message === null) {
      throw builtInError('VALIDATION_FAILED', 'bot.edit() takes the message to change (as sent, or { id, roomId }).');
    }
    const checked = parsePayload(ctx.schemas['message:edit'], {
      roomId: message.roomId,
      messageId: message.id,
      text,
      ...(options.mentions !== undefined && { mentions: options.mentions }),
    });
    const room = await ctx.rooms.get(checked.roomId);
    if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${checked.roomId}".`);
    const current =
      room.options.ephemeral === true
        ? await ctx.ephemeral.get(checked.roomId, checked.messageId)
        : await ctx.store.getMessage(checked.roomId, checked.messageId);
    if (!current) throw builtInError('MESSAGE_NOT_FOUND', 'There is no such message in this room.');
    if (current.user.id !== this.id) throw builtInError('FORBIDDEN', 'A bot can only edit its own messages.');
    const request = { type: 'edit' as const, text: checked.text, ...(checked.mentions !== undefined && { mentions: checked.mentions }) };
    return ctx.messages.change(checked.roomId, checked.messageId, request, { user: this.#chatUser, bot: true });
  }

  /**
   * Shows the bot as typing in a room it is in, like a person's signal: it ends when the bot
   * sends, after `typingTimeoutMs` (5 s by default) without another signal, or with `typing(roomId, false)`.
   */
  typing(roomId: string, active = true): void {
    if (this.#closed || !this.#rooms.has(roomId)) return;
    this.#host.ctx.typing.set(roomId, this.user, active);
  }

  /** Leaves every room and stops hearing messages; the bot's id may be used by a new bot then. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#host.hub.delete(this);
    await Promise.all([...this.#joining.values()].map((joining) => joining.catch(() => undefined)));
    await Promise.all([...this.#rooms].map((roomId) => this.leave(roomId)));
  }

  /** @internal A message of one of its rooms (from this process or another). */
  hear(message: Message): void {
    if (this.#closed || message.user.id === this.id) return;
    if (message.user.bot === true && !this.#hearBots) return;
    if (this.#listeners.size === 0) return;
    const { ctx } = this.#host;
    const report = (error: unknown) =>
      ctx.report(builtInError('INTERNAL', `A "message" listener of the bot "${this.id}" failed.`, { cause: error }), {
        event: 'bot:message',
      });
    const work = ctx.rooms.get(message.roomId).then(async (room) => {
      if (!room || !this.#rooms.has(message.roomId)) return;
      for (const listener of [...this.#listeners]) {
        try {
          await listener(message, room);
        } catch (error) {
          report(error);
        }
      }
    }, report);
    ctx.inflight.add(work);
    void work.then(() => ctx.inflight.delete(work));
  }

  // The room as a join finds it: created when the policy allows, not ended, authorized.
  async #open(roomId: string): Promise<Room> {
    const { ctx } = this.#host;
    let room = await ctx.store.getRoom(roomId);
    if (!room) {
      if (isDirectRoomId(roomId) || !(await mayCreate(ctx.createRoomsOnJoin, roomId, this.#chatUser))) {
        throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
      }
      ({ room } = await ctx.store.createRoom({ id: roomId, createdBy: this.id }));
    }
    if (room.endedAt) throw roomEnded();
    await authorizeOrThrow(ctx, ChatAction.ROOM_JOIN, { user: this.#chatUser, roomId, room, bot: true });
    return room;
  }

  #checkOpen(): void {
    if (this.#closed) throw builtInError('VALIDATION_FAILED', `The bot "${this.id}" was closed.`);
  }
}
