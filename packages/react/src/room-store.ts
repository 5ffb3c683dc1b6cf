import {
  ChatError,
  ConnectionState,
  ErrorCode,
  RoomState,
  type ChatClient,
  type ChatRoom,
  type Member,
  type Message,
  type MessageDraftInput,
  type OutboxEntry,
  type PendingQuestion,
  type UserRef,
} from '@chat/client';
import { builtInError, type PollsJoin } from '@chat/protocol';

/** What `useChatRoom` shows of a room; a new object whenever anything in it changed. */
export interface ChatRoomSnapshot {
  /** The SDK's room (for `history()`, `typing()`, `retry()`...); undefined until the hook has joined it. */
  room: ChatRoom | undefined;
  /** `joining` until the server answered; `left` when the join failed (see `error`), or the server removed you. */
  state: RoomState;
  /** Loaded messages, ordered by seq. */
  messages: readonly Message[];
  /** Who is here now, one entry per user; in a large room (`isLarge`), those loaded so far (`room.loadMembers()` pages on). */
  members: readonly Member[];
  /** How many are here: exact, in a large room too. */
  memberCount: number;
  /** The room is large (the server's `largeRoomThreshold`): `members` is a page, not everyone. */
  isLarge: boolean;
  /** A large room has members not loaded yet. */
  hasMoreMembers: boolean;
  /** Who is typing now, yourself left out (in a large room at most a few names: see `typingCount`). */
  typing: readonly UserRef[];
  /** How many are typing, yourself left out: more than `typing.length` in a large room ("several people are typing"). */
  typingCount: number;
  /** Your messages not yet stored (`pending`) or refused (`failed`), in send order. */
  outbox: readonly OutboxEntry[];
  /** Why the join failed, or the last error the room reported. */
  error: ChatError | undefined;
  /** The room's pinned messages, newest pin first (`room.pins.list`; empty where the server has no `pins()`). */
  pinned: readonly Message[];
  /** Your choices in each poll of the room, option ids by message id (`room.polls.myVotes(id)`; the server's `polls()`). */
  myVotes: Readonly<Record<string, readonly string[]>>;
  /** The questions you upvoted, by message id, newest first (`room.questions.myUpvotes`; the server's `questions()`). */
  myUpvotes: readonly string[];
  /** Your questions waiting for a moderator's approval, oldest first (`room.questions.myPending`; `questions({ approval: true })`). */
  myPendingQuestions: readonly PendingQuestion[];
  /** How many questions wait for approval in the room (`room.questions.pendingCount`): moderators list them with `room.questions.pending()`. */
  pendingQuestions: number;
}

/** The snapshot before a room is joined, and during server rendering. */
export const IDLE_SNAPSHOT: ChatRoomSnapshot = Object.freeze({
  room: undefined,
  state: RoomState.JOINING,
  messages: Object.freeze([]),
  members: Object.freeze([]),
  memberCount: 0,
  isLarge: false,
  hasMoreMembers: false,
  typing: Object.freeze([]),
  typingCount: 0,
  outbox: Object.freeze([]),
  error: undefined,
  pinned: Object.freeze([]),
  myVotes: Object.freeze({}),
  myUpvotes: Object.freeze([]),
  myPendingQuestions: Object.freeze([]),
  pendingQuestions: 0,
});

/**
 * How long a room with no holder stays joined. StrictMode unmounts and mounts again at once, a
 * list re-keyed in one render does the same: neither should leave the room and join it again.
 */
const LEAVE_DELAY_MS = 0;

/**
 * One room of one client, as an external store for `useSyncExternalStore`, shared by every
 * component that shows it: joined on the first hold, left once the last hold is released.
 *
 * `client.join()` hands every caller the same ChatRoom and `room.leave()` leaves it for all of
 * them, so the holds are counted here, and the leave waits a tick so that a hold taken again
 * right away (StrictMode's second mount) keeps the room joined instead of leaving and joining.
 */
