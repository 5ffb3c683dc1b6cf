import { expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';

it('client.search finds messages of the rooms the user reads, newest first, with a highlight, in pages', async () => {
  const { url } = await startChat({ authenticate: (h) => ({ id: String(h.auth['token']), name: String(h.auth['token']) }) });
  const ana = sdkClient(url, { auth: { token: 'ana' }, autoAway: false });
  const luis = sdkClient(url, { auth: { token: 'luis' }, autoAway: false });
  await waitFor(() => expect([ana.state, luis.state]).toEqual(['connected', 'connected']));
  const town = await ana.join('search-town');
  const market = await ana.join('search-market');
  const other = await luis.join('search-other');
  // Town's message is the newest; were the two sent in the same millisecond, the later room id
  // (town) would still come first: the order does not hang on the clock.
  await market.send('no match here');
  await market.send('draft release notes, do not share');
  await town.send('Release notes are out');
  await other.send('release notes in a room Ana never joined');

  const all = await ana.search('release notes');
  expect(all.results.map((r) => [r.roomId, r.message.text])).toEqual([
    ['search-town', 'Release notes are out'],
    ['search-market', 'draft release notes, do not share'],
  ]);
  expect(all.results[0]!.highlight).toEqual({
    text: 'Release notes are out',
    ranges: [
      { start: 0, end: 7 },
      { start: 8, end: 13 },
    ],
  });
  expect((await ana.search('"release notes" -draft')).results.map((r) => r.message.text)).toEqual(['Release notes are out']);
  expect((await ana.search('release', { roomId: 'search-other' })).results.map((r) => r.message.text)).toEqual([
    'release notes in a room Ana never joined',
  ]);

  const first = await ana.search('release', { limit: 1 });
  expect(first.results.map((r) => r.message.text)).toEqual(['Release notes are out']);
  const second = await ana.search('release', { limit: 1, ...(first.next !== undefined && { before: first.next }) });
  expect(second).toEqual({ results: [expect.objectContaining({ roomId: 'search-market' })] });

  const refusal = await ana.search('   ').catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(ChatError);
  expect(refusal).toMatchObject({ code: 'VALIDATION_FAILED', message: 'A search needs at least one word: the query is empty.' });
  ana.close();
  luis.close();
});
