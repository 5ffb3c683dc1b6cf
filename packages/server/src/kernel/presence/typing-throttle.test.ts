import type { TypingEvent } from '@chat/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingThrottle } from './typing-throttle.js';

const WINDOW = 1000;
const few = (n: number): TypingEvent => ({ roomId: 'r', users: Array.from({ length: n }, (_, i) => ({ id: `u${i}`, name: `U${i}` })) });
const crowd = (count: number): TypingEvent => ({ ...few(3), count });

describe('TypingThrottle: a crowd of typists gets one event a second', () => {
  let sent: TypingEvent[];
  let throttle: TypingThrottle;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    throttle = new TypingThrottle((e) => sent.push(e), WINDOW);
  });
  afterEach(() => {
    throttle.close();
    vi.useRealTimers();
  });

  it('sends a few typists at once, every change', () => {
    for (const n of [1, 2, 3, 2, 0]) throttle.publish(few(n));
    expect(sent.map((e) => e.users.length)).toEqual([1, 2, 3, 2, 0]);
  });

  it('holds a crowd within the window and sends the newest list at its end', () => {
    throttle.publish(few(3));
    for (const n of [4, 5, 6, 7]) throttle.publish(crowd(n));
    expect(sent.map((e) => e.count)).toEqual([undefined]);
    vi.advanceTimersByTime(WINDOW);
    expect(sent.map((e) => e.count)).toEqual([undefined, 7]);
    // A crowd after a quiet window goes at once.
    vi.advanceTimersByTime(WINDOW);
    throttle.publish(crowd(8));
    expect(sent.map((e) => e.count)).toEqual([undefined, 7, 8]);
  });

  it('does not let a few typists overtake a crowd held back, nor be overtaken by it', () => {
    throttle.publish(crowd(5));
    throttle.publish(crowd(6));
    throttle.publish(few(2)); // within the window of a crowd's event: held, replacing the crowd's
    expect(sent.map((e) => e.count ?? e.users.length)).toEqual([5]);
    vi.advanceTimersByTime(WINDOW);
    expect(sent.map((e) => e.count ?? e.users.length)).toEqual([5, 2]);
  });

  it('keeps rooms apart, and forgets a room nobody types in', () => {
    throttle.publish(crowd(5));
    throttle.publish({ ...crowd(9), roomId: 'other' });
    expect(sent.map((e) => e.roomId)).toEqual(['r', 'other']);
    vi.advanceTimersByTime(WINDOW);
    throttle.publish(few(0));
    throttle.publish(crowd(4)); // the room was forgotten when empty: at once
    expect(sent.map((e) => e.count ?? e.users.length)).toEqual([5, 9, 0, 4]);
  });
});