export class RoomStore {
  readonly roomId: string;
  readonly #client: ChatClient;
  readonly #listeners = new Set<() => void>();
  #holds = 0;
  #leaveTimer: ReturnType<typeof setTimeout> | undefined;
  /** A hold is taken (or was, and the leave has not happened yet). */
  #active = false;
  /** Bumped on each start and stop: the answer to a join that is no longer wanted is ignored. */
  #generation = 0;
  #room: ChatRoom | undefined;
  #roomOffs: Array<() => void> = [];
  #clientOff: (() => void) | undefined;
  #joinFailed = false;
  #removed = false;
  #error: ChatError | undefined;
  #snapshot: ChatRoomSnapshot = IDLE_SNAPSHOT;
  #stale = false;

  constructor(client: ChatClient, roomId: string) {
    this.#client = client;
    this.roomId = roomId;
  }

  /** Listens to changes (for `useSyncExternalStore`); returns the function that stops. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** The room as it is now; the same object until something changes. */
  readonly getSnapshot = (): ChatRoomSnapshot => {
    if (this.#stale) {
      this.#stale = false;
      this.#snapshot = this.#build(this.#snapshot);
    }
    return this.#snapshot;
  };

  /** Wants the room joined: joins it on the first hold. Call the returned function to let go (once). */
  hold(): () => void {
    this.#holds++;
    if (this.#leaveTimer !== undefined) {
      clearTimeout(this.#leaveTimer);
      this.#leaveTimer = undefined;
    } else if (!this.#active) {
      this.#start();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      if (this.#holds > 0) return;
      this.#leaveTimer = setTimeout(() => {
        this.#leaveTimer = undefined;
        this.#stop();
      }, LEAVE_DELAY_MS);
    };
  }

  /** Sends a message in the room (see `ChatRoom.send`). */
  send(input: string | MessageDraftInput): Promise<Message> {
    const room = this.#room;
    if (!room || !this.#active) {
      return Promise.reject(builtInError(ErrorCode.NOT_IN_ROOM, `The room "${this.roomId}" is not joined yet; try again in a moment.`));
    }
    return room.send(input);
  }

  #start(): void {
    this.#active = true;
    // A join that failed (a refused sign-in, say) is tried again when the client connects next
    // (after `client.setAuth(...)`, or a reconnect).
    this.#clientOff ??= this.#client.on('state', (state) => {
      if (state !== ConnectionState.CONNECTED || !this.#joinFailed || !this.#active) return;
      this.#detach();
      this.#start();
    });
    this.#joinFailed = false;
    this.#removed = false;
    this.#error = undefined;
    void this.#join(++this.#generation);
  }

  async #join(generation: number): Promise<void> {
    const client = this.#client;
    for (;;) {
      const joining = client.join(this.roomId);
      const room = client.getRoom(this.roomId);
      if (!room) {
        // The SDK handed out the join of a room that was left while its join was under way
        // (StrictMode's first mount, a quick remount): let that one settle, then join anew.
        await joining.catch(() => undefined);
        if (generation !== this.#generation) return;
        continue;
      }
      this.#attach(room);
      try {
        await joining;
      } catch (error) {
        if (generation !== this.#generation) return;
        this.#joinFailed = true;
        this.#error = toChatError(error);
        this.#changed();
      }
      return;
    }
  }

  #attach(room: ChatRoom): void {
    this.#room = room;
    this.#roomOffs = [
      room.on('updated', () => this.#changed()),
      // Typing is not an 'updated' change in the SDK.
      room.on('typing', () => this.#changed()),
      room.on('removed', () => {
        this.#removed = true;
      }),
      room.on('error', (error) => {
        this.#error = error;
        this.#changed();
      }),
    ];
    this.#changed();
  }

  #detach(): void {
    for (const off of this.#roomOffs.splice(0)) off();
    this.#room = undefined;
  }

  #stop(): void {
    this.#active = false;
    this.#generation++;
    this.#clientOff?.();
    this.#clientOff = undefined;
    const room = this.#room;
    this.#detach();
    this.#joinFailed = false;
    this.#error = undefined;
    // Nothing of the left room is kept (a store lives as long as its client).
    this.#snapshot = IDLE_SNAPSHOT;
    this.#stale = false;
    for (const listener of [...this.#listeners]) listener();
    // A leave cut off by a lost connection is a leave too: the server forgets a closed socket's rooms.
    room?.leave().catch(() => undefined);
  }

  #changed(): void {
    this.#stale = true;
    for (const listener of [...this.#listeners]) listener();
    const room = this.#room;
    if (room && room.state === RoomState.LEFT) {
      // After the room's own events ('removed' comes after 'updated'), and after client.close() is done.
      queueMicrotask(() => this.#keepJoined(room));
    }
  }

  // Other code on the same client left the room (a <chat-room> given this client, unmounted)
  // while a component here still shows it: join it again. Not after a removal, a failed join,
  // or with the client closed or refused.
  #keepJoined(room: ChatRoom): void {
    if (room !== this.#room || !this.#active || this.#leaveTimer !== undefined) return;
    if (this.#removed || this.#joinFailed || room.state !== RoomState.LEFT) return;
    if (this.#client.state === ConnectionState.DISCONNECTED) return;
    this.#detach();
    this.#start();
  }

  #build(previous: ChatRoomSnapshot): ChatRoomSnapshot {
    const room = this.#room;
    if (!room) return this.#error === undefined ? IDLE_SNAPSHOT : { ...IDLE_SNAPSHOT, error: this.#error };
    // Unchanged lists keep their identity, so that memoized children skip a render; a snapshot
    // with nothing changed (a typing signal repeated) is the previous one, and renders nothing.
    const next: ChatRoomSnapshot = {
      room,
      state: this.#joinFailed ? RoomState.LEFT : room.state,
      messages: same(previous.messages, room.messages),
      members: same(previous.members, room.members),
      memberCount: room.memberCount,
      isLarge: room.isLarge,
      hasMoreMembers: room.hasMoreMembers,
      typing: same(previous.typing, room.typingUsers),
      typingCount: room.typingCount,
      outbox: same(previous.outbox, room.outbox),
      error: this.#error,
      pinned: same(previous.pinned, room.pins.list),
      // The plugin's state object is replaced on each change: the same object is the same choices.
      myVotes: (room.plugins['polls'] as PollsJoin | undefined)?.myVotes ?? IDLE_SNAPSHOT.myVotes,
      myUpvotes: same(previous.myUpvotes, room.questions.myUpvotes),
      myPendingQuestions: same(previous.myPendingQuestions, room.questions.myPending),
      pendingQuestions: room.questions.pendingCount,
    };
    const keys = Object.keys(next) as Array<keyof ChatRoomSnapshot>;
    return keys.every((key) => next[key] === previous[key]) ? previous : next;
  }
}

/** `previous` when `next` holds the same items in the same order, else a copy of `next`. */
export function same<T>(previous: readonly T[], next: readonly T[]): readonly T[] {
  if (previous.length === next.length && previous.every((item, i) => item === next[i])) return previous;
  return next.slice();
}

function toChatError(error: unknown): ChatError {
  return error instanceof ChatError ? error : builtInError(ErrorCode.INTERNAL, String(error), { cause: error });
}

const stores = new WeakMap<ChatClient, Map<string, RoomStore>>();

/**
 * The store of `roomId` on `client`, made on first use. Kept for the life of the client (one
 * small object per room id; a left room holds no messages), so that every component showing a
 * room counts its hold in the same place.
 */
export function roomStore(client: ChatClient, roomId: string): RoomStore {
  let byId = stores.get(client);
  if (!byId) stores.set(client, (byId = new Map<string, RoomStore>()));
  let store = byId.get(roomId);
  if (!store) byId.set(roomId, (store = new RoomStore(client, roomId)));
  return store;
}
