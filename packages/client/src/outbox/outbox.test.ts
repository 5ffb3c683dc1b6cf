import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatError } from '@chat/protocol';
import { memoryOutbox } from './memory-outbox.js';
import { draftEntry } from './outbox-entry.js';
import { Outbox } from './outbox.js';

describe('Outbox: two pages of one user over one store', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends written in one millisecond stay within it: a send of the other page a millisecond later comes after them', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = memoryOutbox();
    const errors: ChatError[] = [];
    const [first, second] = [new Outbox(), new Outbox()];
    for (const page of [first, second]) {
      page.keepIn(store, 'https://chat.example/', 'r', (error) => errors.push(error));
      await page.attach('ana');
    }
    vi.setSystemTime(1_000);
    for (const text of ['one', 'two', 'three']) void first.add(draftEntry('r', text));
    vi.setSystemTime(1_001);
    void second.add(draftEntry('r', 'four'));
    await first.refresh(() => undefined); // its writes are in the store
    expect(await second.refresh(() => undefined)).toBe(true);
    expect(second.entries().map((e) => e.text)).toEqual(['one', 'two', 'three', 'four']);
    expect(errors).toEqual([]);
  });
});
