import { builtInError } from '@chat/protocol';
import { randomUUID } from 'node:crypto';
import type { AuditEntry, Message, NotificationLevel, Room, ThreadRead, UserRef, WebPushSubscription } from '@chat/protocol';
import type {
  AppendResult,
  ChangeResult,
  ChatStore,
  ConversationRow,
  CreateRoomInput,
  CreateRoomResult,
  ExpiredBatch,
  MessageChange,
  MessageDraft,
  MessagePage,
  MessageQuery,
  MemberRoom,
  PushRemoval,
  ReadMarkResult,
  RoomMember,
  RoomPatch,
  RoomQuery,
  StoredPushSubscription,
  StoredUser,
  UserRecords,
} from '../core/chat-store.js';
import type {
  AuditDraft,
  AuditPage,
  LogQuery,
  ReportDraft,
  ReportPage,
  ReportResult,
  RoomStanding,
  StandingPatch,
} from '../core/moderation-records.js';
import type { MessageSearchPage, MessageSearchQuery } from '../core/search-records.js';
import type { E2eeStore } from '../core/e2ee-store.js';
import { MemoryModeration } from './memory-moderation.js';
import { MemoryE2ee } from './memory-e2ee.js';
import { MemoryPush } from './memory-push.js';
import { MemoryMembers } from './memory-members.js';
import { checkLevel, checkReadSeq, notAMember } from './membership.js';
import { changedPage } from './memory-change-index.js';
import { inMainLog, mainLogPage } from './memory-threads.js';
import { bumpRev, copyRoom, dropOldest, newRoomLog, publicCopy, type RoomLog } from './memory-room-log.js';
import { searchMemory } from './memory-search.js';
import { MemoryParts } from './memory-parts.js';
import type { StorePart } from '../core/store-part.js';
import { memberRoomsOf } from './memory-member-rooms.js';
import { userMessagesIn, userReactionsIn } from './memory-user-data.js';
import { erasedFromThread } from './memory-erased-author.js';
import { applyChangeInPlace, copyMessage, messageNotFound, storedMentions } from './message-changes.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Messages kept per room; older ones are dropped (their seqs are never reused). @default 10000 */
  maxMessagesPerRoom?: number;
}

/**
 * The default store: everything in this process's memory, gone on restart. Right for the
 * demo, tests and single-process apps that need no durable history.
 */
