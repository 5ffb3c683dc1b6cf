import {
  ChatError,
  type Attachment,
  type Member,
  type Message,
  type PresenceDelta,
  type PublicRoom,
  type RoomJoinResult,
  type RoomRemovedReason,
  type UserRef,
} from '@chat/protocol';
import { Outbox, OutboxStatus, type OutboxEntry } from './outbox.js';
import { ConnectionLostError, type RequestEvent, type RequestPayload, type ResponseData, type RoomLink } from './room-link.js';
import { Subscribable } from './subscribable.js';
import { uuid } from './uuid.js';

/** What `room.send()` takes besides plain text. */
export interface MessageDraftInput {
  text?: string;
  attachments?: Attachment[];
  replyTo?: string;
}

/** A presence change as the room saw it. */
export interface PresenceChange {
  joined: Member[];
  left: Member[];
  /** Everyone present after the change. */
  members: Member[];
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
  presence: (change: PresenceChange) => void;
  /** Who is typing now, yourself left out. */
  typing: (users: UserRef[]) => void;
  /** Anything a view shows changed: messages, members, outbox, room. */
  updated: () => void;
  ended: (room: PublicRoom) => void;
  /** The server took you out of the room (it was made private to others, say). */
  removed: (reason: RoomRemovedReason) => void;
  /** Some messages cannot be had (see {@link Discontinuity}); tell the user. */
  discontinuity: (event: Discontinuity) => void;
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

const TIMEOUT_RETRY_MS = 1000;
/** How often a join or catch-up page is tried again when the server says to wait. */
const MAX_WAITS = 30;
/** A wait longer than this is not waited out: the request fails with the server's answer. */
const MAX_WAIT_MS = 10_000;
/** How long a hole in the seqs may last before the room fetches what is missing. */
const GAP_FILL_MS = 1500;

/**
 * A joined room: messages in `seq` order without duplicates, members, typing, and an outbox
 * that survives reconnects. Get one from `client.join(roomId)`.
 */
export class ChatRoom extends Subscribable<ChatRoomEvents> {
  readonly id: string;
  #state: RoomState = RoomState.JOINING;
  #room: PublicRoom | undefined;
  #self: Member | undefined;
  readonly #messages: Message[] = [];
  readonly #byId = new Map<string, Message>();
  readonly #seqs = new Set<number>();
  /** Every message with seq <= watermark that exists after the first loaded one has been received. */
  #watermark = 0;
  #hasMoreHistory = false;
  /** The history the seqs belong to (from the join ack). */
  #epoch: string | undefined;
  /**
   * Joined an ephemeral room with nothing to show: where its seqs stand is unknown until the
   * first message, and what came before the join is not missing, just not ours.
   */
  #baselineUnknown = false;
  /** A re-join started by this room itself (its history changed under it) is under way. */
  #rejoining = false;
  readonly #members = new Map<string, Member>();
  #typing: UserRef[] = [];
  readonly #outbox = new Outbox();
  #flushing = false;
  #typingSentAt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #gapTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal Created by ChatClient. */
  constructor(
    private readonly link: RoomLink,
    id: string,
  ) {
    super();
    this.id = id;
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
    return this.#messages;
  }
  /** Who is here now. */
  get members(): Member[] {
    return [...this.#members.values()];
  }
  /** Who is typing now, yourself left out. */
  get typingUsers(): readonly UserRef[] {
    return this.#typing;
  }
  /** Messages not yet acknowledged (pending) or refused (failed), in send order. */
  get outbox(): OutboxEntry[] {
    return this.#outbox.entries();
  }
  /** Older messages exist beyond the oldest loaded one. */
  get hasMoreHistory(): boolean {
    return this.#hasMoreHistory;
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
    if (!stored) return Promise.reject(new ChatError('MESSAGE_NOT_FOUND', 'There is no failed message with this clientId in the outbox.'));
    this.emitter.emit('updated');
    void this.#flushOutbox();
    return stored;
  }

  /** Drops a failed message from the outbox. */
  discard(clientId: string): void {
    if (this.#outbox.remove(clientId)) this.emitter.emit('updated');
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
    const before = options.before ?? this.#messages[0]?.seq;
    if (before === undefined && options.before === undefined && this.#messages.length === 0 && !this.#hasMoreHistory) {
      return { messages: [], hasMore: false };
    }
    const page = await this.#patiently('message:history', {
      roomId: this.id,
      ...(before !== undefined && { before }),
      ...(options.limit !== undefined && { limit: options.limit }),
    });
    const oldest = this.#messages[0]?.seq;
    this.#add(page.messages, false);
    if (oldest === undefined || (before !== undefined && before <= oldest)) this.#hasMoreHistory = page.hasMore;
    this.emitter.emit('updated');
    return page;
  }

