import { describe, expect, it } from 'vitest';
import type { Message, RoomJoinResult } from '@chat/protocol';
import { RoomUnread } from './room-unread.js';

const message = (seq: number): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  clientId: `c${seq}`,
  user: { id: 'ben', name: 'Ben' },
  text: `#${seq}`,
  attachments: [],
  createdAt: new Date(seq * 1000).toISOString(),
  rev: 0,
});
const log = (...seqs: number[]) => seqs.map(message);
/** The parts of a join answer the count reads. */
const answer = (messages: Message[], readSeq: number, unread: number | undefined, epoch = 'e1') =>
  ({ messages, readSeq, epoch, ...(unread !== undefined && { unread }) }) as RoomJoinResult;

describe('RoomUnread', () => {
  it('counts the loaded log after the mark: the seqs of replies only in a thread are no messages of it', () => {
    const unread = new RoomUnread();
    // 2, 3 and 5 are replies only in a thread.
    const messages = log(1, 4, 6);
    unread.joined(answer(messages, 1, 2));
    expect(unread.after(messages, 1, false)).toBe(2);
    expect(unread.after(messages, 4, false)).toBe(1);
    expect(unread.after(messages, 6, false)).toBe(0);
  });

  it("takes what the join's page does not reach from the server's count, less what is loaded of it later", () => {
    const unread = new RoomUnread();
    // Mark at 10; the page holds 40..45; the server counts 20 unread up to 45 (6 in the page).
    const page = log(40, 41, 42, 43, 44, 45);
    unread.joined(answer(page, 10, 20));
    expect(unread.after(page, 10, true)).toBe(20);
    // A live message after the page.
    const live = [...page, message(47)];
    expect(unread.after(live, 10, true)).toBe(21);
    // An older page: 30..39 (10 more of the 14 not loaded).
    const older = [...log(30, 31, 32, 33, 34, 35, 36, 37, 38, 39), ...live];
    expect(unread.after(older, 10, true)).toBe(21);
    // Read up to a loaded message: counted from the log alone.
    expect(unread.after(older, 44, true)).toBe(2);
    // A mark moved into history not loaded here (another device): at most the seqs left before the oldest loaded.
    expect(unread.after(older, 27, true)).toBe(17 + 2);
    expect(unread.after(older, 15, true)).toBe(17 + 4);
  });

  it('counts by seqs what is not loaded when the server gave no count, and forgets a count of another history', () => {
    const unread = new RoomUnread();
    const page = log(40, 41);
    unread.joined(answer(page, 10, undefined));
    expect(unread.after(page, 10, true)).toBe(31);
    expect(unread.after(page, 10, false)).toBe(2);
    unread.joined(answer(page, 10, 5));
    expect(unread.after(page, 10, true)).toBe(5);
    // A re-join with nothing new keeps the count; one of another history (no page) drops it.
    unread.joined(answer([], 10, 0));
    expect(unread.after(page, 10, true)).toBe(5);
    unread.joined(answer([], 10, 0, 'e2'));
    expect(unread.after(page, 10, true)).toBe(31);
  });
});