export class MemoryStore implements ChatStore {
  readonly #rooms = new Map<string, RoomLog>();
  readonly #members = new MemoryMembers();
  readonly #moderation = new MemoryModeration();
  readonly #push = new MemoryPush();
  readonly #parts = new MemoryParts();
  /** Encrypted rooms' key packages, commits and welcomes. */
  readonly e2ee: E2eeStore = new MemoryE2ee();
  readonly #maxPerRoom: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#maxPerRoom = options.maxMessagesPerRoom ?? 10_000;
  }

  async createRoom(input: CreateRoomInput): Promise<CreateRoomResult> {
    const id = input.id ?? randomUUID();
    const existing = this.#rooms.get(id);
    if (existing) return { room: copyRoom(existing.room), created: false };
    const room: Room = { id, options: { ...input.options }, createdAt: new Date().toISOString() };
    if (input.title !== undefined) room.title = input.title;
    if (input.metadata !== undefined) room.metadata = structuredClone(input.metadata);
    if (input.privateMetadata !== undefined) room.privateMetadata = structuredClone(input.privateMetadata);
    if (input.createdBy !== undefined) room.createdBy = input.createdBy;
    this.#rooms.set(id, newRoomLog(room));
    return { room: copyRoom(room), created: true };
  }

  async getRoom(id: string): Promise<Room | null> {
    const log = this.#rooms.get(id);
    return log ? copyRoom(log.room) : null;
  }

  async listRooms(query: RoomQuery = {}): Promise<Room[]> {
    const limit = query.limit ?? 100;
    const rooms: Room[] = [];
    for (const { room } of this.#rooms.values()) {
      if (room.endedAt && !query.includeEnded) continue;
      if (query.createdBy !== undefined && room.createdBy !== query.createdBy) continue;
      rooms.push(room);
    }
    rooms.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return rooms.slice(0, limit).map(copyRoom);
  }

  async updateRoom(id: string, patch: RoomPatch): Promise<Room> {
    const log = this.#requireRoom(id);
    const room = log.room;
    if (patch.title !== undefined) room.title = patch.title;
    if (patch.metadata !== undefined) room.metadata = structuredClone(patch.metadata);
    if (patch.privateMetadata !== undefined) room.privateMetadata = structuredClone(patch.privateMetadata);
    if (patch.options !== undefined) room.options = { ...room.options, ...patch.options };
    if (patch.endedAt !== undefined && !room.endedAt) room.endedAt = patch.endedAt;
    return copyRoom(room);
  }

  async appendMessage(draft: MessageDraft): Promise<AppendResult> {
    const log = this.#requireRoom(draft.roomId);
    const existing = log.byClientId.get(draft.clientId);
    if (existing) return { message: copyMessage(existing), duplicate: true };
    const message: Message = {
      id: randomUUID(),
      roomId: draft.roomId,
      seq: log.nextSeq++,
      clientId: draft.clientId,
      user: { ...draft.user },
      text: draft.text,
      attachments: draft.attachments.map((a) => ({ ...a })),
      createdAt: new Date().toISOString(),
      rev: 0,
    };
    if (draft.ciphertext !== undefined) message.ciphertext = draft.ciphertext;
    if (draft.replyTo !== undefined) message.replyTo = draft.replyTo;
    if (draft.system !== undefined) message.system = structuredClone(draft.system);
    const mentions = storedMentions(draft.mentions);
    if (mentions) message.mentions = mentions;
    // No await from the parent's lookup to its new rev: the summary counts every reply exactly.
    const parent = draft.threadOf === undefined ? undefined : log.byId.get(draft.threadOf);
    if (draft.threadOf !== undefined) {
      if (!parent || parent.threadOf !== undefined) throw messageNotFound(draft.threadOf);
      message.threadOf = parent.id;
      if (draft.alsoInRoom === true) message.alsoInRoom = true;
    }
    // A reply only in its thread is not in the room's log: never in its mention counts (it counts in
    // its thread, which the reply makes those it mentions take part in).
    log.mentions.add(message.seq, inMainLog(message) ? mentions : undefined);
    log.messages.push(message);
    log.byClientId.set(message.clientId, message);
    log.byId.set(message.id, message);
    if (parent) {
      log.threads.add(message, parent);
      bumpRev(log, parent);
    }
    // One's own messages are never unread: a sender who is a stored member has read up to here
    // (a reply only in its thread leaves the room's mark where it is).
    const sender = this.#members.get(draft.roomId, draft.user.id);
    if (sender && inMainLog(message)) sender.readSeq = message.seq;
    if (log.messages.length > this.#maxPerRoom) dropOldest(log);
    return { message: copyMessage(message), duplicate: false, ...(parent && { parent: copyMessage(parent) }) };
  }

  async getMessage(roomId: string, id: string): Promise<Message | null> {
    const found = this.#rooms.get(roomId)?.byId.get(id);
    return found ? copyMessage(found) : null;
  }

  async listMessages(roomId: string, query: MessageQuery): Promise<MessagePage> {
    const log = this.#rooms.get(roomId);
    if (!log) return { messages: [], hasMore: false };
    const limit = Math.max(0, query.limit);
    if (query.changedAfter !== undefined) return changedPage(log, query, limit);
    if (query.threadOf !== undefined) {
      const page = log.threads.page(query.threadOf, query, limit);
      return { messages: page.messages.map(copyMessage), hasMore: page.hasMore };
    }
    const { messages, firstSeq } = log;
    const page = mainLogPage(messages, firstSeq, query, limit);
    const result = { messages: page.messages.map(copyMessage), hasMore: page.hasMore };
    // Seqs below firstSeq were removed (trimmed or expired): said on the pages that reach them.
    if (firstSeq <= 1) return result;
    const reachesStart = query.after !== undefined ? query.after + 1 < firstSeq : !page.hasMore;
    return reachesStart ? { ...result, historyStart: firstSeq } : result;
  }

  // No await between reading the message and writing it: in one process that makes each change
  // atomic, so concurrent reactions count exactly and an edit never lands on a deleted message.
  async changeMessage(roomId: string, messageId: string, change: MessageChange): Promise<ChangeResult> {
    const log = this.#rooms.get(roomId);
    const message = log?.byId.get(messageId);
    if (!log || !message) throw messageNotFound(messageId);
    const mentionedBefore = message.mentions;
    const authorBefore = message.user.id;
    const changed = applyChangeInPlace(message, log.reactions, change);
    if (changed) {
      if (inMainLog(message) && mentionedBefore !== message.mentions) log.mentions.replace(message.seq, mentionedBefore, message.mentions);
      bumpRev(log, message);
    }
    // Erasing its author: they leave the thread, and the summary that named them names `author`.
    const parent = change.type === 'delete' && change.author ? erasedFromThread(log, message, authorBefore, change.author) : undefined;
    if (parent) bumpRev(log, parent);
    return { message: copyMessage(message), changed, ...(parent && { parent: copyMessage(parent) }) };
  }

  async roomRev(roomId: string): Promise<number> {
    return this.#rooms.get(roomId)?.rev ?? 0;
  }

  async threadParticipants(roomId: string, threadOf: string): Promise<string[]> {
    return this.#rooms.get(roomId)?.threads.participants(threadOf) ?? [];
  }

  async addMembers(roomId: string, users: UserRef[]): Promise<void> {
    if (users.length === 0) return;
    const log = this.#requireRoom(roomId);
    this.#members.add(roomId, users, log.nextSeq - 1);
  }

  async removeMembers(roomId: string, userIds: string[]): Promise<void> {
    this.#members.remove(roomId, userIds);
  }

  async listMembers(roomId: string): Promise<RoomMember[]> {
    return this.#members.list(roomId);
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    return this.#members.get(roomId, userId) !== undefined;
  }

  async memberLevels(roomId: string, userIds: string[]): Promise<Map<string, NotificationLevel>> {
    return this.#members.levels(roomId, userIds);
  }

  async markRead(roomId: string, userId: string, seq: number): Promise<ReadMarkResult> {
    checkReadSeq(seq);
    const member = this.#members.get(roomId, userId);
    const log = this.#rooms.get(roomId);
    if (!member || !log) throw notAMember(roomId, userId);
    const target = Math.min(seq, log.nextSeq - 1);
    if (target <= member.readSeq) return { seq: member.readSeq, changed: false };
    member.readSeq = target;
    return { seq: target, changed: true };
  }

  async markThreadRead(roomId: string, userId: string, threadOf: string, seq: number): Promise<ReadMarkResult> {
    checkReadSeq(seq);
    const log = this.#rooms.get(roomId);
    if (!log || !this.#members.get(roomId, userId)) throw notAMember(roomId, userId);
    return log.threads.markRead(userId, threadOf, seq, log.nextSeq - 1);
  }

  async threadReads(roomId: string, userId: string, limit: number): Promise<ThreadRead[]> {
    return this.#rooms.get(roomId)?.threads.reads(userId, limit) ?? [];
  }

  async mainLogCount(roomId: string, after: number, upTo: number): Promise<number> {
    const log = this.#rooms.get(roomId);
    return log ? log.threads.mainLogCount(after, Math.min(upTo, log.nextSeq - 1)) : 0;
  }

  async setNotifications(roomId: string, userId: string, level: NotificationLevel): Promise<void> {
    checkLevel(level);
    const member = this.#members.get(roomId, userId);
    if (!member) throw notAMember(roomId, userId);
    member.notifications = level;
  }

  async conversations(userId: string, options: { limit: number }): Promise<ConversationRow[]> {
    const rows: Array<{ log: RoomLog; activity: string; readSeq: number; notifications: NotificationLevel }> = [];
    for (const [roomId, member] of this.#members.roomsOf(userId)) {
      const log = this.#rooms.get(roomId);
      if (!log || log.room.endedAt) continue;
      rows.push({
        log,
        activity: log.messages.at(-1)?.createdAt ?? member.addedAt,
        readSeq: member.readSeq,
        notifications: member.notifications,
      });
    }
    // Newest activity first; ties by room id, as PostgresStore orders them.
    rows.sort((a, b) => (a.activity < b.activity ? 1 : a.activity > b.activity ? -1 : a.log.room.id < b.log.room.id ? -1 : 1));
    return rows.slice(0, Math.max(0, options.limit)).map(({ log, readSeq, notifications }) => {
      const row: ConversationRow = {
        room: publicCopy(log.room),
        readSeq,
        unread: Math.max(0, log.nextSeq - 1 - readSeq - log.threads.threadOnlyAfter(readSeq)),
        mentions: log.mentions.countAfter(userId, readSeq),
        notifications,
      };
      const threadUnread = log.threads.unreadFor(userId);
      if (threadUnread > 0) row.threadUnread = threadUnread;
      const last = log.messages.at(-1);
      if (last) row.lastMessage = copyMessage(last);
      if (log.room.options.direct === true) row.members = this.#members.list(log.room.id).map((m) => m.user);
      return row;
    });
  }

  async memberRooms(userId: string, options: { limit: number }): Promise<MemberRoom[]> {
    const banOf = (roomId: string) => this.#moderation.getStanding(roomId, userId)?.ban;
    return memberRoomsOf(this.#members.roomsOf(userId), this.#rooms, banOf, options.limit, copyRoom);
  }

  async saveUser(user: UserRef, lastSeenAt?: string): Promise<void> {
    this.#members.saveUser(user, lastSeenAt);
  }

  async getUsers(ids: string[]): Promise<StoredUser[]> {
    return this.#members.getUsers(ids);
  }

  async getStanding(roomId: string, userId: string): Promise<RoomStanding | null> {
    return this.#moderation.getStanding(roomId, userId);
  }

  async listStandings(roomId: string): Promise<RoomStanding[]> {
    return this.#moderation.listStandings(roomId);
  }

  async setStanding(roomId: string, userId: string, patch: StandingPatch): Promise<RoomStanding | null> {
    this.#requireRoom(roomId);
    return this.#moderation.setStanding(roomId, userId, patch);
  }

  async appendAudit(draft: AuditDraft): Promise<AuditEntry> {
    this.#requireRoom(draft.roomId);
    return this.#moderation.appendAudit(draft);
  }

  async listAudit(roomId: string, query: LogQuery): Promise<AuditPage> {
    return this.#moderation.listAudit(roomId, query);
  }

  async appendReport(draft: ReportDraft): Promise<ReportResult> {
    this.#requireRoom(draft.roomId);
    return this.#moderation.appendReport(draft);
  }

  async listReports(roomId: string, query: LogQuery): Promise<ReportPage> {
    return this.#moderation.listReports(roomId, query);
  }

  async savePushSubscription(userId: string, subscription: WebPushSubscription, options: { max: number }): Promise<void> {
    this.#push.save(userId, subscription, options.max);
  }

  async listPushSubscriptions(userIds: string[]): Promise<StoredPushSubscription[]> {
    return this.#push.list(userIds);
  }

  async removePushSubscription(userId: string, endpoint: string): Promise<PushRemoval> {
    return this.#push.remove(userId, endpoint);
  }

  async searchMessages(query: MessageSearchQuery): Promise<MessageSearchPage> {
    return searchMemory(query, (roomId) => this.#rooms.get(roomId)?.messages, copyMessage);
  }

  async scanRooms(after: string | undefined, limit: number): Promise<Room[]> {
    const ids = [...this.#rooms.keys()].filter((id) => after === undefined || id > after).sort();
    return ids.slice(0, Math.max(0, limit)).map((id) => copyRoom((this.#rooms.get(id) as RoomLog).room));
  }

  async expireMessages(roomId: string, before: string, limit: number): Promise<ExpiredBatch> {
    const log = this.#rooms.get(roomId);
    if (!log) return { messages: [], historyStart: 1 };
    const cutoff = Date.parse(before);
    const removed: Message[] = [];
    for (let oldest = log.messages[0]; oldest && removed.length < limit && Date.parse(oldest.createdAt) < cutoff; oldest = log.messages[0])
      removed.push(dropOldest(log));
    return { messages: removed, historyStart: log.firstSeq };
  }

  async userMessages(userId: string, query: { after?: string; limit: number }): Promise<Message[]> {
    return userMessagesIn(this.#rooms.values(), userId, query, copyMessage);
  }

  async userRecords(userId: string): Promise<UserRecords> {
    const [user] = this.#members.getUsers([userId]);
    const memberships = [...this.#members.roomsOf(userId).keys()].flatMap((roomId) =>
      this.#members.list(roomId).flatMap((m) => (m.user.id === userId ? [{ roomId, ...m }] : [])),
    );
    return {
      ...(user && { user }),
      memberships,
      reactions: userReactionsIn(this.#rooms.values(), userId),
      threadReads: [...this.#rooms].flatMap(([roomId, log]) => log.threads.marksOf(userId).map((mark) => ({ roomId, ...mark }))),
      endedReads: this.#members.endedReadsOf(userId),
      reports: this.#moderation.reportsBy(userId),
      pushSubscriptions: this.#push.list([userId]),
    };
  }

  async eraseUserRecords(userId: string): Promise<void> {
    this.#members.eraseUser(userId);
    for (const log of this.#rooms.values()) log.threads.eraseUser(userId);
    this.#moderation.eraseUser(userId);
    for (const { endpoint } of this.#push.list([userId])) this.#push.remove(userId, endpoint);
  }

  /** A plugin's store part: its `memory()` implementation, one per part name for this store's life. */
  part<Part>(spec: StorePart<Part>): Part | undefined {
    return this.#parts.part(spec);
  }

  async close(): Promise<void> {
    this.#rooms.clear();
    this.#members.clear();
    this.#moderation.clear();
    this.#push.clear();
  }

  #requireRoom(id: string): RoomLog {
    const log = this.#rooms.get(id);
    if (!log) throw builtInError('ROOM_NOT_FOUND', `There is no room "${id}".`);
    return log;
  }
}
