import { describe, expect, it, vi } from 'vitest';
import type { PublicRoom, RoomActivityEvent, RoomSummary } from '@chat/protocol';
import type { ConversationListHooks } from './conversation-list.js';
import { deferConversations } from './conversations-start.js';

const room = (id: string): PublicRoom => ({ id, options: {}, createdAt: '2025-01-01T00:00:00.000Z' });
const summary = (id: string, unread: number): RoomSummary => ({ room: room(id), unread, mentions: 0, readSeq: 0, notifications: 'all' });
const activity = (roomId: string, unread: number): RoomActivityEvent => ({ roomId, unread, mentions: 0, readSeq: 0 });

/** A client's list of conversations over a fake server (`rows`), and what it told the client. */
function list(rows: RoomSummary[] = [summary('plaza', 1)]) {
  const changed = vi.fn<(list: RoomSummary[]) => void>();
  const fetch = vi.fn(() => Promise.resolve(rows));
  const hooks: ConversationListHooks = {
    fetch,
    joined: () => undefined,
    _joinedIds: () => [],
    _readElsewhere: () => undefined,
    changed,
    failed: () => undefined,
  };
  return { conversations: deferConversations(hooks), changed, fetch };
}

describe('the list of conversations, loaded when first asked for', () => {
  it('keeps nothing and asks nothing before `load()`: what it is told meanwhile is dropped, as the list drops it', async () => {
    const { conversations, changed, fetch } = list();
    conversations.activity(activity('plaza', 5));
    conversations._roomChanged('plaza');
    conversations.forget('plaza');
    conversations.notifications('plaza', 'none');
    conversations.reconnected();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fetch).not.toHaveBeenCalled();
    expect(changed).not.toHaveBeenCalled();
  });

  it('loads its code once, for two `load()` at a time (each asks the server), and is live from then on', async () => {
    const { conversations, changed, fetch } = list();
    const [first, second] = await Promise.all([conversations.load(), conversations.load()]);
    expect(first.map((s) => [s.room.id, s.unread])).toEqual([['plaza', 1]]);
    expect(second).toEqual(first);
    expect(fetch).toHaveBeenCalledTimes(2);
    conversations.activity(activity('plaza', 2));
    expect(changed.mock.lastCall?.[0].map((s) => [s.room.id, s.unread])).toEqual([['plaza', 2]]);
    conversations.forget('plaza');
    expect(changed.mock.lastCall?.[0]).toEqual([]);
  });
});
