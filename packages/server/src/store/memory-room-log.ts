// One room of `MemoryStore`: its log, indexes and threads, their upkeep (revs, the change index,
// dropping the oldest message), and the copies of its room handed out.
import type { Message, PublicRoom, Room } from '@chat/protocol';
import { MentionIndex } from './mention-index.js';
import { isLive, type ChangeEntry } from './memory-change-index.js';
import { MemoryThreads } from './memory-threads.js';
import type { ReactionSets } from './message-changes.js';

/** One room of the store: its log, indexes and threads. */
export interface RoomLog {
  room: Room;
  /** Messages in seq order; `messages[i].seq === firstSeq + i`. */
  messages: Message[];
  firstSeq: number;
  nextSeq: number;
  byClientId: Map<string, Message>;
  byId: Map<string, Message>;
  /** The room's change counter: the last rev handed out. */
  rev: number;
  /**
   * Changed messages in rev order (revs only grow, so a change is appended). A message that
   * changes again leaves a stale entry behind (its `message.rev` moved on); stale entries are
   * skipped and swept out once they outnumber the live ones.
   */
  changes: ChangeEntry[];
  staleChanges: number;
  /** Who reacted to each message, by message id. */
  reactions: Map<string, ReactionSets>;
  /** Which messages mention each user (for mention counts after a read mark). */
  mentions: MentionIndex;
  threads: MemoryThreads;
}

/** A new room's empty log. */
export function newRoomLog(room: Room): RoomLog {
  return {
    room,
    messages: [],
    firstSeq: 1,
    nextSeq: 1,
    byClientId: new Map(),
    byId: new Map(),
    rev: 0,
    changes: [],
    staleChanges: 0,
    reactions: new Map(),
    mentions: new MentionIndex(),
    threads: new MemoryThreads(),
  };
}

/** Gives a message that changed the room's next rev, and files it in the change index. */
export function bumpRev(log: RoomLog, message: Message): void {
  if (message.rev > 0) noteStale(log);
  message.rev = ++log.rev;
  log.changes.push({ rev: message.rev, message });
}

// Removes the room's oldest message (trimming, retention): seqs are never reused, and it leaves
// the mention index and its thread too, so that they stay bounded with the log.
export function dropOldest(log: RoomLog): Message {
  const dropped = log.messages.shift() as Message;
  log.firstSeq++;
  log.byClientId.delete(dropped.clientId);
  log.byId.delete(dropped.id);
  log.reactions.delete(dropped.id);
  log.threads.drop(dropped);
  log.mentions.remove(dropped.seq, dropped.mentions);
  if (dropped.rev > 0) noteStale(log);
  return dropped;
}

// Sweeping costs one pass over the index; doing it only when stale entries outnumber live
// ones keeps it amortised O(1) per change and the index at most twice the changed messages.
function noteStale(log: RoomLog): void {
  log.staleChanges++;
  if (log.staleChanges > 64 && log.staleChanges * 2 > log.changes.length) {
    log.changes = log.changes.filter((entry) => isLive(log, entry));
    log.staleChanges = 0;
  }
}

// Rooms have a known shape, so they are copied field by field (structuredClone was the costliest
// part of a send in profiles); only the host's free-form metadata needs a deep clone.
export function copyRoom(r: Room): Room {
  const copy: Room = { ...r, options: { ...r.options } };
  if (r.metadata !== undefined) copy.metadata = structuredClone(r.metadata);
  if (r.privateMetadata !== undefined) copy.privateMetadata = structuredClone(r.privateMetadata);
  return copy;
}

/** A copy as members see it: without `privateMetadata`. */
export function publicCopy(r: Room): PublicRoom {
  const { privateMetadata: _hidden, ...visible } = r;
  const copy: PublicRoom = { ...visible, options: { ...r.options } };
  if (r.metadata !== undefined) copy.metadata = structuredClone(r.metadata);
  return copy;
}
