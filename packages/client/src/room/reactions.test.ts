import { describe, expect, it } from 'vitest';
import type { Message, ReactionSummary } from '@chat/protocol';
import { OwnReactions, reactedIn } from './reactions.js';

function withReactions(reactions: Record<string, ReactionSummary>): Message {
  return {
    id: 'm1',
    roomId: 'r',
    seq: 1,
    clientId: 'c1',
    user: { id: 'u', name: 'U' },
    text: 'hi',
    attachments: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    rev: 3,
    reactions,
  };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);

describe('reactedIn', () => {
  it('answers from the listed user ids when they are all there', () => {
    const message = withReactions({ '👍': { count: 2, userIds: ['ana', 'luis'] } });
    expect(reactedIn(message, '👍', 'ana')).toBe(true);
    expect(reactedIn(message, '👍', 'eva')).toBe(false);
    expect(reactedIn(message, '❤️', 'ana')).toBe(false);
    expect(reactedIn({ ...message, reactions: undefined }, '👍', 'ana')).toBe(false);
  });

  it('cannot tell for a user beyond a capped list (count exact, 25 ids listed)', () => {
    const message = withReactions({ '👍': { count: 30, userIds: ids(25) } });
    expect(reactedIn(message, '👍', 'u3')).toBe(true);
    expect(reactedIn(message, '👍', 'u27')).toBeUndefined();
  });
});

describe('OwnReactions', () => {
  it('remembers the last acknowledged react or unreact per message and emoji', () => {
    const own = new OwnReactions();
    expect(own.get('m1', '👍')).toBeUndefined();
    own.record('m1', '👍', true);
    own.record('m1', '❤️', true);
    own.record('m1', '❤️', false);
    expect(own.get('m1', '👍')).toBe(true);
    expect(own.get('m1', '❤️')).toBe(false);
    expect(own.get('m2', '👍')).toBeUndefined();
    own.clear();
    expect(own.get('m1', '👍')).toBeUndefined();
  });
});
