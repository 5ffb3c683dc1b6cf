// The linkPreviews() plugin on real chat servers: a message's link previewed by `message:updated`,
// in a later join's answer, refreshed by an edit, removed by its sender, refused inward without
// allowedAddresses, its image served by the chat server; on both stores and on two processes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { serve, startSite } from '../../../../../test-support/stand-in-site.js';
import { waitFor } from '../../../../../test-support/wait.js';
import type { RawSocket } from '../../../../../test-support/servers.js';
import { PNG } from '../../capabilities/uploads/upload-fixtures.js';
import {
  byHandshake,
  clusterSuite,
  connect,
  eachStore,
  fresh,
  join,
  say,
  startWithRest,
} from '../../capabilities/conversations/conversation-fixtures.js';
import { ask, on } from '../plugin-socket-fixtures.js';
import { linkPreviews } from './index.js';
import { LINK_PREVIEW_STORE } from './preview-store.js';

const LOOPBACK = { allowedAddresses: ['127.0.0.1/32'], publicPath: '/chat/previews' };
const page = (title: string, extra = '') =>
  serve(
    'text/html; charset=utf-8',
    `<!doctype html><html><head><title>ignored</title><meta property="og:title" content="${title}">${extra}</head><body></body></html>`,
  );

/** Every `message:updated` a socket receives. */
function updates(socket: RawSocket): Message[] {
  const seen: Message[] = [];
  on<Message>(socket, 'message:updated', (m) => seen.push(m));
  return seen;
}
const latest = (seen: Message[], id: string) => seen.filter((m) => m.id === id).at(-1);

