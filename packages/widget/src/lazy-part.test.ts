import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatError } from '@chat/client';
import { LazyPart } from './lazy-part.js';

function setUp(importer: () => Promise<{ name: string }>) {
  const failed: ChatError[] = [];
  const recovered: ChatError[] = [];
  const host = { requestUpdate: vi.fn(), fail: (e: ChatError) => failed.push(e), recovered: (e: ChatError) => recovered.push(e) };
  return { part: new LazyPart(host, importer, 'The suggestions', 'chat-room.pickers.js'), host, failed, recovered };
}

describe('LazyPart: a file loaded on first use', () => {
  afterEach(() => vi.useRealTimers());

  it('loads once however often it is used, and draws again when it has come', async () => {
    const importer = vi.fn(async () => ({ name: 'pickers' }));
    const { part, host } = setUp(importer);
    const seen: string[] = [];
    part.use((m) => seen.push(m.name));
    part.use((m) => seen.push(m.name));
    await part.load();
    expect(importer).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['pickers', 'pickers']);
    expect(part.module?.name).toBe('pickers');
    expect(host.requestUpdate).toHaveBeenCalledTimes(1);
  });

  it('reports a missing file once, naming it; tries again only 10 s later; a load that works takes the report back', async () => {
    vi.useFakeTimers();
    let served = false;
    const importer = vi.fn(async () => {
      if (!served) throw new TypeError('Failed to fetch dynamically imported module');
      return { name: 'pickers' };
    });
    const { part, failed, recovered } = setUp(importer);
    expect(await part.load()).toBeUndefined();
    expect(failed.map((e) => [e.code, e.message])).toEqual([
      ['INTERNAL', 'The suggestions could not be loaded (chat-room.pickers.js must be served next to chat-room.min.js).'],
    ]);
    // Every key of a word with an `@` asks again: no fetch, no new report, within 10 s.
    for (let i = 0; i < 5; i++) expect(await part.load()).toBeUndefined();
    expect(importer).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(await part.load()).toBeUndefined(); // still missing: fetched again, not reported again
    expect(importer).toHaveBeenCalledTimes(2);
    expect(failed).toHaveLength(1);
    served = true;
    vi.advanceTimersByTime(10_000);
    expect((await part.load())?.name).toBe('pickers');
    expect(recovered).toEqual(failed);
  });
});
