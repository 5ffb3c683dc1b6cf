import { describe, expect, it } from 'vitest';
import { jsonOrNull, toMessage, type MessageRow } from './message-sql.js';

// The row PostgreSQL answers, turned into the Message every client sees: optional fields appear
// only when the row has them (a client compares messages whole, and an empty key is not nothing).

const plain: MessageRow = {
  id: 'm1',
  room_id: 'town',
  seq: '7',
  client_id: 'c1',
  user_id: 'ana',
  user_name: 'Ana',
  user_avatar: null,
  text: 'hola',
  attachments: [],
  reply_to: null,
  created_at: new Date('2026-11-25T10:00:00.000Z'),
  rev: '0',
  edited_at: null,
  deleted_at: null,
  mentions: null,
  reactions: null,
};

describe('toMessage', () => {
  it('a plain row is a message with no optional key at all', () => {
    expect(toMessage(plain)).toStrictEqual({
      id: 'm1',
      roomId: 'town',
      seq: 7,
      clientId: 'c1',
      user: { id: 'ana', name: 'Ana' },
      text: 'hola',
      attachments: [],
      createdAt: '2026-11-25T10:00:00.000Z',
      rev: 0,
    });
    // Empty lists, a null system and a row of before migration 6 (no user_bot) add nothing either.
    expect(toMessage({ ...plain, mentions: [], reactions: [], system: null, user_bot: false })).toStrictEqual(toMessage(plain));
  });

  it('every field the row has: avatar, bot, system line, reply, edit, delete, mentions, reactions, times as text', () => {
    const row: MessageRow = {
      ...plain,
      user_avatar: 'https://a.example/ana.png',
      user_bot: true,
      system: { type: 'call:started', callId: 'k1', kind: 'video' },
      reply_to: 'm0',
      created_at: '2026-11-25T10:00:00.000Z',
      rev: '3',
      edited_at: new Date('2026-11-25T10:01:00.000Z'),
      deleted_at: '2026-11-25T10:02:00.000Z',
      mentions: ['luis'],
      reactions: [
        { emoji: '👍', count: 2, userIds: ['luis', 'eva'] },
        { emoji: '🎉', count: 1, userIds: ['eva'] },
      ],
    };
    expect(toMessage(row)).toStrictEqual({
      id: 'm1',
      roomId: 'town',
      seq: 7,
      clientId: 'c1',
      user: { id: 'ana', name: 'Ana', avatarUrl: 'https://a.example/ana.png', bot: true },
      text: 'hola',
      attachments: [],
      createdAt: '2026-11-25T10:00:00.000Z',
      rev: 3,
      system: { type: 'call:started', callId: 'k1', kind: 'video' },
      replyTo: 'm0',
      editedAt: '2026-11-25T10:01:00.000Z',
      deletedAt: '2026-11-25T10:02:00.000Z',
      mentions: ['luis'],
      reactions: { '👍': { count: 2, userIds: ['luis', 'eva'] }, '🎉': { count: 1, userIds: ['eva'] } },
    });
  });
});

describe('jsonOrNull', () => {
  it('is SQL NULL for nothing, and JSON text for any object', () => {
    expect(jsonOrNull(undefined)).toBeNull();
    expect(jsonOrNull(null)).toBeNull();
    expect(jsonOrNull({})).toBe('{}');
    expect(jsonOrNull(['a', { b: 1 }])).toBe('["a",{"b":1}]');
  });
});
