import {
  builtInError,
  ChatError,
  type Attachment,
  type CommandInfo,
  type CommandRunResult,
  type Member,
  type Message,
  type NotificationLevel,
  type PresenceDelta,
  type PublicRoom,
  type ReadState,
  type RoomJoinResult,
  type RoomRemovedEvent,
  type RoomRemovedReason,
  type MemberRole,
  type UserRef,
} from '@chat/protocol';
import type { Call } from './calls/call.js';
import type { StartCallOptions } from './calls/call-registry.js';
import type { JoinedRoomView } from './conversations/conversation-list.js';
import { notACommand, parseCommandLine } from './commands.js';
import { mentionsAfter, RoomReads } from './conversations/read-state.js';
import { canModerate, removalError, RoomModeration, type RestrictionOptions, type RoomModerationInput } from './moderation.js';
import { Outbox, OutboxStatus, type OutboxEntry } from './outbox.js';
import { RoomOccupancy } from './room-occupancy.js';
import type { OutboxStore } from './outbox/outbox-store.js';
import { GapFiller } from './gap-filler.js';
import { MessageChanges } from './message-changes.js';
import { CopyKind, MessageLog } from './message-log.js';
import { OwnReactions, reactedIn } from './reactions.js';
import { MAX_WAIT_MS, MAX_WAITS, TIMEOUT_RETRY_MS, waitBeforeRetry } from './retry-policy.js';
import { ConnectionLostError, type RequestEvent, type RequestPayload, type ResponseData, type RoomLink } from './room-link.js';
import { Subscribable } from './subscribable.js';
import type { UploadOptions } from './upload.js';
import { uuid } from './uuid.js';

/** What `room.send()` takes besides plain text. */
export interface MessageDraftInput {
  text?: string;
  attachments?: Attachment[];
  replyTo?: string;
  /** Ids of the users the text mentions; the server keeps those present in the room. */
  mentions?: string[];
}

/** What `room.edit()` takes besides the text. */
export interface MessageEditOptions {
  /** The mentions of the new text: they replace the old ones (none when absent). */
  mentions?: string[];
}

/** A presence change as the room saw it. */
export interface PresenceChange {
  joined: Member[];
  left: Member[];
  /** Members who stayed and changed (their status or status text). */
  updated: Member[];
  /** Everyone present after the change (in a large room, those loaded: see `ChatRoom.isLarge`). */
  members: Member[];
  /** How many members the room has after the change, exactly. */
  memberCount: number;
}

/** Messages the room could not get: a hole the server cannot fill, or a history that started over. */
export interface Discontinuity {
  /**
   * `gap`: messages after `after` up to `resumedAt` are gone for good (an ephemeral room, a
   * trimmed memory store). `reset`: the room's history started over on the server (a memory
   * store restarted); `messages` now holds the new history only.
   */
  reason: 'gap' | 'reset';
  /** With `gap`: the last seq received before the hole. */
  after?: number;
  /** With `gap`: the first seq received after it. */
  resumedAt?: number;
}

/** Events of a {@link ChatRoom}. */
export interface ChatRoomEvents {
  /** A new message: live, caught up after a reconnect, or your own once stored. Never twice. */
  message: (message: Message) => void;
  /**
   * A message held in `messages` changed (edited, deleted, reacted to): live, by the ack of your
   * own change, or caught up after a reconnect. Carries the new copy; never an older one.
   */
  messageUpdated: (message: Message) => void;
  presence: (change: PresenceChange) => void;
  /**
   * Who is typing now, yourself left out. Past a few typists `users` names the first few and
   * `count` says how many are typing ("several people are typing").
   */
  typing: (users: UserRef[], count: number) => void;
  /**
   * A read mark moved: another member's (read receipts, in rooms of at most 50 stored members)
   * or your own (`markRead()` here or on another device). A sent message moves its sender's mark
   * without this event.
   */
  read: (read: ReadState) => void;
  /** Anything a view shows changed: messages, members, outbox, room, read marks. */
  updated: () => void;
  ended: (room: PublicRoom) => void;
  /**
   * The server took you out of the room: it was made private to others, the host removed you, or a
   * moderator kicked or banned you (`event.message` is their reason, `event.until` a ban's end).
   */
  removed: (reason: RoomRemovedReason, event: RoomRemovedEvent) => void;
  /** Some messages cannot be had (see {@link Discontinuity}); tell the user. */
  discontinuity: (event: Discontinuity) => void;
  /** A call came into view in this room: it rings you, or goes on without you (`call.state` says which). Not your own. */
  call: (call: Call) => void;
  error: (error: ChatError) => void;
}

/** The life of a ChatRoom. */
export const RoomState = {
  JOINING: 'joining',
  JOINED: 'joined',
  /** Re-joining after a reconnect and fetching what was missed. */
  SYNCING: 'syncing',
  LEFT: 'left',
  ENDED: 'ended',
} as const;
export type RoomState = (typeof RoomState)[keyof typeof RoomState];

/**
 * A joined room: messages in `seq` order without duplicates, members, typing, and an outbox
 * that survives reconnects. Get one from `client.join(roomId)`.
 */
