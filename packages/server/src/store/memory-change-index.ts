import { firstAfter, type Message } from '@chat/protocol';
import type { MessagePage, MessageQuery } from '../core/chat-store.js';
import { copyMessage } from './message-changes.js';

/** One entry of a room's change index: the message as it was given `rev`. */
export interface ChangeEntry {
  rev: number;
  message: Message;
}

/** What the change index reads of a room's log. */
interface ChangedLog {
  firstSeq: number;
  changes: ChangeEntry[];
}

/** The entry still names the message as it is now, and the message is still held. */
export function isLive(log: ChangedLog, entry: ChangeEntry): boolean {
  return entry.message.rev === entry.rev && entry.message.seq >= log.firstSeq;
}

/** Messages with rev > changedAfter (and seq within minSeq..maxSeq), by rev, each once. */
export function changedPage(log: ChangedLog, query: MessageQuery, limit: number): MessagePage {
  const after = Math.max(0, query.changedAfter ?? 0);
  const minSeq = query.minSeq ?? -Infinity;
  const maxSeq = query.maxSeq ?? Infinity;
  const { changes } = log;
  const messages: Message[] = [];
  // From the first entry with rev > after: revs in the index only grow.
  for (let i = firstAfter(changes, after, (entry) => entry.rev); i < changes.length; i++) {
    const entry = changes[i] as ChangeEntry;
    if (!isLive(log, entry) || entry.message.seq < minSeq || entry.message.seq > maxSeq) continue;
    if (messages.length === limit) return { messages, hasMore: true };
    messages.push(copyMessage(entry.message));
  }
  return { messages, hasMore: false };
}
