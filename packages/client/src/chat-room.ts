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
  type RoomRemovedEvent,
  type RoomRemovedReason,
  type ThreadRead,
  type MemberRole,
  type UserRef,
} from '@chat/protocol';
import type { Call } from './calls/call.js';
import type { StartCallOptions } from './calls/call-registry.js';
import type { JoinedRoomView } from './conversations/conversation-list.js';
import { markRead, readBy, readElsewhere, receiveRead, unreadAfter } from './room/room-reads.js';
import { conversationView } from './conversation-view.js';
import { canModerate, removalError, type RestrictionOptions, type RoomModerationInput } from './room/moderation.js';
import type { RoomModeration } from './room/moderation-requests.js';
import type { OutboxEntry } from './outbox/outbox.js';
import { draftEntry } from './outbox/outbox-entry.js';
import { loadMembers } from './room/room-members.js';
import type { OutboxStore } from './outbox/outbox-store.js';
import { reactedBy } from './room/reactions.js';
import type { RoomSync } from './room/room-sync.js';
import { resend } from './room-outbox.js';
import { type RoomLink } from './room-link.js';
import { RoomFeatures } from './room-features.js';
import { RoomState } from './core/room-state.js';
import type { UploadOptions } from './uploads/upload.js';
import type { SendVoiceOptions } from './uploads/send-voice.js';
import type { MessageDraftInput, MessageEditOptions } from './core/room-types.js';
import type { ChatThread } from './chat-thread.js';
import { closeParts, roomParts, type RoomParts } from './room-parts.js';
import type { MessageWindow } from './room/message-window.js';

/**
 * A joined room: messages in `seq` order without duplicates, members, typing, and an outbox
 * that survives reconnects. Get one from `client.join(roomId)`.
 */
export class ChatRoom extends RoomFeatures {
  readonly id: string;
  /** The room's state and log (`#parts._sync`, apart: nearly every method reads it). */
  readonly #sync: RoomSync;
  readonly #parts: RoomParts;
  readonly #link: RoomLink;

