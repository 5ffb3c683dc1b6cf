// The parts of a store beside its core (store-core.ts): each is what one capability keeps, and
// a store of a host's own may leave any out; the server then says which capability goes without it.
import type { AuditEntry, Message, Report, Restriction, Room, WebPushSubscription } from '@chat/protocol';
import type { AuditDraft, AuditPage, LogQuery, ReportDraft, ReportPage, ReportResult } from './moderation-records.js';
import type { MessageSearchPage, MessageSearchQuery } from './search-records.js';
import type { RoomMember, StoredUser } from './store-core.js';

/** One step of retention (`expireMessages`): what it removed, and where the room's history starts now. */
export interface ExpiredBatch {
  /** The messages removed, oldest first (their files are the server's to remove). */
  messages: Message[];
  /** The room's first seq still held after the step (its next seq when none is left). */
  historyStart: number;
}

/** A stored membership of a user, with its room (`userRecords`). */
export interface UserMembership extends RoomMember {
  roomId: string;
}

/** One reaction a user gave (`userRecords`). */
export interface UserReaction {
  roomId: string;
  messageId: string;
  emoji: string;
}

/** A user's read mark in one thread (`userRecords`): the seq of the last reply read there. */
export interface UserThreadRead {
  roomId: string;
  threadOf: string;
  readSeq: number;
}

/** What a store keeps about one user beside their messages (`userRecords`). */
export interface UserRecords {
  /** The name and avatar last seen, and when last seen; absent when never stored. */
  user?: StoredUser;
  memberships: UserMembership[];
  reactions: UserReaction[];
  /** The user's read marks in threads, in every room. */
  threadReads: UserThreadRead[];
  /**
   * The read marks kept of the user's memberships that ended (a ban, a removal), by room: a
   * membership that starts again starts there. Optional for a store of a host's own.
   */
  endedReads?: Array<{ roomId: string; readSeq: number }>;
  /** Reports the user made, in every room. */
  reports: Report[];
  pushSubscriptions: StoredPushSubscription[];
}

/** A device's push subscription as a store keeps it: whose it is (`expirationTime` only when it is a number). */
export interface StoredPushSubscription extends WebPushSubscription {
  userId: string;
  expirationTime?: number;
}

/** What `removePushSubscription` found: removed, no such endpoint, or the endpoint of another user (kept). */
export type PushRemoval = 'removed' | 'absent' | 'not-yours';

/** One row of `memberRooms`: a room the user is a stored member of, with what bars them from it. */
export interface MemberRoom {
  /** The whole room, `privateMetadata` too (the server hands it to `authorize`). */
  room: Room;
  /** The user's ban in the room as stored (expired ones too: whether it is in force is the server's to decide). */
  ban?: Restriction;
}

/** What search keeps and reads (`search` over a user's rooms). Without it, `search` answers `FORBIDDEN`. */
export interface SearchStore {
  /**
   * The rooms a user is a stored member of, ended ones left out, newest activity first (as
   * `conversations` orders them), at most `limit`, each with the user's stored ban there: in one
   * read, what search needs to tell which rooms the user may read now (no counts).
   */
  memberRooms(userId: string, options: { limit: number }): Promise<MemberRoom[]>;
  /**
   * Messages of these rooms whose current text matches the query, newest first (by time, then
   * room and seq), deleted ones never. A query with no word that must occur (operators or
   * punctuation only, `-word` alone) finds nothing. A `before` it did not hand out is
   * `VALIDATION_FAILED`.
   */
  searchMessages(query: MessageSearchQuery): Promise<MessageSearchPage>;
}

/** Moderation's log: audit entries and reports. Without it, moderators' actions still hold (bans, mutes and roles are the core's standings) but no audit entry is kept, and the audit log, reports and `message:report` answer `FORBIDDEN`. */
export interface ModerationStore {
  /** Appends a moderation action to the room's audit log; ids grow with each entry (store-wide). `ROOM_NOT_FOUND` for an unknown room. */
  appendAudit(draft: AuditDraft): Promise<AuditEntry>;
  /** A room's audit log, newest first. A `before` that is no id of this store gives `VALIDATION_FAILED`. */
  listAudit(roomId: string, query: LogQuery): Promise<AuditPage>;
  /** Stores a report; a second report of a message by the same reporter returns the first (`duplicate: true`). `ROOM_NOT_FOUND` for an unknown room. */
  appendReport(draft: ReportDraft): Promise<ReportResult>;
  /** A room's reports, newest first (paged like `listAudit`). */
  listReports(roomId: string, query: LogQuery): Promise<ReportPage>;
}

