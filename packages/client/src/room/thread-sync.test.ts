import { describe, expect, it } from 'vitest';
import type { Message, MessageHistoryResult } from '@chat/protocol';
import { ThreadSync } from './thread-sync.js';

const reply = (seq: number, text: string): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  clientId: `c${seq}`,
  seq,
  rev: 0,
  user: { id: 'u', name: 'U' },
  text,
  attachments: [],
  createdAt: new Date(0).toISOString(),
  threadOf: 'p',
});

/** A thread whose history answers `pages` in turn (newest first). */
function threadOver(pages: MessageHistoryResult[]): { sync: ThreadSync; told: string[] } {
  const told: string[] = [];
  const sync = new ThreadSync({
    roomId: 'r',
    parentId: 'p',
    emitter: { emit: (event: string, message?: Message) => (event === 'message' && told.push(message!.text), true) },
    history: () => Promise.resolve(pages.shift() ?? { messages: [], hasMore: false }),
    roomCopy: () => undefined,
    markRead: () => Promise.resolve(0),
  });
  return { sync, told };
}

describe('ThreadSync', () => {
  it('with every reply loaded, takes a reply that comes after a newer one (another process was slower)', async () => {
    const { sync, told } = threadOver([{ messages: [], hasMore: false }]);
    await sync.load();
    sync.receive([reply(3, 'ben 0')]); // this device's own reply, acked first
    sync.receive([reply(2, 'ana 0')]); // the other process's, sent before it
    expect(sync.log.messages.map((m) => m.text)).toEqual(['ana 0', 'ben 0']);
    expect(told).toEqual(['ben 0', 'ana 0']);
  });

  it('with older replies not loaded, leaves a reply before the oldest loaded one to history()', async () => {
    const { sync } = threadOver([{ messages: [reply(10, 'ten')], hasMore: true }]);
    await sync.load();
    sync.receive([reply(4, 'four'), reply(11, 'eleven')]);
    expect(sync.log.messages.map((m) => m.text)).toEqual(['ten', 'eleven']);
  });
});