  /** @internal Created by ChatClient. */
  constructor(link: RoomLink, id: string) {
    super();
    this.#link = link;
    this.id = id;
    this.#parts = roomParts(link, id, {
      emitter: this.emitter,
      _onUpdated: (listener) => this.on('updated', listener),
      _post: (entry) => this.#post(entry),
    });
    this.#sync = this.#parts._sync;
  }

  get state(): RoomState {
    return this.#sync.state;
  }
  /** End-to-end encrypted (`options.encrypted`): with the client's `e2ee`, the SDK encrypts and decrypts. */
  get encrypted(): boolean {
    return this.#sync.room?.options.encrypted === true;
  }
  /** The room as the server last described it. */
  get room(): PublicRoom | undefined {
    return this.#sync.room;
  }
  /** Your own member entry, as the server knows you. */
  get self(): Member | undefined {
    return this.#sync.self;
  }
  /** Loaded messages, ordered by seq. */
  get messages(): readonly Message[] {
    return this.#sync.log.messages;
  }
  /** Who is here now; in a large room ({@link isLarge}) only those loaded so far: {@link memberCount} says how many there are. */
  get members(): Member[] {
    return this.#parts._members.list;
  }
  /** How many members the room has now, exactly (kept live, in rooms of any size). */
  get memberCount(): number {
    return this.#parts._members._occupancy.count;
  }
  /** The room has at least the server's `largeRoomThreshold` members (200 by default): `members` holds a page ({@link loadMembers}). */
  get isLarge(): boolean {
    return this.#parts._members._occupancy.large;
  }
  /** A large room has members not loaded yet ({@link loadMembers} reads them). */
  get hasMoreMembers(): boolean {
    return this.#parts._members._occupancy.hasMore;
  }
  /**
   * Loads the next page of a large room's members into `members`; resolves with those it added (none in a small room).
   * @example while (room.hasMoreMembers) await room.loadMembers();
   */
  loadMembers(limit?: number): Promise<Member[]> {
    return loadMembers(this.#parts._members, this.emitter, limit);
  }
  /** Every member, page by page from the start (each page is also merged into `members`). */
  memberPages(limit?: number): AsyncGenerator<Member[], void, undefined> {
    return this.#parts._members._occupancy.pages(limit);
  }
  /** Who is typing now, yourself left out. */
  get typingUsers(): readonly UserRef[] {
    return this.#parts._typing.users;
  }
  /** How many are typing, yourself left out; more than `typingUsers` names past a few typists. */
  get typingCount(): number {
    return this.#parts._typing.count;
  }
  /** Messages not yet acknowledged (pending) or refused (failed), in send order. */
  get outbox(): OutboxEntry[] {
    return this.#parts._outbox.entries().filter((entry) => entry.threadOf === undefined || entry.alsoInRoom === true);
  }
  /** Older messages exist beyond the oldest loaded one. */
  get hasMoreHistory(): boolean {
    return this.#sync.hasMoreHistory;
  }
  /** The seq you have read up to (0: nothing), the same on all your devices: put a "new messages" divider after it. */
  get readSeq(): number {
    return this.#parts._reads.readSeq;
  }
  /**
   * Messages of others in the room's log after your read mark (your own never count; thread-only
   * replies are not in the log, a reply sent `alsoInRoom` counts once); 0 in ephemeral rooms, which keep no marks.
   */
  get unreadCount(): number {
    return unreadAfter(this.#sync, this.#parts._unread, this.#parts._reads.readSeq);
  }

  /**
   * Marks the room read up to `seq` (default: the newest loaded message), for you on every
   * device. Marks only move forward: a seq at or below `readSeq` changes nothing and sends nothing.
   * Resolves with the mark after. Ephemeral rooms keep no marks (resolves with 0). At most one
   * mark per second is sent per room (a quiet room's at once): marks asked meanwhile go together,
   * as the highest seq, at the end of that second.
   * @example if (document.visibilityState === 'visible') await room.markRead();
   */
  markRead(seq?: number): Promise<number> {
    return markRead(this.#sync, this.#parts._reads, seq);
  }
  /**
   * The members who have read a message (its sender left out), in rooms of at most 50 stored
   * members (bigger: nobody). A reader this room never saw is named by their id.
   * @example const seenBy = room.readBy(myLastMessage.id).map((u) => u.name);
   */
  readBy(messageId: string): UserRef[] {
    return readBy(this.#sync, this.#parts._reads, messageId);
  }
  /** Which messages of this room notify you while you are away: `'all'`, `'mentions'` (and direct messages) or `'none'`. Stored per user. */
  async setNotifications(level: NotificationLevel): Promise<void> {
    if (this.#sync._isClosed()) throw this.#sync._closedError();
    await this.#sync._patiently('notifications:set', { roomId: this.id, level });
    this.#link.notificationsSet?.(this.id, level);
  }

  /**
   * Sends a message. Resolves with the stored message; while offline it waits in the outbox
   * and is resent (same clientId, stored once) after reconnecting. Rejects if the server refuses it.
   * @example const message = await room.send('hello');
   */
  send(input: string | MessageDraftInput): Promise<Message> {
    return this.#post(draftEntry(this.id, input));
  }

  /**
   * The thread of a message of this room (the same object while followed): its replies and `send()`.
   * @example room.thread(message.id).on('message', (reply) => show(reply));
   */
  thread(messageId: string): ChatThread {
    return this.#parts._threads.get(messageId);
  }
  /** Replies of others you have not read in the threads of this room you take part in (`thread.unread` for one). */
  get threadUnread(): number {
    return this.#parts._threads.unread;
  }
  /** Your unread replies in the thread of one message (as `thread.unread`, without following the thread): a badge on its reply count. */
  threadUnreadOf(messageId: string): number {
    return this.#parts._threads.unreadOf(messageId);
  }

  #post(entry: OutboxEntry): Promise<Message> {
    if (this.#sync._isClosed()) return Promise.reject(this.#sync._closedError());
    const stored = this.#parts._outbox.add(entry);
    this.#parts._typing.sentAt = 0;
    this.emitter.emit('updated');
    void this.#parts._sender.flush();
    return stored;
  }
  /** Sends a failed message again, with the same clientId (an earlier try stored after all, a timeout, is not stored twice). Resolves like `send()`. */
  retry(clientId: string): Promise<Message> {
    if (this.#sync._isClosed()) return Promise.reject(this.#sync._closedError());
    return resend(this.#parts._outbox, this.#parts._sender, this.emitter, clientId);
  }

  /**
   * Uploads a file for this room (the server's `uploads`; `authorize` sees the room) and resolves
   * with the `Attachment` to send: `room.send({ text, attachments: [attachment] })`.
   * @example const attachment = await room.upload(file, { onProgress: ({ loaded, total }) => show(loaded / total) });
   */
  upload(file: Blob, options: Omit<UploadOptions, 'roomId'> = {}): Promise<Attachment> {
    return this.#link.upload(file, { ...options, roomId: this.id });
  }
  /**
   * Uploads a recording (WebM, Ogg or MP4 audio, a `MediaRecorder`'s Blob) as a voice message and sends it through the outbox like any file
   * (with `threadOf`, as a reply in that message's thread).
   * @example await room.sendVoice(blob, { durationMs: 4200, waveform });
   */
  sendVoice(blob: Blob, options: SendVoiceOptions): Promise<Message> {
    return import('./uploads/send-voice.js').then((m) => m.sendVoice(this, blob, options));
  }
  /** The calls going on in this room that you can see: ringing you, going on, or with you in them. */
  get calls(): Call[] {
    return this.#link.calls?._inRoom(this.id) ?? [];
  }

  /**
   * Starts an audio or video call in this room and rings `invite` (in a direct room, by default,
   * the other members). Asks the browser for the microphone (and camera) first; resolves with
   * the call, which you are in, once the server rang the others.
   * @example const call = await room.startCall({ kind: 'video', invite: ['luis'] });
   */
  startCall(options: StartCallOptions): Promise<Call> {
    if (this.#sync._isClosed()) return Promise.reject(this.#sync._closedError());
    if (!this.#link.calls) return Promise.reject(builtInError('VALIDATION_FAILED', 'This client has no calls.'));
    return this.#link.calls.start(this.id, options);
  }

  /** @internal A call came into view in this room. */
  _callAppeared(call: Call): void {
    if (!this.#sync._isClosed()) this.emitter.emit('call', call);
  }

  /** What the server's plugins add to the room's join answer, by plugin name (brought again by every re-join). */
  get plugins(): Readonly<Record<string, unknown>> {
    return this.#sync.plugins;
  }

  /** @internal */
  protected get _pluginLink(): RoomLink['plugins'] {
    return this.#link.plugins;
  }

  /** The slash commands the server offers (from the join ack): offer them as the user types `/`. */
  get commands(): readonly CommandInfo[] {
    return this.#sync.commands;
  }

  /**
   * Runs a slash command line (`/name args`) in this room. Resolves with `{ reply? }`: `reply` is
   * for you alone (the answer of an unknown command too); what the command posts for everyone
   * arrives as messages. Not resent by itself: a command may not be safe to run twice.
   * @example const { reply } = await room.runCommand('/remind 5m stand-up');
   */
  async runCommand(line: string): Promise<CommandRunResult> {
    if (this.#sync._isClosed()) throw this.#sync._closedError();
    return (await import('./room/command-run.js')).runCommand(this.#link, this.id, line);
  }

  /** Drops a failed message from the outbox (and from a kept outbox: it is not sent later). */
  discard(clientId: string): void {
    if (this.#parts._outbox.remove(clientId)) this.emitter.emit('updated');
  }

  /** @internal Keeps the outbox in `store` too (ChatClient calls it before the first join). */
  _keepOutboxIn(store: OutboxStore, server: string): void {
    this.#parts._outbox.keepIn(store, server, this.id, (error) => this.emitter.emit('error', error));
  }

  /**
   * Signals that you are typing; call it on every keystroke, it sends at most one signal
   * per `typingThrottleMs` (two seconds by default). `typing(false)` clears it at once.
   */
  typing(active = true): void {
    this.#parts._typing.send(active);
  }

  /** Loads a page of older messages (before the oldest loaded one unless `before` is given) into `messages`, and returns it. */
  history(options: { before?: number; limit?: number } = {}): Promise<{ messages: Message[]; hasMore: boolean }> {
    return this.#sync.history(options);
  }

  /** Loads the messages around `seq` (a search result's) apart from `messages`: a {@link MessageWindow}, paged both ways, that joins `messages` once it reaches them. */
  around(seq: number, options: { limit?: number } = {}): Promise<MessageWindow> {
    return import('./room/message-window.js').then((m) => m.openWindow(this.#sync, this.#parts._windows, seq, options.limit));
  }

  /**
   * Changes the text (and mentions) of a message: your own, unless the server's `authorize`
   * allows more. Resolves with the message after the edit, already in `messages`. Offline it
   * waits for the re-join (up to 10 s) and then fails with `TIMEOUT`; it is not queued.
   * @example await room.edit(message.id, 'Hola, corrected');
   */
  edit(messageId: string, text: string, options: MessageEditOptions = {}): Promise<Message> {
    return this.#parts._changes.request(messageId, 'message:edit', {
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
    return this.#parts._changes.request(messageId, 'message:delete', { roomId: this.id, messageId });
  }

  /** Adds your reaction with one emoji (a second time changes nothing). Resolves like `edit()`. */
  react(messageId: string, emoji: string): Promise<Message> {
    return this.#parts._changes.request(messageId, 'reaction:add', { roomId: this.id, messageId, emoji }, () =>
      this.#sync._ownReactions.record(messageId, emoji, true),
    );
  }

  /** Takes your reaction with this emoji back (none there: nothing changes). Resolves like `edit()`. */
  unreact(messageId: string, emoji: string): Promise<Message> {
    return this.#parts._changes.request(messageId, 'reaction:remove', { roomId: this.id, messageId, emoji }, () =>
      this.#sync._ownReactions.record(messageId, emoji, false),
    );
  }

  /**
   * Whether a user (yourself by default) reacted to a message with `emoji`. `undefined` when it
   * cannot be known: a message lists at most 25 `userIds` per emoji (its `count` is exact). For
   * yourself the room remembers what `react` / `unreact` did in this session, not across reloads.
   * @example const pressed = room.reactedBy(message, '👍') === true;
   */
  reactedBy(message: Message, emoji: string, userId: string | undefined = this.#sync.self?.id): boolean | undefined {
    return reactedBy(message, emoji, userId, this.#sync.self?.id, this.#sync._ownReactions);
  }

  /** Leaves the room; messages still in the outbox fail with NOT_IN_ROOM. */
  async leave(): Promise<void> {
    if (this.#sync._isClosed()) return;
    this.#close(RoomState.LEFT, builtInError('NOT_IN_ROOM', 'You left the room before this message was sent.'));
    await this.#sync.leave();
  }

  /** @internal A member's read mark moved (`read`), or yours in a thread (`thread:read`). */
  _receiveRead(read: ReadState | ThreadRead): void {
    if (this.#sync._afterJoin(() => this._receiveRead(read))) return; // the join's answer first (it holds older marks)
    if ('threadOf' in read) this.#parts._threads.readElsewhere(read);
    else receiveRead(this.#sync, this.#parts._reads, this.emitter, read);
  }
  /** @internal The server's mark is ahead of this room's (read on another device, seen in the conversations list). */
  _readElsewhere(seq: number): void {
    readElsewhere(this.#sync, this.#parts._reads, this.emitter, seq);
  }
  /** @internal What the conversations list needs; none before the first join answer or in ephemeral rooms. */
  _conversationView(): JoinedRoomView | undefined {
    return conversationView(this.#sync, this.#parts._reads, this.#parts._unread, this.#parts._threads.unread);
  }
  /** @internal */
  _receivePresence(delta: PresenceDelta): void {
    this.#parts._members.receive(delta);
  }
  /** @internal */
  _receiveTyping(users: UserRef[], count?: number): void {
    this.#parts._typing.receive(users, count);
  }
  /** @internal The server took this socket out of the room. */
  _removed(reason: RoomRemovedReason, event: RoomRemovedEvent = { roomId: this.id, reason }): void {
    if (this.#sync._isClosed()) return;
    this.#close(RoomState.LEFT, removalError(event));
    // Who is here is no longer ours to know.
    this.#parts._members.map.clear();
    this.#parts._typing.forget();
    this.emitter.emit('removed', reason, event);
  }
  /** @internal The room's title, metadata or options changed (`room:updated`, or the answer of `moderate()`). */
  _roomUpdated(room: PublicRoom): void {
    if (this.#sync._isClosed()) return;
    this.#sync.room = room;
    this.emitter.emit('updated');
  }

  /** Whether you are an owner or moderator of this room (from your member entry): show moderation actions. */
  get canModerate(): boolean {
    return canModerate(this.#sync.self);
  }

  /** Moderators: takes a user out of the room now (they may join again). `FORBIDDEN` unless your role allows it. */
  kick(userId: string, options: { reason?: string } = {}): Promise<void> {
    return this.#moderation((m) => m.kick(userId, options));
  }

  /**
   * Moderators: bans a user until `until` (or until lifted); they leave it now and their joins answer `BANNED`.
   * @example await room.ban(member.id, { until: new Date(Date.now() + 3_600_000), reason: 'Spam' });
   */
  ban(userId: string, options: RestrictionOptions = {}): Promise<void> {
    return this.#moderation((m) => m.ban(userId, options));
  }

  /** Moderators: lifts a ban. */
  unban(userId: string): Promise<void> {
    return this.#moderation((m) => m.unban(userId));
  }

  /** Moderators: mutes a user until `until` (or until lifted): they read but cannot send, edit or react (`MUTED`). */
  mute(userId: string, options: RestrictionOptions = {}): Promise<void> {
    return this.#moderation((m) => m.mute(userId, options));
  }

  /** Moderators: lifts a mute. */
  unmute(userId: string): Promise<void> {
    return this.#moderation((m) => m.unmute(userId));
  }

  /** Owners: makes a member `moderator`, `owner` or `member` again. */
  setRole(userId: string, role: MemberRole): Promise<void> {
    return this.#moderation((m) => m.setRole(userId, role));
  }

  /** Moderators: freezes the room (read-only for members) or sets slow mode; resolves with the room after. */
  async moderate(input: RoomModerationInput): Promise<PublicRoom> {
    const room = await this.#moderation((m) => m.moderate(input));
    this._roomUpdated(room);
    return room;
  }

  /** Reports someone's message to the room's hosts (once per message; a second report changes nothing). */
  async report(messageId: string, reason: string): Promise<void> {
    await this.#link.request('message:report', { roomId: this.id, messageId, reason });
  }

  // Moderators' requests are loaded by the first (room/moderation-requests.ts): most visitors never send one.
  #moderation<T>(request: (moderation: RoomModeration) => Promise<T>): Promise<T> {
    return import('./room/moderation-requests.js').then((m) => request(new m.RoomModeration(this.#link, this.id)));
  }
  /** @internal */
  _ended(room: PublicRoom): void {
    this.#sync.room = room;
    this.#close(RoomState.ENDED, builtInError('ROOM_ENDED', 'The room ended before this message was sent.'));
    this.emitter.emit('ended', room);
  }
  /** @internal The client's credentials changed: the next join may be another user's. */
  _credentialsChanged(): void {
    this.#parts._outbox.credentialsChanged();
  }
  /** @internal The connection dropped: typing and presence are stale until the re-join. */
  _connectionLost(): void {
    this.#parts._typing.connectionLost();
  }
  /** @internal A re-join was refused for good (the room is gone, say): the room is left, with that error. */
  _lost(error: ChatError): void {
    if (this.#sync._isClosed()) return;
    this.#close(RoomState.LEFT, error);
  }
  /** @internal The client is closing for good. */
  _dispose(): void {
    this.#close(RoomState.LEFT, builtInError('NOT_IN_ROOM', 'The chat client was closed before this message was sent.'));
  }
  /** @internal First join, or re-join after a reconnect. */
  _join(): Promise<void> {
    return this.#sync.join();
  }
  /** @internal */
  _receiveMessage(message: Message): void {
    if (this.#parts._outbox.received(message)) return; // this page's own send, on the wire: its ack adds it
    this.#sync._receiveMessage(message);
    this.#parts._threads.live(message);
  }
  /** @internal A plugin's state for this room changed (`<plugin>:updated { roomId, ...state }`, or a request's answer). */
  _pluginState(plugin: string, state: unknown): void {
    if (this.#sync._pluginState(plugin, state)) this.emitter.emit('updated');
  }
  /** @internal A message changed (`message:updated`). */
  _receiveUpdate(message: Message): void {
    this.#sync._receiveUpdate(message);
  }

  #close(state: RoomState, error: ChatError): void {
    closeParts(this.#parts, this.#link, state, error);
    this._closeFeatures();
    this.#link.detach(this.id);
    this.emitter.emit('updated');
  }
}
