// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationLevel, RoomSummary } from '@chat/client';
import { en } from '../i18n/en.js';
import { learnPeople, peopleOf } from './direct-people.js';
import { notificationPermission, Notifier } from './notifier.js';

/** A stand-in for the browser's Notification: records what is shown. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

/** Where the notifier's chunk would say it could not be loaded. */
const part = { requestUpdate: vi.fn(), fail: vi.fn() };

let hidden = true;
beforeEach(() => {
  FakeNotification.shown = [];
  FakeNotification.permission = 'granted';
  hidden = true;
  vi.stubGlobal('Notification', FakeNotification);
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
});
afterEach(() => {
  vi.unstubAllGlobals();
  // Its chunk (./notifications.ts) was loaded whenever it was needed.
  expect(part.fail).not.toHaveBeenCalled();
});

let ids = 0;
/** A conversation whose newest message is `seq`, by Ana. */
function summary(
  roomId: string,
  seq: number,
  unread: number,
  options: { mentions?: number; level?: NotificationLevel; direct?: boolean } = {},
): RoomSummary {
  return {
    room: { id: roomId, options: options.direct ? { direct: true, private: true } : {}, createdAt: '2026-01-01T00:00:00.000Z' },
    unread,
    mentions: options.mentions ?? 0,
    readSeq: seq - unread,
    notifications: options.level ?? 'all',
    lastMessage: {
      id: `m${++ids}`,
      clientId: `c${ids}`,
      roomId,
      seq,
      rev: seq,
      attachments: [],
      user: { id: 'ana', name: 'Ana' },
      text: `text ${seq}`,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  };
}
const titles = () => FakeNotification.shown.map((n) => `${n.title} | ${n.options.body}`);

describe('Notifier (jsdom)', () => {
  it('notifies a new unread message while hidden, never for the first list, a read or an old one', async () => {
    const notifier = new Notifier(part);
    const open = vi.fn();
    await notifier.check([summary('lobby', 3, 1)], (s) => s.room.id, en, open);
    expect(titles()).toEqual([]); // the first list is where things stand, not news
    await notifier.check([summary('lobby', 4, 2)], (s) => s.room.id, en, open);
    await notifier.check([summary('lobby', 5, 0)], (s) => s.room.id, en, open); // yours (it marked the room read)
    await notifier.check([summary('lobby', 5, 1)], (s) => s.room.id, en, open); // not newer
    expect(titles()).toEqual(['lobby | Ana: text 4']);
    FakeNotification.shown[0]?.onclick?.();
    expect(open).toHaveBeenCalledWith('lobby');
    expect(FakeNotification.shown[0]?.closed).toBe(true);
  });

  it('follows the level: mentions lets direct rooms and new mentions through, none nothing', async () => {
    const notifier = new Notifier(part);
    const name = (s: RoomSummary) => s.room.id;
    await notifier.check(
      [
        summary('a', 1, 0, { level: 'mentions' }),
        summary('dm', 1, 0, { direct: true, level: 'mentions' }),
        summary('n', 1, 0, { level: 'none' }),
      ],
      name,
      en,
      vi.fn(),
    );
    await notifier.check(
      [
        summary('a', 2, 1, { level: 'mentions' }),
        summary('dm', 2, 1, { direct: true, level: 'mentions' }),
        summary('n', 2, 1, { level: 'none', mentions: 1 }),
      ],
      name,
      en,
      vi.fn(),
    );
    await notifier.check([summary('a', 3, 2, { level: 'mentions', mentions: 1 })], name, en, vi.fn());
    expect(titles()).toEqual(['dm | Ana: text 2', 'a | Ana: text 3']);
  });

  it('is quiet while the page is visible and without permission; a new room counts as new', async () => {
    const notifier = new Notifier(part);
    const name = (s: RoomSummary) => s.room.id;
    await notifier.check([], name, en, vi.fn());
    hidden = false;
    await notifier.check([summary('a', 1, 1)], name, en, vi.fn());
    hidden = true;
    FakeNotification.permission = 'default';
    await notifier.check([summary('a', 2, 2)], name, en, vi.fn());
    expect(notificationPermission()).toBe('default');
    FakeNotification.permission = 'granted';
    await notifier.check([summary('a', 2, 2), summary('new', 1, 1, { direct: true })], name, en, vi.fn());
    expect(titles()).toEqual(['new | Ana: text 1']);
  });

  it('without its chunk (chat-room.notifications.js not served), says so once and shows nothing', async () => {
    vi.resetModules();
    vi.doMock('./notifications.js', () => {
      throw new Error('not served');
    });
    try {
      const { Notifier: Unserved } = await import('./notifier.js');
      const lost = { requestUpdate: vi.fn(), fail: vi.fn() };
      const notifier = new Unserved(lost);
      const name = (s: RoomSummary) => s.room.id;
      await notifier.check([summary('a', 1, 0)], name, en, vi.fn());
      await notifier.check([summary('a', 2, 1)], name, en, vi.fn());
      await notifier.check([summary('a', 3, 2)], name, en, vi.fn());
      expect(titles()).toEqual([]);
      expect(lost.fail).toHaveBeenCalledTimes(1);
      expect(lost.fail).toHaveBeenCalledWith(
        expect.objectContaining({ code: 'INTERNAL', message: expect.stringContaining('chat-room.notifications.js') as unknown }),
      );
    } finally {
      vi.doUnmock('./notifications.js');
    }
  });
});

describe('the people of direct rooms (jsdom)', () => {
  it('remembers them across a reload (localStorage), yourself left out, a new name replacing the old', () => {
    learnPeople(
      'dm:x',
      [
        { id: 'me', name: 'Me' },
        { id: 'luis', name: 'Luis' },
      ],
      'me',
    );
    learnPeople('dm:x', [{ id: 'luis', name: 'Luis R.' }]);
    expect(peopleOf('dm:x')).toEqual([{ id: 'luis', name: 'Luis R.' }]);
    expect(JSON.parse(localStorage.getItem('chat-dm:dm:x') ?? '[]')).toEqual([{ id: 'luis', name: 'Luis R.' }]);
    expect(peopleOf('dm:unknown')).toEqual([]);
  });
});