  /** Leaves the room; messages still in the outbox fail with NOT_IN_ROOM. */
  async leave(): Promise<void> {
    if (this.#state === RoomState.LEFT || this.#state === RoomState.ENDED) return;
    this.#close(RoomState.LEFT, new ChatError('NOT_IN_ROOM', 'You left the room before this message was sent.'));
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
    // A re-join belongs to the connection it started on (the next one starts its own) and
    // waits as long as the server says: no one awaits it, and giving up would lose the room.
    const patience: Patience = rejoin ? { socketId: this.link.socketId } : {};
    const result = await this.#patiently(
      'room:join',
      rejoin ? { roomId: this.id, since: this.#watermark, ...(epoch !== undefined && { epoch }) } : { roomId: this.id },
      patience,
    );
    if (this.#isClosed()) {
      // Left while the server was joining us: it has us in the room now, so leave again.
      if (this.link.connected) this.link.request('room:leave', { roomId: this.id }).catch(() => undefined);
      return;
    }
    if (rejoin && result.epoch !== epoch) {
      // The server's history of this room started over (a restarted memory store): what we
      // hold belongs to another history. Start again from this answer, as on a first join.
      this.#reset();
      rejoin = false;
      this.emitter.emit('discontinuity', { reason: 'reset' });
    }
    this.#applyJoin(result, rejoin);
    let more = rejoin && result.hasMore;
    let after = result.messages.at(-1)?.seq ?? this.#watermark;
    while (more) {
      const page = await this.#patiently('message:history', { roomId: this.id, after }, patience);
      if (this.#isClosed()) return;
      this.#add(page.messages, true);
      more = page.hasMore && page.messages.length > 0;
      after = page.messages.at(-1)?.seq ?? after;
    }
    this.#state = RoomState.JOINED;
    this.emitter.emit('updated');
    void this.#flushOutbox();
  }

  /** @internal */
  _receiveMessage(message: Message): void {
    if (this.#state === RoomState.LEFT || this.#state === RoomState.ENDED) return;
    if (this.#state === RoomState.JOINED && this.#seqs.has(message.seq) && !this.#byId.has(message.id)) {
      // Another message under a seq we hold: the room's history started over while we stayed
      // connected (Redis lost an ephemeral room's counter). Join again: the epoch tells.
      this.#rejoinNow(message);
      return;
    }
    if (this.#add([message], this.#state !== RoomState.JOINING)) this.emitter.emit('updated');
  }

  // The message that showed the change belongs to the new history: kept once it is loaded.
  #rejoinNow(message: Message): void {
    if (this.#rejoining) return;
    this.#rejoining = true;
    this._join()
      .then(() => this._receiveMessage(message))
      .catch((error: unknown) => {
        if (!(error instanceof ConnectionLostError))
          this.emitter.emit('error', error instanceof ChatError ? error : new ChatError('INTERNAL', String(error)));
      })
      .finally(() => (this.#rejoining = false));
  }

  /** @internal */
  _receivePresence(delta: PresenceDelta): void {
    const joined: Member[] = [];
    const left: Member[] = [];
    for (const member of [...delta.joined, ...delta.updated]) {
      if (!this.#members.has(member.id)) joined.push(member);
      this.#members.set(member.id, member);
    }
    for (const id of delta.left) {
      const member = this.#members.get(id);
      if (member && this.#members.delete(id)) left.push(member);
    }
    if (joined.length === 0 && left.length === 0 && delta.updated.length === 0) return;
    this.emitter.emit('presence', { joined, left, members: this.members });
    this.emitter.emit('updated');
  }

  /** @internal */
  _receiveTyping(users: UserRef[]): void {
    this.#typing = users.filter((u) => u.id !== this.#self?.id);
    this.emitter.emit('typing', this.#typing);
  }

  /** @internal The server took this socket out of the room. */
  _removed(reason: RoomRemovedReason): void {
    if (this.#state === RoomState.LEFT || this.#state === RoomState.ENDED) return;
    this.#close(RoomState.LEFT, new ChatError('FORBIDDEN', 'You were removed from this room before this message was sent.'));
    // Who is here is no longer ours to know.
    this.#members.clear();
    this.#typing = [];
    this.emitter.emit('removed', reason);
  }

  /** @internal */
  _ended(room: PublicRoom): void {
    this.#room = room;
    this.#close(RoomState.ENDED, new ChatError('ROOM_ENDED', 'The room ended before this message was sent.'));
    this.emitter.emit('ended', room);
  }

  /** @internal The connection dropped: typing and presence are stale until the re-join. */
  _connectionLost(): void {
    if (this.#typing.length > 0) this._receiveTyping([]);
    this.#typingSentAt = 0;
  }

  /** @internal A re-join was refused for good (the room is gone, say): the room is left, with that error. */
  _lost(error: ChatError): void {
    if (this.#isClosed()) return;
    this.#close(RoomState.LEFT, error);
  }

  /** @internal The client is closing for good. */
  _dispose(): void {
    this.#close(RoomState.LEFT, new ChatError('NOT_IN_ROOM', 'The chat client was closed before this message was sent.'));
  }

  #applyJoin(result: RoomJoinResult, rejoin: boolean): void {
    this.#room = result.room;
    this.#epoch = result.epoch;
    this.#self = result.self;
    const before = new Map(this.#members);
    this.#members.clear();
    for (const m of result.members) this.#members.set(m.id, m);
    if (!rejoin) {
      this.#hasMoreHistory = result.hasMore;
      this.#watermark = result.messages.at(-1)?.seq ?? 0;
      this.#baselineUnknown = result.room.options.ephemeral === true && result.messages.length === 0;
    }
    this.#add(result.messages, rejoin);
    if (rejoin) {
      const joined = result.members.filter((m) => !before.has(m.id));
      const left = [...before.values()].filter((m) => !this.#members.has(m.id));
      if (joined.length > 0 || left.length > 0) this.emitter.emit('presence', { joined, left, members: this.members });
    }
  }

  // Forgets every message of a history that is gone (the outbox stays: it is sent again).
  #reset(): void {
    this.#messages.length = 0;
    this.#byId.clear();
    this.#seqs.clear();
    this.#watermark = 0;
    this.#hasMoreHistory = false;
    clearTimeout(this.#gapTimer);
    this.#gapTimer = undefined;
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

  // Inserts in seq order, drops duplicates by id; true when anything was new.
  #add(messages: Message[], announce: boolean): boolean {
    if (this.#baselineUnknown && messages.length > 0) {
      this.#baselineUnknown = false;
      this.#watermark = Math.min(...messages.map((m) => m.seq)) - 1;
    }
    let added = false;
    for (const message of messages) {
      if (message.roomId !== this.id || this.#byId.has(message.id)) continue;
      this.#byId.set(message.id, message);
      this.#seqs.add(message.seq);
      const last = this.#messages.at(-1);
      if (!last || last.seq < message.seq) this.#messages.push(message);
      else this.#messages.splice(insertionIndex(this.#messages, message.seq), 0, message);
      added = true;
      if (announce) this.emitter.emit('message', message);
    }
    while (this.#seqs.has(this.#watermark + 1)) this.#watermark++;
    this.#watchGap();
    return added;
  }

  // Seqs are gap-free, so a hole that lasts means a broadcast was lost while connected (a
  // reconnect would catch up anyway): fetch what is missing. If the server has nothing to
  // fill it with (ephemeral rooms, a trimmed memory store), step over it instead of asking again.
  #watchGap(): void {
    if (this.#isClosed()) return;
    const last = this.#messages.at(-1)?.seq ?? 0;
    if (last <= this.#watermark || this.#gapTimer || this.#state === RoomState.JOINING) return;
    const holeAt = this.#watermark;
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = undefined;
      if (this.#watermark !== holeAt || this.#state !== RoomState.JOINED || !this.link.connected) return this.#watchGap();
      // No limit: the server's default page fits its own maxHistoryPage, whatever that is.
      this.link.request('message:history', { roomId: this.id, after: holeAt }).then(
        (page) => {
          if (this.#isClosed()) return;
          if (this.#add(page.messages, true)) this.emitter.emit('updated');
          if (this.#watermark === holeAt) {
            const next = this.#messages.find((m) => m.seq > holeAt)?.seq;
            if (next !== undefined) {
              this.#watermark = next - 1;
              this.emitter.emit('discontinuity', { reason: 'gap', after: holeAt, resumedAt: next });
            }
            while (this.#seqs.has(this.#watermark + 1)) this.#watermark++;
          }
          this.#watchGap();
        },
        () => this.#watchGap(),
      );
    }, GAP_FILL_MS);
  }

  // One flusher at a time, oldest first, one message on the wire at a time: the server
  // stores a sender's messages in the order they were sent.
  async #flushOutbox(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      for (;;) {
        if (this.#state !== RoomState.JOINED || !this.link.connected) return;
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

  // Returns a delay when the entry should be tried again later.
  async #deliver(entry: OutboxEntry): Promise<number | undefined> {
    try {
      const { message } = await this.link.request('message:send', {
        roomId: this.id,
        clientId: entry.clientId,
        text: entry.text,
        ...(entry.attachments.length > 0 && { attachments: entry.attachments }),
        ...(entry.replyTo !== undefined && { replyTo: entry.replyTo }),
      });
      this.#outbox.acked(entry.clientId, message);
      // Stored, so send() resolves; but a room left meanwhile shows nothing new.
      if (this.#isClosed()) return undefined;
      this.#add([message], true);
      this.emitter.emit('updated');
      return undefined;
    } catch (error) {
      if (error instanceof ConnectionLostError) {
        this.#outbox.release(entry.clientId);
        return this.link.connected ? TIMEOUT_RETRY_MS : undefined;
      }
      const chatError = error instanceof ChatError ? error : new ChatError('INTERNAL', String(error), { cause: error });
      // Not refused: RATE_LIMITED says when to come back; TIMEOUT says the outcome is unknown,
      // and the same clientId makes the resend safe (stored once).
      const wait = waitBeforeRetry(chatError);
      if (wait !== undefined) {
        this.#outbox.release(entry.clientId);
        return wait;
      }
      this.#outbox.failed(entry.clientId, chatError);
      this.emitter.emit('updated');
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
    clearTimeout(this.#gapTimer);
    this.#outbox.failAll(error);
    this.link.detach(this.id);
    this.emitter.emit('updated');
  }

  // A method, not an inline check: TypeScript would keep its narrowing across an await.
  #isClosed(): boolean {
    return this.#state === RoomState.LEFT || this.#state === RoomState.ENDED;
  }

  #closedError(): ChatError {
    return this.#state === RoomState.ENDED
      ? new ChatError('ROOM_ENDED', 'This room has ended.')
      : new ChatError('NOT_IN_ROOM', 'You are no longer in this room.');
  }
}

/** How a request is repeated when the server says to wait (see `#patiently`). */
interface Patience {
  /** Set for a re-join: the connection it runs on (no bound on the waits, no repeat on another). */
  socketId?: string | undefined;
}

// How long to wait before the same request may work, or undefined when it will not.
function waitBeforeRetry(error: ChatError): number | undefined {
  if (error.code === 'RATE_LIMITED') return error.retryAfter ?? TIMEOUT_RETRY_MS;
  if (error.code === 'TIMEOUT') return TIMEOUT_RETRY_MS;
  return undefined;
}

function insertionIndex(messages: Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as Message).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
