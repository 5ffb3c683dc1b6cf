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

let hidden = true;
beforeEach(() => {
  FakeNotification.shown = [];
  FakeNotification.permission = 'granted';
  hidden = true;
  vi.stubGlobal('Notification', FakeNotification);
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
});
afterEach(() => vi.unstubAllGlobals());

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
  it('notifies a new unread message while hidden, never for the first list, a read or an old one', () => {
    const notifier = new Notifier();
    const open = vi.fn();
    notifier.check([summary('lobby', 3, 1)], (s) => s.room.id, en, open);
    expect(titles()).toEqual([]); // the first list is where things stand, not news
    notifier.check([summary('lobby', 4, 2)], (s) => s.room.id, en, open);
    notifier.check([summary('lobby', 5, 0)], (s) => s.room.id, en, open); // yours (it marked the room read)
    notifier.check([summary('lobby', 5, 1)], (s) => s.room.id, en, open); // not newer
    expect(titles()).toEqual(['lobby | Ana: text 4']);
    FakeNotification.shown[0]?.onclick?.();
    expect(open).toHaveBeenCalledWith('lobby');
    expect(FakeNotification.shown[0]?.closed).toBe(true);
  });

  it('follows the level: mentions lets direct rooms and new mentions through, none nothing', () => {
    const notifier = new Notifier();
    const name = (s: RoomSummary) => s.room.id;
    notifier.check(
      [
        summary('a', 1, 0, { level: 'mentions' }),
        summary('dm', 1, 0, { direct: true, level: 'mentions' }),
        summary('n', 1, 0, { level: 'none' }),
      ],
      name,
      en,
      vi.fn(),
    );
    notifier.check(
      [
        summary('a', 2, 1, { level: 'mentions' }),
        summary('dm', 2, 1, { direct: true, level: 'mentions' }),
        summary('n', 2, 1, { level: 'none', mentions: 1 }),
      ],
      name,
      en,
      vi.fn(),
    );
    notifier.check([summary('a', 3, 2, { level: 'mentions', mentions: 1 })], name, en, vi.fn());
    expect(titles()).toEqual(['dm | Ana: text 2', 'a | Ana: text 3']);
  });

  it('is quiet while the page is visible and without permission; a new room counts as new', () => {
    const notifier = new Notifier();
    const name = (s: RoomSummary) => s.room.id;
    notifier.check([], name, en, vi.fn());
    hidden = false;
    notifier.check([summary('a', 1, 1)], name, en, vi.fn());
    hidden = true;
    FakeNotification.permission = 'default';
    notifier.check([summary('a', 2, 2)], name, en, vi.fn());
    expect(notificationPermission()).toBe('default');
    FakeNotification.permission = 'granted';
    notifier.check([summary('a', 2, 2), summary('new', 1, 1, { direct: true })], name, en, vi.fn());
    expect(titles()).toEqual(['new | Ana: text 1']);
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
