import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestDeadlines } from './request-deadlines.js';

describe('RequestDeadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls each request late once its timeout has passed, unless it was answered first', () => {
    const deadlines = new RequestDeadlines(1000, () => Date.now());
    const late: string[] = [];
    const answerA = deadlines.arm(() => late.push('a'));
    vi.advanceTimersByTime(400);
    deadlines.arm(() => late.push('b')); // due at 1,400
    answerA();
    vi.advanceTimersByTime(300);
    const answerC = deadlines.arm(() => late.push('c')); // due at 1,700
    vi.advanceTimersByTime(301);
    expect(late).toEqual([]); // a was answered in time
    vi.advanceTimersByTime(400);
    expect(late).toEqual(['b']);
    vi.advanceTimersByTime(300);
    expect(late).toEqual(['b', 'c']);
    answerC(); // too late: nothing changes
    vi.advanceTimersByTime(5000);
    expect(late).toEqual(['b', 'c']);
  });

  it('keeps the requests answered out of order until the earlier ones are done', () => {
    const deadlines = new RequestDeadlines(1000, () => Date.now());
    const late: number[] = [];
    const answers = Array.from({ length: 3000 }, (_, i) => deadlines.arm(() => late.push(i)));
    // Answered in reverse: the first stays open behind the rest, then goes too.
    for (let i = answers.length - 1; i >= 1; i--) answers[i]?.();
    vi.advanceTimersByTime(1001);
    expect(late).toEqual([0]);
    // Armed again after the queue emptied: a new timer.
    deadlines.arm(() => late.push(-1));
    vi.advanceTimersByTime(1001);
    expect(late).toEqual([0, -1]);
  });
});