/** Push subscriptions, one per device endpoint. Needed by the `push` option: a store without it is refused then. */
export interface PushStore {
  /**
   * Stores a device's push subscription for a user, one per endpoint: the same endpoint again is
   * replaced (and moves to this user if another had it: a device pushes to whoever subscribed on
   * it last). Atomic: a user who has `max` subscriptions with other endpoints gets `PAYLOAD_TOO_LARGE`.
   */
  savePushSubscription(userId: string, subscription: WebPushSubscription, options: { max: number }): Promise<void>;
  /** The push subscriptions of these users, in no particular order. */
  listPushSubscriptions(userIds: string[]): Promise<StoredPushSubscription[]>;
  /** Removes a push subscription of this user by endpoint; another user's stays (`not-yours`). */
  removePushSubscription(userId: string, endpoint: string): Promise<PushRemoval>;
}

/** What retention walks and removes. Needed by the `retention` option: a store without it is refused then. */
export interface RetentionStore {
  /** Every room, ended ones too, ordered by id, after the id `after`: for work that visits them all (retention). */
  scanRooms(after: string | undefined, limit: number): Promise<Room[]>;
  /**
   * Retention: removes, in one short atomic step, up to `limit` of the room's oldest messages in
   * seq order, stopping at the first one stored at or after `before` (an ISO time), so that what
   * is removed is always the start of the room's log. Their reactions and mention entries go with
   * them; seqs are never reused. An unknown room removes nothing.
   */
  expireMessages(roomId: string, before: string, limit: number): Promise<ExpiredBatch>;
}

/** What a person's export and erase read beside the core (`chat.exportUser`, `chat.eraseUser`). Without it, both are refused with a sentence naming it. */
export interface UserDataStore {
  /** The messages a user sent, deleted placeholders too, in every room, ordered by id, after the id `after`. */
  userMessages(userId: string, query: { after?: string; limit: number }): Promise<Message[]>;
  /** What the store keeps about a user beside their messages: name, memberships, reactions, reports, push subscriptions. */
  userRecords(userId: string): Promise<UserRecords>;
  /**
   * Erasing a user: removes their memberships (read marks, those kept of ended ones too, thread
   * marks, levels), their part in every thread, standings, push subscriptions and stored name; audit entries and reports keep the action without the person (their id and
   * name become `ERASED_USER`'s). Reactions and messages go through `changeMessage` first (each
   * message a delete with `author: ERASED_USER`, deleted ones too). Idempotent.
   */
  eraseUserRecords(userId: string): Promise<void>;
}

/** A built-in part's name, as `describeStoreConformance`'s `without` and the server's refusals give it. */
export type BuiltInStorePartName = 'SearchStore' | 'ModerationStore' | 'PushStore' | 'RetentionStore' | 'UserDataStore';

/** A built-in part: its name and the methods a store has when it provides it (each one of `Part`'s). */
interface PartMethods<Part> {
  readonly name: BuiltInStorePartName;
  readonly methods: ReadonlyArray<keyof Part & string>;
}

export const BUILT_IN_STORE_PARTS = {
  search: { name: 'SearchStore', methods: ['memberRooms', 'searchMessages'] },
  moderation: { name: 'ModerationStore', methods: ['appendAudit', 'listAudit', 'appendReport', 'listReports'] },
  push: { name: 'PushStore', methods: ['savePushSubscription', 'listPushSubscriptions', 'removePushSubscription'] },
  retention: { name: 'RetentionStore', methods: ['scanRooms', 'expireMessages'] },
  userData: { name: 'UserDataStore', methods: ['userMessages', 'userRecords', 'eraseUserRecords'] },
} as const satisfies {
  search: PartMethods<SearchStore>;
  moderation: PartMethods<ModerationStore>;
  push: PartMethods<PushStore>;
  retention: PartMethods<RetentionStore>;
  userData: PartMethods<UserDataStore>;
};