eachStore('link previews', (store) => {
  it('previews a message’s first link for everyone in the room; the image comes from the chat server; an edit refreshes, the sender removes', async () => {
    const site = await startSite({
      '/a': page(
        'Town hall &lt;script&gt;alert(1)&lt;/script&gt;',
        '<meta property="og:image" content="/img.png"><meta property="og:site_name" content="Example">',
      ),
      '/b': page('Second page'),
      '/img.png': serve('image/png', PNG.bytes),
    });
    const { url } = await startWithRest({ store: store(), plugins: [linkPreviews(LOOPBACK)] });
    const room = fresh('room');
    const [ana, luis] = await Promise.all([connect(url, fresh('ana')), connect(url, fresh('luis'))]);
    await join(ana, room);
    await join(luis, room);
    const toLuis = updates(luis);
    const sent = await say(ana, room, `see ${site.url}/a and ${site.url}/b`);
    expect(sent.previews).toBeUndefined(); // the answer never waits for the fetch

    await waitFor(() => expect(latest(toLuis, sent.id)?.previews).toHaveLength(1));
    const [card] = latest(toLuis, sent.id)?.previews ?? [];
    const hash = createHash('sha256').update(PNG.bytes).digest('hex');
    expect(card).toEqual({
      url: `${site.url}/a`,
      title: 'Town hall <script>alert(1)</script>',
      siteName: 'Example',
      image: `/chat/previews/${hash}`,
    });
    const image = await fetch(`${url}${card?.image ?? ''}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(new Uint8Array(PNG.bytes));
    expect((await fetch(`${url}/chat/previews/${'0'.repeat(64)}`)).status).toBe(404);

    // A reader who joins later (or reconnects) gets the message with its previews.
    const eva = await connect(url, fresh('eva'));
    const joined = await join(eva, room);
    expect(joined.messages.find((m) => m.id === sent.id)?.previews?.[0]?.title).toBe('Town hall <script>alert(1)</script>');

    // An edit to another link: the old card goes at once, the new one comes.
    const edited = await ask(ana, 'message:edit', { roomId: room, messageId: sent.id, text: `now ${site.url}/b` });
    expect(edited).toMatchObject({ ok: true });
    await waitFor(() => expect(latest(toLuis, sent.id)?.previews?.[0]?.title).toBe('Second page'));

    // Only the sender removes; then the message has none, for everyone.
    expect(await ask(luis, 'preview:remove', { roomId: room, messageId: sent.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await ask(ana, 'preview:remove', { roomId: room, messageId: sent.id })).toMatchObject({ ok: true });
    await waitFor(() => expect(latest(toLuis, sent.id)?.previews).toEqual([]));
    expect(await ask(ana, 'preview:remove', { roomId: room, messageId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_NOT_FOUND' },
    });
    // One fetch per page, however many times it was shown.
    expect(site.hits.filter((h) => h === '/a')).toHaveLength(1);
  });

  it('a link deleted or edited away leaves the cache: the next message with it fetches it again', async () => {
    const site = await startSite({ '/a': page('First page'), '/b': page('Second page') });
    const { url } = await startWithRest({ store: store(), plugins: [linkPreviews(LOOPBACK)] });
    const room = fresh('room');
    const ana = await connect(url, fresh('ana'));
    await join(ana, room);
    const seen = updates(ana);
    const previewed = async (text: string, page: string): Promise<Message> => {
      const sent = await say(ana, room, text);
      await waitFor(() => expect(latest(seen, sent.id)?.previews?.[0]?.title).toBe(page));
      return sent;
    };
    // Cached: a second message with the link is previewed without a fetch.
    const first = await previewed(`see ${site.url}/a`, 'First page');
    await previewed(`again ${site.url}/a`, 'First page');
    expect(site.hits.filter((h) => h === '/a')).toHaveLength(1);
    // Deleted: the link's page is fetched again for the next message.
    expect(await ask(ana, 'message:delete', { roomId: room, messageId: first.id })).toMatchObject({ ok: true });
    await waitFor(async () => {
      await previewed(`once more ${site.url}/a`, 'First page');
      expect(site.hits.filter((h) => h === '/a')).toHaveLength(2);
    });
    // Edited to another link: the old one leaves the cache too; an edit that keeps it keeps it.
    const second = await previewed(`see ${site.url}/b`, 'Second page');
    expect(await ask(ana, 'message:edit', { roomId: room, messageId: second.id, text: `still ${site.url}/b` })).toMatchObject({ ok: true });
    // Its preview back (what the edit would take out of the cache goes before it).
    await waitFor(() =>
      expect([latest(seen, second.id)?.text, latest(seen, second.id)?.previews?.[0]?.title]).toEqual([
        `still ${site.url}/b`,
        'Second page',
      ]),
    );
    await previewed(`also ${site.url}/b`, 'Second page');
    expect(site.hits.filter((h) => h === '/b')).toHaveLength(1);
    expect(await ask(ana, 'message:edit', { roomId: room, messageId: second.id, text: `now ${site.url}/a` })).toMatchObject({ ok: true });
    await waitFor(() => expect(latest(seen, second.id)?.previews?.[0]?.title).toBe('First page'));
    await previewed(`back to ${site.url}/b`, 'Second page');
    expect(site.hits.filter((h) => h === '/b')).toHaveLength(2);
  });

  it('the cache keeps a link a day after its fetch: older ones are swept out, with the links of messages retention removed', async () => {
    const chatStore = store();
    await startWithRest({ store: chatStore, plugins: [linkPreviews({ ...LOOPBACK, sweepEveryMs: 20 })] });
    const cache = chatStore.part?.(LINK_PREVIEW_STORE);
    if (!cache) throw new Error('the store has no LinkPreviewStore');
    const day = 24 * 3_600_000;
    const [old, recent] = [`https://old.example/${fresh('a')}`, `https://recent.example/${fresh('b')}`];
    // The recent one first: the sweep that takes the old one out has seen it.
    await cache.cache(recent, { preview: { url: recent, title: 'Recent' }, fetchedAt: Date.now() - day + 600_000 });
    await cache.cache(old, { preview: null, failure: 'timed out', fetchedAt: Date.now() - day - 60_000 });
    await waitFor(async () => expect(await cache.cached(old)).toBeNull());
    expect(await cache.cached(recent)).toMatchObject({ preview: { title: 'Recent' } });
  });

  it('does not preview a link to this machine without allowedAddresses (the site gets no request)', async () => {
    const site = await startSite({ '/a': page('Inside') });
    const { url } = await startWithRest({ store: store(), plugins: [linkPreviews()] });
    const room = fresh('room');
    const [ana, luis] = await Promise.all([connect(url, fresh('ana')), connect(url, fresh('luis'))]);
    await join(ana, room);
    await join(luis, room);
    const seen = updates(luis);
    const sent = await say(ana, room, `${site.url}/a`);
    // A message after it: once its own update (none) would have come, the first had its chance too.
    const marker = await say(ana, room, 'marker');
    await ask(ana, 'reaction:add', { roomId: room, messageId: marker.id, emoji: '👍' });
    await waitFor(() => expect(seen.some((m) => m.id === marker.id)).toBe(true));
    expect(seen.filter((m) => m.id === sent.id)).toEqual([]);
    expect(site.hits).toEqual([]);
  });
});

clusterSuite('link previews', (twoProcesses) => {
  it('a preview fetched on one process reaches the room’s members on the other', async () => {
    const site = await startSite({ '/a': page('Across') });
    const [one, two] = await twoProcesses({ authenticate: byHandshake, plugins: [linkPreviews(LOOPBACK)] });
    const room = fresh('room');
    const [ana, luis] = await Promise.all([connect(one.url, fresh('ana')), connect(two.url, fresh('luis'))]);
    await join(ana, room);
    await join(luis, room);
    const toLuis = updates(luis);
    const sent = await say(ana, room, `${site.url}/a`);
    await waitFor(() => expect(latest(toLuis, sent.id)?.previews?.[0]?.title).toBe('Across'));
  });
});

describe('linkPreviews options', () => {
  it('refuses bad options with a sentence', () => {
    expect(() => linkPreviews({ publicPath: 'previews' })).toThrow(/publicPath must be a path/u);
    expect(() => linkPreviews({ perUserPerMinute: 0 })).toThrow(/perUserPerMinute must be a whole number/u);
    expect(() => linkPreviews({ timeoutMs: -1 })).toThrow(/timeoutMs must be a whole number/u);
  });
});
