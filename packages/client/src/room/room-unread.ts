import { firstAfter, type Message, type RoomJoinResult } from '@chat/protocol';

/** What a join answer counted: `unread` messages of the room's log after `readSeq`, up to `upTo` (its page's last one), in the history `epoch`. */
interface JoinCount {
  readSeq: number;
  upTo: number;
  unread: number;
  epoch: string;
}

const seqOf = (message: Message): number => message.seq;

/**
 * A room's unread count: the messages of its log after your mark (thread-only replies are not in
 * the log and never count; a reply sent `alsoInRoom` is, once). Your own messages move your mark,
 * so every one after it is someone else's. The loaded ones are counted; those not loaded (older
 * than the oldest loaded message: a join whose page did not reach the mark) come from the server's
 * count in the last join answer that had one, less what has been loaded of it since.
 */
export class RoomUnread {
  #join: JoinCount | undefined;

  /**
   * A join answer (first join or re-join): its count, when it has one and a page to count up to;
   * without, the last count stands, unless it belongs to another history (the room's started over).
   */
  joined(result: RoomJoinResult): void {
    const upTo = result.messages.at(-1)?.seq;
    if (upTo !== undefined && result.unread !== undefined)
      this.#join = { readSeq: result.readSeq, upTo, unread: result.unread, epoch: result.epoch };
    else if (this.#join?.epoch !== result.epoch) this.#join = undefined;
  }

  /**
   * The messages of the log after `mark`: `messages` are the loaded ones in seq order, `hasOlder`
   * whether older ones exist that are not loaded.
   */
  after(messages: readonly Message[], mark: number, hasOlder: boolean): number {
    const loaded = messages.length - firstAfter(messages, mark, seqOf);
    const oldest = messages[0]?.seq;
    if (oldest === undefined || mark >= oldest - 1) return loaded;
    const join = this.#join;
    // No count from the server (an older server): what is not loaded is counted by seqs.
    if (!join || mark < join.readSeq) return hasOlder ? loaded + (oldest - 1 - mark) : loaded;
    // What the join counted and the room has not loaded lies before the oldest loaded message.
    const known = firstAfter(messages, join.upTo, seqOf) - firstAfter(messages, join.readSeq, seqOf);
    const hidden = Math.max(0, join.unread - known);
    // A mark moved into history not loaded here (read on another device): at most the seqs left.
    return loaded + (mark === join.readSeq ? hidden : Math.min(hidden, oldest - 1 - mark));
  }
}