export class ChatRoom extends Subscribable<ChatRoomEvents> {
  readonly id: string;
  #state: RoomState = RoomState.JOINING;
  #room: PublicRoom | undefined;
  #self: Member | undefined;
  readonly #log: MessageLog;
  /**
   * The room's change counter (`rev`) of the last join that completed, catch-up included: every
   * change up to it is in the messages held. A re-join asks for the changes after it.
   */
  #rev: number | undefined;
  /** Live changes that arrived while a join was under way, applied once its answer is. */
  #joinUpdates: Message[] | undefined;
  readonly #changes: MessageChanges;
  readonly #ownReactions = new OwnReactions();
  #hasMoreHistory = false;
  /** The history the seqs belong to (from the join ack). */
  #epoch: string | undefined;
  /** A re-join started by this room itself (its history changed under it) is under way. */
  #rejoining = false;
  readonly #members = new Map<string, Member>();
  /** The server's slash commands, from the last join ack. */
  #commands: readonly CommandInfo[] = [];
  #typing: UserRef[] = [];
  #typingCount = 0;
  readonly #occupancy: RoomOccupancy;
  readonly #outbox = new Outbox();
  #flushing = false;
  #typingSentAt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #gaps: GapFiller;
  readonly #reads: RoomReads;
  readonly #moderation: RoomModeration;

