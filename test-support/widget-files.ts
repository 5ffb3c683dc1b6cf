import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * The chunk every page that joins fetches after its first join answer (the SDK's auto-away): served
 * with chat-room.min.js, and left out of the lists of chunks fetched that tests compare, where its
 * time against a feature's chunk is a race. test/auto-away-chunk.e2e.test.ts checks it.
 */
export const AFTER_JOIN_CHUNK = 'chat-room.away.js';
/**
 * The chunks a widget with its own client fetches up front: the SDK's list of conversations, asked
 * for as soon as the client is made, and the rows of its outbox in IndexedDB (what a page before
 * left unsent), read at the first join. Served and left out of the lists of chunks fetched as
 * `AFTER_JOIN_CHUNK` is; packages/widget/test/sdk-chunks.e2e.test.ts checks them.
 */
export const CONVERSATIONS_CHUNK = 'chat-room.conversations.js';
export const OUTBOX_CHUNK = 'chat-room.outbox.js';
/**
 * A message's actions and what they open, fetched as the log draws its first messages (after the
 * first view): served and left out of the lists as the others are; test/message-actions-chunk.e2e.test.ts checks it.
 */
export const MESSAGE_TOOLS_CHUNK = 'chat-room.message-tools.js';
/**
 * HTTP long-polling, which a widget fetches where its first WebSocket fails or is slow to open (a
 * loaded machine may take longer than that) and first on a page of another origin: served and left
 * out of the lists as the others are; packages/widget/test/polling-chunk.e2e.test.ts checks it.
 */
export const POLLING_CHUNK = 'chat-room.polling.js';
const EVERY_PAGE_CHUNKS = [AFTER_JOIN_CHUNK, CONVERSATIONS_CHUNK, OUTBOX_CHUNK, MESSAGE_TOOLS_CHUNK, POLLING_CHUNK];

/**
 * The widget's script-tag files as a user serves them, read from packages/widget/dist (`npm test`
 * builds them first): `chat-room.min.js`, the chunks every page fetches and the chunks named, so
 * that a test can leave one out and see what its absence does. `serve` answers a request for one of
 * them (and says so); every `.js` asked for but the chunks every page fetches is recorded in
 * `fetched` (those in `watched`, `AFTER_JOIN_CHUNK` with `withAway`, are recorded too and served
 * only when named).
 */
export function widgetFiles(chunks: readonly string[] = [], options: { withAway?: boolean; watched?: readonly string[] } = {}) {
  const watched = options.watched ?? (options.withAway ? [AFTER_JOIN_CHUNK] : []);
  const always = EVERY_PAGE_CHUNKS.filter((name) => !watched.includes(name));
  const files = new Map(
    ['chat-room.min.js', ...always, ...chunks].map((name) => [
      `/${name}`,
      readFileSync(fileURLToPath(new URL(`../packages/widget/dist/${name}`, import.meta.url))),
    ]),
  );
  const fetched: string[] = [];
  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.endsWith('.js') && !always.includes(path.slice(1))) fetched.push(path);
    const file = files.get(path);
    if (!file) return false;
    res.setHeader('content-type', 'text/javascript');
    res.end(file);
    return true;
  };
  return { fetched, serve };
}
