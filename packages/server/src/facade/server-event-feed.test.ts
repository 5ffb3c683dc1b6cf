import { describe, expect, it } from 'vitest';
import { isServerEventName, ServerEventFeed } from './server-event-feed.js';

describe('ServerEventFeed (what plugins hear of the server’s events)', () => {
  it('holds what comes before the plugins started, then tells it in order, then the rest as it comes', () => {
    const feed = new ServerEventFeed();
    const heard: unknown[][] = [];
    feed.add('message', (args) => heard.push(['message', ...args]));
    feed.add('join', (args) => heard.push(['join', ...args]));
    const first = { text: 'one' };
    feed.tell('join', [{ roomId: 'r' }]);
    feed.tell('message', [first]);
    expect(heard).toEqual([]);
    feed.open();
    expect(heard).toEqual([
      ['join', { roomId: 'r' }],
      ['message', first],
    ]);
    expect(heard[1]?.[1]).toBe(first); // the server's own object, as chat.on gets it
    feed.tell('message', [{ text: 'two' }]);
    expect(heard.at(-1)).toEqual(['message', { text: 'two' }]);
  });

  it('never tells `error`, nor an event no listener asked for; a removed listener hears no more', () => {
    const feed = new ServerEventFeed();
    feed.open();
    const heard: string[] = [];
    const stop = feed.add('report', () => heard.push('report'));
    feed.tell('error', [new Error('x')]);
    feed.tell('moderation', [{}]);
    feed.tell('report', [{}]);
    stop();
    feed.tell('report', [{}]);
    expect(heard).toEqual(['report']);
  });

  it('knows the names a plugin may ask for: chat.on’s but error', () => {
    for (const name of ['message', 'messageUpdated', 'join', 'leave', 'room:ended', 'report', 'moderation']) {
      expect(isServerEventName(name)).toBe(true);
    }
    for (const name of ['error', 'messageUpdate', 'toString', '__proto__', 1]) expect(isServerEventName(name)).toBe(false);
  });
});