  /** @internal Created by ChatClient. */
  constructor(
    private readonly link: RoomLink,
    id: string,
  ) {
    super();
    this.id = id;
    this.#log = new MessageLog(id);
    this.#moderation = new RoomModeration(link, id);
    this.#occupancy = new RoomOccupancy(link, id, this.#members, (m) => this.#reads.know(m));
    this.#gaps = new GapFiller({
      roomId: id,
      log: this.#log,
      link,
      state: () => this.#state,
      fetched: (messages) => {
        if (this.#add(messages, true)) this.emitter.emit('updated');
      },
      skipped: (after, resumedAt) => this.emitter.emit('discontinuity', { reason: 'gap', after, resumedAt }),
    });
    this.#changes = new MessageChanges({
      link,
      ready: () => this.#state === RoomState.JOINED && this.link.connected,
      closedError: () => (this.#isClosed() ? this.#closedError() : undefined),
      // The state changes with an `updated` (joined again, or left).
      watch: (listener) => this.on('updated', listener),
      acked: (message) => {
        if (!this.#isClosed() && this.#apply([message], CopyKind.CHANGE)) this.emitter.emit('updated');
      },
    });
    this.#reads = new RoomReads(
      async (seq) => (await this.#patiently('read:mark', { roomId: this.id, seq })).seq,
      (seq) => this.#ownMarkMoved(seq),
    );
  }

  get state(): RoomState {
    return this.#state;
  }
  /** The room as the server last described it. */
  get room(): PublicRoom | undefined {
    return this.#room;
  }
  /** Your own member entry, as the server knows you. */
  get self(): Member | undefined {
    return this.#self;
  }
  /** Loaded messages, ordered by seq. */
  get messages(): readonly Message[] {
    return this.#log.messages;
  }
  /**
   * Who is here now. In a large room ({@link isLarge}), only the members loaded so far (the join's
   * first page, {@link loadMembers}, and the few each presence change names): use
   * {@link memberCount} for how many there are.
   */
  get members(): Member[] {
    return [...this.#members.values()];
  }
  /** How many members the room has now, exactly (kept live, in rooms of any size). */
  get memberCount(): number {
    return this.#occupancy.count;
  }
  /**
   * The room has at least the server's `largeRoomThreshold` members (200 by default): `members`
   * holds what was loaded, not everyone; page on with {@link loadMembers}.
   */
  get isLarge(): boolean {
    return this.#occupancy.large;
  }
  /** A large room has members not loaded yet ({@link loadMembers} reads them). */
  get hasMoreMembers(): boolean {
    return this.#occupancy.hasMore;
  }
  /**
   * Loads the next page of a large room's members into `members`; resolves with the members it
   * added (none when every page is loaded, and always none in a small room, whose list is whole).
   * @example
   * while (room.hasMoreMembers) await room.loadMembers();
   */
  async loadMembers(limit?: number): Promise<Member[]> {
    const added = await this.#occupancy.loadMore(limit);
    if (added.length > 0) this.emitter.emit('updated');
    return added;
  }
  /**
   * Every member, page by page from the start (each page is also merged into `members`).
   * @example
   * for await (const page of room.memberPages()) console.log(page.length);
   */
  memberPages(limit?: number): AsyncGenerator<Member[], void, undefined> {
    return this.#occupancy.pages(limit);
  }
  /** Who is typing now, yourself left out. */
  get typingUsers(): readonly UserRef[] {
    return this.#typing;
  }
  /** How many are typing, yourself left out; more than `typingUsers` names past a few typists. */
  get typingCount(): number {
    return this.#typingCount;
  }
  /** Messages not yet acknowledged (pending) or refused (failed), in send order. */
  get outbox(): OutboxEntry[] {
    return this.#outbox.entries();
  }
  /** Older messages exist beyond the oldest loaded one. */
  get hasMoreHistory(): boolean {
    return this.#hasMoreHistory;
  }
  /** The seq you have read up to (0: nothing), the same on all your devices: put a "new messages" divider after it. */
  get readSeq(): number {
    return this.#reads.readSeq;
  }
  /** Messages of others after your read mark (your own never count); 0 in ephemeral rooms, which keep no marks. */
  get unreadCount(): number {
    if (this.#room?.options.ephemeral === true) return 0;
    return Math.max(0, (this.#log.newestSeq ?? 0) - this.#reads.readSeq);
  }

  /**
   * Marks the room read up to `seq` (default: the newest loaded message), for you on every
   * device. Marks only move forward: a seq at or below `readSeq` changes nothing and sends nothing.
   * Resolves with the mark after. Ephemeral rooms keep no marks (resolves with 0). At most one
   * mark per second is sent per room (a quiet room's at once): marks asked meanwhile go together,
   * as the highest seq, at the end of that second.
   * @example if (document.visibilityState === 'visible') await room.markRead();
   */
  async markRead(seq?: number): Promise<number> {
    if (this.#isClosed()) throw this.#closedError();
    if (this.#room?.options.ephemeral === true) return 0;
    const target = seq ?? this.#log.newestSeq;
    if (target === undefined || target <= this.#reads.readSeq) return this.#reads.readSeq;
    if (!Number.isSafeInteger(target)) throw builtInError('VALIDATION_FAILED', 'markRead() takes the seq of a message.');
    return this.#reads.mark(target);
  }

  /**
   * The members who have read a message (its sender left out), from the read marks the server
   * shares in rooms of at most 50 stored members; in bigger rooms, nobody (also once a room that
   * was small is seen to grow past 50). A reader this room never saw (not present, no message
   * loaded) is named by their id.
   * @example const seenBy = room.readBy(myLastMessage.id).map((u) => u.name);
   */
  readBy(messageId: string): UserRef[] {
    const message = this.#log.get(messageId);
    return message ? this.#reads.readBy(message) : [];
  }

  /** Which messages of this room notify you while you are away: `'all'`, `'mentions'` (and direct messages) or `'none'`. Stored per user. */
  async setNotifications(level: NotificationLevel): Promise<void> {
    if (this.#isClosed()) throw this.#closedError();
    await this.#patiently('notifications:set', { roomId: this.id, level });
    this.link.notificationsSet?.(this.id, level);
  }

  /**
   * Sends a message. Resolves with the stored message; while offline it waits in the outbox
   * and is resent (same clientId, stored once) after reconnecting. Rejects if the server refuses it.
   * @example const message = await room.send('hello');
   */
  send(input: string | MessageDraftInput): Promise<Message> {
    if (this.#state === RoomState.LEFT || this.#state === RoomState.ENDED) {
      return Promise.reject(this.#closedError());
    }
    const draft = typeof input === 'string' ? { text: input } : input;
    const entry: OutboxEntry = {
      clientId: uuid(),
      roomId: this.id,
      text: draft.text ?? '',
      attachments: draft.attachments ?? [],
      status: OutboxStatus.PENDING,
      createdAt: new Date().toISOString(),
    };
    if (draft.replyTo !== undefined) entry.replyTo = draft.replyTo;
    if (draft.mentions !== undefined) entry.mentions = draft.mentions;
    const stored = this.#outbox.add(entry);
    this.#typingSentAt = 0;
    this.emitter.emit('updated');
    void this.#flushOutbox();
    return stored;
  }

  /**
   * Sends a failed message again, with the same clientId: if an earlier try was stored after
   * all (a timeout), it is not stored twice. Resolves like `send()`.
   */
  retry(clientId: string): Promise<Message> {
    if (this.#state === RoomState.LEFT || this.#state === RoomState.ENDED) return Promise.reject(this.#closedError());
    const stored = this.#outbox.requeue(clientId);
    if (!stored) return Promise.reject(builtInError('MESSAGE_NOT_FOUND', 'There is no failed message with this clientId in the outbox.'));
    this.emitter.emit('updated');
    void this.#flushOutbox();
    return stored;
  }

  /**
   * Uploads a file for this room (the server's `uploads`; `authorize` sees the room) and resolves
   * with the `Attachment` to send: `room.send({ text, attachments: [attachment] })`.
   * @example const attachment = await room.upload(file, { onProgress: ({ loaded, total }) => show(loaded / total) });
   */
  upload(file: Blob, options: Omit<UploadOptions, 'roomId'> = {}): Promise<Attachment> {
    return this.link.upload(file, { ...options, roomId: this.id });
  }

  /** The calls going on in this room that you can see: ringing you, going on, or with you in them. */
  get calls(): Call[] {
    return this.link.calls?.inRoom(this.id) ?? [];
  }

  /**
   * Starts an audio or video call in this room and rings `invite` (in a direct room, by default,
   * the other members). Asks the browser for the microphone (and camera) first; resolves with
   * the call, which you are in, once the server rang the others.
   * @example const call = await room.startCall({ kind: 'video', invite: ['luis'] });
   */
  startCall(options: StartCallOptions): Promise<Call> {
    if (this.#isClosed()) return Promise.reject(this.#closedError());
    if (!this.link.calls) return Promise.reject(builtInError('VALIDATION_FAILED', 'This client has no calls.'));
    return this.link.calls.start(this.id, options);
  }

  /** @internal A call came into view in this room. */
  _callAppeared(call: Call): void {
    if (!this.#isClosed()) this.emitter.emit('call', call);
  }

  /** The slash commands the server offers (from the join ack): offer them as the user types `/`. */
  get commands(): readonly CommandInfo[] {
    return this.#commands;
  }

  /**
   * Runs a slash command line (`/name args`) in this room. Resolves with `{ reply? }`: `reply` is
   * for you alone (the answer of an unknown command too); what the command posts for everyone
   * arrives as messages. Not resent by itself: a command may not be safe to run twice.
   * @example const { reply } = await room.runCommand('/remind 5m stand-up');
   */
  async runCommand(line: string): Promise<CommandRunResult> {
    if (this.#isClosed()) throw this.#closedError();
    const command = typeof line === 'string' ? parseCommandLine(line) : undefined;
    if (!command) throw notACommand();
    return this.link.request('command:run', { roomId: this.id, name: command.name, args: command.args });
  }

  /** Drops a failed message from the outbox (and from a kept outbox: it is not sent later). */
  discard(clientId: string): void {
    if (this.#outbox.remove(clientId)) this.emitter.emit('updated');
  }

  /** @internal Keeps the outbox in `store` too (ChatClient calls it before the first join). */
  _keepOutboxIn(store: OutboxStore, server: string): void {
    this.#outbox.keepIn(store, server, this.id, (error) => this.emitter.emit('error', error));
  }

  /**
   * Signals that you are typing; call it on every keystroke, it sends at most one signal
   * per `typingThrottleMs` (two seconds by default). `typing(false)` clears it at once.
   */
  typing(active = true): void {
    if (this.#state !== RoomState.JOINED || !this.link.connected) return;
    const now = Date.now();
    if (active && now - this.#typingSentAt < this.link.typingThrottleMs) return;
    if (!active && this.#typingSentAt === 0) return;
    this.#typingSentAt = active ? now : 0;
    this.link.request('typing', { roomId: this.id, typing: active }).catch(() => {
      // Typing is a hint: a lost or refused signal is not worth an error.
    });
  }

  /**
   * Loads a page of older messages (before the oldest loaded one unless `before` is given)
   * into `messages`, and returns it.
   */
  async history(options: { before?: number; limit?: number } = {}): Promise<{ messages: Message[]; hasMore: boolean }> {
    const before = options.before ?? this.#log.oldestSeq;
    if (before === undefined && options.before === undefined && this.#log.messages.length === 0 && !this.#hasMoreHistory) {
      return { messages: [], hasMore: false };
    }
    const page = await this.#patiently('message:history', {
      roomId: this.id,
      ...(before !== undefined && { before }),
      ...(options.limit !== undefined && { limit: options.limit }),
    });
    const oldest = this.#log.oldestSeq;
    this.#add(page.messages, false);
    if (oldest === undefined || (before !== undefined && before <= oldest)) this.#hasMoreHistory = page.hasMore;
    this.emitter.emit('updated');
    return page;
  }

  /**
   * Changes the text (and mentions) of a message: your own, unless the server's `authorize`
   * allows more. Resolves with the message after the edit, already in `messages`. Offline it
   * waits for the re-join (up to 10 s) and then fails with `TIMEOUT`; it is not queued.
   * @example await room.edit(message.id, 'Hola, corrected');
   */
  edit(messageId: string, text: string, options: MessageEditOptions = {}): Promise<Message> {
    return this.#changes.request(messageId, 'message:edit', {
      roomId: this.id,
      messageId,
      text,
      ...(options.mentions !== undefined && { mentions: options.mentions }),
    });
  }

  /**
   * Deletes a message (your own, unless `authorize` allows more): it stays in `messages` as a
   * placeholder with `deletedAt`, no text and no attachments. Resolves like `edit()`.
   */
  delete(messageId: string): Promise<Message> {
    return this.#changes.request(messageId, 'message:delete', { roomId: this.id, messageId });
  }

  /** Adds your reaction with one emoji (a second time changes nothing). Resolves like `edit()`. */
  react(messageId: string, emoji: string): Promise<Message> {
    return this.#changes.request(messageId, 'reaction:add', { roomId: this.id, messageId, emoji }, () =>
      this.#ownReactions.record(messageId, emoji, true),
    );
  }

  /** Takes your reaction with this emoji back (none there: nothing changes). Resolves like `edit()`. */
  unreact(messageId: string, emoji: string): Promise<Message> {
    return this.#changes.request(messageId, 'reaction:remove', { roomId: this.id, messageId, emoji }, () =>
      this.#ownReactions.record(messageId, emoji, false),
    );
  }

  /**
   * Whether a user (yourself by default) reacted to a message with `emoji`. `undefined` when it
   * cannot be known: a message lists at most 25 `userIds` per emoji (its `count` is exact). For
   * yourself the room remembers what `react` / `unreact` did in this session, not across reloads.
   * @example const pressed = room.reactedBy(message, '👍') === true;
   */
  reactedBy(message: Message, emoji: string, userId: string | undefined = this.#self?.id): boolean | undefined {
    if (userId === undefined) return undefined;
    const known = reactedIn(message, emoji, userId);
    if (known !== undefined || userId !== this.#self?.id) return known;
    return this.#ownReactions.get(message.id, emoji);
  }

  /** Leaves the room; messages still in the outbox fail with NOT_IN_ROOM. */
  async leave(): Promise<void> {
    if (this.#state === RoomState.LEFT || this.#state === RoomState.ENDED) return;
    this.#close(RoomState.LEFT, builtInError('NOT_IN_ROOM', 'You left the room before this message was sent.'));
    if (!this.link.connected) return;
    try {
      await this.link.request('room:leave', { roomId: this.id });
    } catch (error) {
      // Already out on the server (e.g. the connection dropped): the goal is reached.
      // (The server never rate-limits leaving a room it has us in: RATE_LIMITED means it had not.)
      const gone =
        error instanceof ChatError && (error.code === 'NOT_IN_ROOM' || error.code === 'ROOM_ENDED' || error.code === 'RATE_LIMITED');
      if (!gone && !(error instanceof ConnectionLostError)) throw error;
    }
  }

  /** @internal First join, or re-join after a reconnect (`since` the watermark, in the history it belongs to). */
  async _join(): Promise<void> {
    let rejoin = this.#room !== undefined;
    if (rejoin) this.#state = RoomState.SYNCING;
    const epoch = this.#epoch;
    // The messages held now, which may have changed while we were away (after `#rev`).
    const held: HeldRange = { since: this.#rev, minSeq: this.#log.oldestSeq, maxSeq: this.#log.watermark };
    // A re-join belongs to the connection it started on (the next one starts its own) and
    // waits as long as the server says: no one awaits it, and giving up would lose the room.
    const patience: Patience = rejoin ? { socketId: this.link.socketId } : {};
    // A change broadcast before the answer arrives is applied after it (the first page, or a
    // history that started over, is not in yet).
    this.#joinUpdates ??= [];
    const result = await this.#patiently(
      'room:join',
      rejoin ? { roomId: this.id, since: this.#log.watermark, ...(epoch !== undefined && { epoch }) } : { roomId: this.id },
      patience,
    ).catch((error: unknown) => {
      this.#applyJoinUpdates();
      throw error;
    });
    if (this.#isClosed()) {
      this.#joinUpdates = undefined;
      // Left while the server was joining us: it has us in the room now, so leave again.
      if (this.link.connected) this.link.request('room:leave', { roomId: this.id }).catch(() => undefined);
      return;
    }
    // Who came and went while we were away is told on every re-join, the history's start-over too.
    const wasIn = rejoin;
    if (rejoin && result.epoch !== epoch) {
      // The server's history of this room started over (a restarted memory store): what we
      // hold belongs to another history. Start again from this answer, as on a first join.
      this.#reset();
      rejoin = false;
      this.emitter.emit('discontinuity', { reason: 'reset' });
    }
    this.#applyJoin(result, rejoin, wasIn);
    this.#applyJoinUpdates();
    let more = rejoin && result.hasMore;
    let after = result.messages.at(-1)?.seq ?? this.#log.watermark;
    while (more) {
      const page = await this.#patiently('message:history', { roomId: this.id, after }, patience);
      if (this.#isClosed()) return;
      this.#add(page.messages, true);
      more = page.hasMore && page.messages.length > 0;
      after = page.messages.at(-1)?.seq ?? after;
    }
    if (rejoin) await this.#catchUpChanges(held, patience);
    if (this.#isClosed()) return;
    // Only now: a re-join cut short before here asks again from the previous cursor.
    this.#rev = result.rev;
    this.#state = RoomState.JOINED;
    this.emitter.emit('updated');
    void this.#flushOutbox();
  }

  /** @internal */
  _receiveMessage(message: Message): void {
    if (this.#state === RoomState.LEFT || this.#state === RoomState.ENDED) return;
    if (this.#state === RoomState.JOINED && this.#log.hasSeq(message.seq) && !this.#log.get(message.id)) {
      // Another message under a seq we hold: the room's history started over while we stayed
      // connected (Redis lost an ephemeral room's counter). Join again: the epoch tells.
      this.#rejoinNow(message);
      return;
    }
    // A copy of a message held already is not newer (its changes come as `message:updated`).
    if (this.#apply([message], CopyKind.NEW, this.#state !== RoomState.JOINING)) this.emitter.emit('updated');
  }

  /** @internal A message changed (`message:updated`): applied if newer than the copy held. */
  _receiveUpdate(message: Message): void {
    if (this.#isClosed()) return;
    if (this.#joinUpdates) this.#joinUpdates.push(message);
    else if (this.#apply([message], CopyKind.CHANGE)) this.emitter.emit('updated');
  }

  // The message that showed the change belongs to the new history: kept once it is loaded.
  #rejoinNow(message: Message): void {
    if (this.#rejoining) return;
    this.#rejoining = true;
    this._join()
      .then(() => this._receiveMessage(message))
      .catch((error: unknown) => {
        if (!(error instanceof ConnectionLostError))
          this.emitter.emit('error', error instanceof ChatError ? error : builtInError('INTERNAL', String(error)));
      })
      .finally(() => (this.#rejoining = false));
  }

  /** @internal */
  _receivePresence(delta: PresenceDelta): void {
    const occupancy = this.#occupancy.delta(delta);
    if (occupancy.becameSmall) this.#reloadMembers();
    const joined: Member[] = [];
    const left: Member[] = [];
    const updated: Member[] = [];
    for (const member of [...delta.joined, ...delta.updated]) {
      if (!this.#members.has(member.id)) joined.push(member);
      else updated.push(member);
      this.#members.set(member.id, member);
      this.#reads.know(member);
      // Your own status, set here or on another device, as the others see it.
      if (member.id === this.#self?.id) this.#self = member;
    }
    for (const id of delta.left) {
      const member = this.#members.get(id);
      if (member && this.#members.delete(id)) left.push(member);
    }
    this.#countMembers(delta.joined, false);
    if (joined.length === 0 && left.length === 0 && updated.length === 0 && !occupancy.countChanged) return;
    this.emitter.emit('presence', { joined, left, updated, members: this.members, memberCount: this.memberCount });
    this.emitter.emit('updated');
  }

  // Members present are stored members: counted for read receipts (see RoomReads). A join answer
  // without marks while others are here is a room too big for receipts (a small room's answer
  // lists every other member's mark).
  #countMembers(present: readonly Member[], noMarks: boolean): void {
    if (this.#room?.options.ephemeral === true) return;
    const selfId = this.#self?.id;
    if (noMarks && present.some((m) => m.id !== selfId)) this.#reads.noReceipts();
    this.#reads.present(this.memberCount);
    for (const m of present) this.#reads.member(m.id);
  }

  // A large room became small: its list is read whole once, then kept by deltas as before.
  #reloadMembers(): void {
    this.#occupancy
      .loadAll()
      .then(() => {
        if (!this.#isClosed()) this.emitter.emit('updated');
      })
      .catch(() => {
        // The next join (or the next change to large) reads the list again.
      });
  }

  /** @internal A member's read mark moved (`read`). */
  _receiveRead(read: ReadState): void {
    if (this.#isClosed() || !this.#reads.moved(read.userId, read.seq, this.#self?.id)) return;
    this.emitter.emit('read', { userId: read.userId, seq: read.seq });
    this.emitter.emit('updated');
  }

  /** @internal The server's mark is ahead of this room's (read on another device, seen in the conversations list). */
  _readElsewhere(seq: number): void {
    const self = this.#self?.id;
    if (this.#isClosed() || self === undefined || !this.#reads.moved(self, seq, self)) return;
    this.emitter.emit('read', { userId: self, seq });
    this.emitter.emit('updated');
  }

  /** @internal What the conversations list needs; none before the first join answer or in ephemeral rooms. */
  _conversationView(): JoinedRoomView | undefined {
    const room = this.#room;
    if (!room || room.options.ephemeral === true || this.#isClosed()) return undefined;
    const log = this.#log;
    const selfId = this.#self?.id ?? '';
    return {
      room,
      readSeq: this.#reads.readSeq,
      lastMessage: log.messages.at(-1),
      mentionsAfter: (seq) => {
        // Countable when every message after `seq` is loaded: the oldest loaded is right after
        // it, or there is nothing older at all.
        const oldest = log.oldestSeq;
        if (oldest !== undefined && oldest > seq + 1 && this.#hasMoreHistory) return undefined;
        return mentionsAfter(log.messages, seq, selfId);
      },
    };
  }

  /** @internal */
  _receiveTyping(users: UserRef[], count?: number): void {
    this.#typing = users.filter((u) => u.id !== this.#self?.id);
    // Past a few typists, you may be among those not named: counted out only when named.
    this.#typingCount =
      count === undefined ? this.#typing.length : Math.max(this.#typing.length, count - (users.length - this.#typing.length));
    this.emitter.emit('typing', this.#typing, this.#typingCount);
  }

  /** @internal The server took this socket out of the room. */
  _removed(reason: RoomRemovedReason, event: RoomRemovedEvent = { roomId: this.id, reason }): void {
    if (this.#state === RoomState.LEFT || this.#state === RoomState.ENDED) return;
    this.#close(RoomState.LEFT, removalError(event));
    // Who is here is no longer ours to know.
    this.#members.clear();
    this.#typing = [];
    this.#typingCount = 0;
    this.emitter.emit('removed', reason, event);
  }

  /** @internal The room's title, metadata or options changed (`room:updated`, or the answer of `moderate()`). */
  _roomUpdated(room: PublicRoom): void {
    if (this.#isClosed()) return;
    this.#room = room;
    this.emitter.emit('updated');
  }

  /** Whether you are an owner or moderator of this room (from your member entry): show moderation actions. */
  get canModerate(): boolean {
    return canModerate(this.#self);
  }

  /** Moderators: takes a user out of the room now (they may join again). `FORBIDDEN` unless your role allows it. */
  kick(userId: string, options: { reason?: string } = {}): Promise<void> {
    return this.#moderation.kick(userId, options);
  }

  /**
   * Moderators: bans a user from the room until `until` (or until lifted); they leave it now and
   * their joins answer `BANNED`.
   * @example await room.ban(member.id, { until: new Date(Date.now() + 3_600_000), reason: 'Spam' });
   */
  ban(userId: string, options: RestrictionOptions = {}): Promise<void> {
    return this.#moderation.ban(userId, options);
  }

  /** Moderators: lifts a ban. */
  unban(userId: string): Promise<void> {
    return this.#moderation.unban(userId);
  }

  /** Moderators: mutes a user until `until` (or until lifted): they read but cannot send, edit or react (`MUTED`). */
  mute(userId: string, options: RestrictionOptions = {}): Promise<void> {
    return this.#moderation.mute(userId, options);
  }

  /** Moderators: lifts a mute. */
  unmute(userId: string): Promise<void> {
    return this.#moderation.unmute(userId);
  }

  /** Owners: makes a member `moderator`, `owner` or `member` again. */
  setRole(userId: string, role: MemberRole): Promise<void> {
    return this.#moderation.setRole(userId, role);
  }

  /** Moderators: freezes the room (read-only for members) or sets slow mode; resolves with the room after. */
  async moderate(input: RoomModerationInput): Promise<PublicRoom> {
    const room = await this.#moderation.moderate(input);
    this._roomUpdated(room);
    return room;
  }

  /** Reports someone's message to the room's hosts (once per message; a second report changes nothing). */
  report(messageId: string, reason: string): Promise<void> {
    return this.#moderation.report(messageId, reason);
  }

  /** @internal */
  _ended(room: PublicRoom): void {
    this.#room = room;
    this.#close(RoomState.ENDED, builtInError('ROOM_ENDED', 'The room ended before this message was sent.'));
    this.emitter.emit('ended', room);
  }

  /** @internal The client's credentials changed: the next join may be another user's. */
  _credentialsChanged(): void {
    this.#outbox.credentialsChanged();
  }

  /** @internal The connection dropped: typing and presence are stale until the re-join. */
  _connectionLost(): void {
    if (this.#typingCount > 0) this._receiveTyping([]);
    this.#typingSentAt = 0;
  }

  /** @internal A re-join was refused for good (the room is gone, say): the room is left, with that error. */
  _lost(error: ChatError): void {
    if (this.#isClosed()) return;
    this.#close(RoomState.LEFT, error);
  }

  /** @internal The client is closing for good. */
  _dispose(): void {
    this.#close(RoomState.LEFT, builtInError('NOT_IN_ROOM', 'The chat client was closed before this message was sent.'));
  }

  #applyJoin(result: RoomJoinResult, rejoin: boolean, wasIn: boolean): void {
    this.#room = result.room;
    this.#epoch = result.epoch;
    this.#self = result.self;
    this.#commands = result.commands ?? [];
    this.link.calls?.roomJoined(this.id, result.calls);
    // The server's marks: newer than ours when another device read meanwhile.
    const reads = result.reads ?? [];
    this.#reads.joined(result.readSeq ?? 0, reads, result.self.id);
    const before = new Map(this.#members);
    this.#members.clear();
    for (const m of result.members) {
      this.#members.set(m.id, m);
      this.#reads.know(m);
    }
    this.#occupancy.joined(result);
    this.#countMembers(result.members, reads.length === 0);
    if (!rejoin) {
      this.#hasMoreHistory = result.hasMore;
      this.#log.begin(result.messages, result.room.options.ephemeral === true);
    }
    this.#add(result.messages, rejoin);
    if (wasIn) {
      const joined = result.members.filter((m) => !before.has(m.id));
      const left = [...before.values()].filter((m) => !this.#members.has(m.id));
      if (joined.length > 0 || left.length > 0)
        this.emitter.emit('presence', { joined, left, updated: [], members: this.members, memberCount: this.memberCount });
    }
  }

  #ownMarkMoved(seq: number): void {
    const self = this.#self?.id;
    if (self !== undefined) this.emitter.emit('read', { userId: self, seq });
    this.emitter.emit('updated');
  }

  // Live changes held back while a join was under way: applied by rev, like any other.
  #applyJoinUpdates(): void {
    const updates = this.#joinUpdates;
    this.#joinUpdates = undefined;
    if (updates && updates.length > 0 && !this.#isClosed() && this.#apply(updates, CopyKind.CHANGE)) this.emitter.emit('updated');
  }

  // Catches up the changes (edits, deletes, reactions) to the messages held before a re-join,
  // made after the last completed join: one entry per changed message, paged by rev.
  async #catchUpChanges(held: HeldRange, patience: Patience): Promise<void> {
    const { minSeq, maxSeq } = held;
    if (held.since === undefined || minSeq === undefined || maxSeq < minSeq) return;
    let changedAfter = held.since;
    for (;;) {
      const page = await this.#patiently('message:history', { roomId: this.id, changedAfter, minSeq, maxSeq }, patience);
      if (this.#isClosed()) return;
      this.#apply(page.messages, CopyKind.CHANGE);
      const last = page.messages.at(-1);
      if (!page.hasMore || !last) return;
      changedAfter = last.rev;
    }
  }

  // Forgets every message of a history that is gone (the outbox stays: it is sent again).
  #reset(): void {
    this.#log.clear();
    this.#rev = undefined;
    this.#ownReactions.clear();
    this.#hasMoreHistory = false;
    this.#gaps.stop();
  }

  // A request the server may ask us to repeat later (RATE_LIMITED, TIMEOUT): waits as told and
  // tries again, a bounded number of times, while the room is still wanted.
  // With `patience.socketId` (a re-join), there is no bound, but the request is not repeated on
  // another connection than the one it started on.
  async #patiently<E extends RequestEvent>(event: E, payload: RequestPayload<E>, patience: Patience = {}): Promise<ResponseData<E>> {
    const bounded = !('socketId' in patience);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.link.request(event, payload);
      } catch (error) {
        // A first join cut off by a disconnect is not joined on the server (it forgets a closed
        // connection's rooms): ask again once connected. (A re-join is started again by the client.)
        if (error instanceof ConnectionLostError && bounded && event === 'room:join' && !this.link.connected && !this.#isClosed()) continue;
        const wait = error instanceof ChatError && !(error instanceof ConnectionLostError) ? waitBeforeRetry(error) : undefined;
        if (wait === undefined || (bounded && (wait > MAX_WAIT_MS || attempt >= MAX_WAITS)) || this.#isClosed()) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.#isClosed()) throw this.#closedError();
        if (!bounded && this.link.socketId !== patience.socketId) {
          throw new ConnectionLostError('The connection changed while waiting; the new one joins again.');
        }
      }
    }
  }

  // A page of messages (join, history, a send's ack): new ones are added in seq order, held ones
  // replaced only by a higher rev. True when anything changed.
  #add(messages: Message[], announce: boolean): boolean {
    return this.#apply(messages, CopyKind.PAGE, announce);
  }

  // Applies copies by where they came from (see CopyKind) and tells the listeners: `message`
  // for a new one (when `announce`), `messageUpdated` for a newer copy of a held one.
  #apply(messages: readonly Message[], kind: CopyKind, announce = true): boolean {
    const { added, updated } = this.#log.apply(messages, kind);
    if (this.#room?.options.ephemeral !== true) {
      // The server marks a sender's message read by its sender.
      for (const message of added) {
        this.#reads.know(message.user);
        this.#reads.sent(message, this.#self?.id);
      }
    }
    if (announce) for (const message of added) this.emitter.emit('message', message);
    for (const message of updated) this.emitter.emit('messageUpdated', message);
    this.#gaps.watch();
    return added.length > 0 || updated.length > 0;
  }

  // One flusher at a time, oldest first, one message on the wire at a time: the server
  // stores a sender's messages in the order they were sent.
  async #flushOutbox(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      for (;;) {
        if (this.#state !== RoomState.JOINED || !this.link.connected) return;
        const self = this.self;
        if (!self) return;
        if (!this.#outbox.attachedTo(self.id)) {
          // The first join says who the sender is: what earlier pages of this user left for
          // this room goes first (a kept outbox, see ChatClientOptions.outbox). A join as
          // another user (new credentials) takes the previous user's entries out, unsent.
          await this.#outbox.attach(self.id);
          this.emitter.emit('updated');
          continue;
        }
        const entry = this.#outbox.sendable()[0];
        if (!entry || !this.#outbox.claim(entry.clientId)) return;
        const retryIn = await this.#deliver(entry);
        if (retryIn !== undefined) {
          this.#scheduleRetry(retryIn);
          return;
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  // Returns a delay when the entry should be tried again later. Runs under the outbox's lock on
  // the entry, so another page of the same user does not send it meanwhile.
  #deliver(entry: OutboxEntry): Promise<number | undefined> {
    return this.#outbox.exclusively(entry.clientId, () => this.#deliverNow(entry));
  }

  async #deliverNow(entry: OutboxEntry): Promise<number | undefined> {
    const clientId = entry.clientId;
    // Another page may have delivered it, or seen it refused, while this one waited.
    const go = await this.#outbox.stillToSend(clientId, () => this.messages.find((m) => m.clientId === clientId));
    if (!go || !this.link.connected) {
      // Settled by another page: nothing to send. Or offline now: it waits for the next flush,
      // without holding the lock while the connection is away.
      if (go) this.#outbox.release(clientId);
      else this.emitter.emit('updated');
      return undefined;
    }
    try {
      const { message } = await this.link.request('message:send', {
        roomId: this.id,
        clientId: entry.clientId,
        text: entry.text,
        ...(entry.attachments.length > 0 && { attachments: entry.attachments }),
        ...(entry.replyTo !== undefined && { replyTo: entry.replyTo }),
        ...(entry.mentions !== undefined && { mentions: entry.mentions }),
      });
      const forgotten = this.#outbox.acked(entry.clientId, message);
      // Stored, so send() resolves; but a room left meanwhile shows nothing new.
      if (!this.#isClosed()) {
        this.#add([message], true);
        this.emitter.emit('updated');
      }
      // The lock is held until the kept outbox has forgotten the entry too.
      await forgotten;
      return undefined;
    } catch (error) {
      if (error instanceof ConnectionLostError) {
        this.#outbox.release(entry.clientId);
        return this.link.connected ? TIMEOUT_RETRY_MS : undefined;
      }
      const chatError = error instanceof ChatError ? error : builtInError('INTERNAL', String(error), { cause: error });
      // Not refused: RATE_LIMITED says when to come back; TIMEOUT says the outcome is unknown,
      // and the same clientId makes the resend safe (stored once).
      const wait = waitBeforeRetry(chatError);
      if (wait !== undefined) {
        this.#outbox.release(entry.clientId);
        return wait;
      }
      const kept = this.#outbox.failed(entry.clientId, chatError);
      this.emitter.emit('updated');
      await kept;
      return undefined;
    }
  }

  #scheduleRetry(ms: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#flushOutbox(), ms);
  }

  #close(state: RoomState, error: ChatError): void {
    this.#state = state;
    clearTimeout(this.#retryTimer);
    this.#gaps.stop();
    this.#outbox.failAll(error);
    this.link.calls?.roomClosed(this.id);
    this.link.detach(this.id);
    this.emitter.emit('updated');
  }

  // A method, not an inline check: TypeScript would keep its narrowing across an await.
  #isClosed(): boolean {
    return this.#state === RoomState.LEFT || this.#state === RoomState.ENDED;
  }

  #closedError(): ChatError {
    return this.#state === RoomState.ENDED
      ? builtInError('ROOM_ENDED', 'This room has ended.')
      : builtInError('NOT_IN_ROOM', 'You are no longer in this room.');
  }
}

/** The messages a re-join holds already: changed after `since`, they are caught up by rev. */
interface HeldRange {
  /** The `rev` of the last completed join (none yet: nothing to catch up). */
  since: number | undefined;
  /** The oldest seq held. */
  minSeq: number | undefined;
  /** The watermark: every message up to it is held (later ones are fetched again by seq). */
  maxSeq: number;
}

/** How a request is repeated when the server says to wait (see `#patiently`). */
interface Patience {
  /** Set for a re-join: the connection it runs on (no bound on the waits, no repeat on another). */
  socketId?: string | undefined;
}
