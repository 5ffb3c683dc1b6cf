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
 * The widget's script-tag files as a user serves them, read from packages/widget/dist (`npm test`
 * builds them first): `chat-room.min.js`, the chunk every page fetches after joining and the chunks
 * named, so that a test can leave one out and see what its absence does. `serve` answers a request
 * for one of them (and says so); every `.js` asked for but `AFTER_JOIN_CHUNK` is recorded in
 * `fetched` (`withAway` keeps it there and serves it only when named).
 */
export function widgetFiles(chunks: readonly string[] = [], { withAway = false } = {}) {
  const files = new Map(
    ['chat-room.min.js', ...(withAway ? [] : [AFTER_JOIN_CHUNK]), ...chunks].map((name) => [
      `/${name}`,
      readFileSync(fileURLToPath(new URL(`../packages/widget/dist/${name}`, import.meta.url))),
    ]),
  );
  const fetched: string[] = [];
  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.endsWith('.js') && (withAway || path !== `/${AFTER_JOIN_CHUNK}`)) fetched.push(path);
    const file = files.get(path);
    if (!file) return false;
    res.setHeader('content-type', 'text/javascript');
    res.end(file);
    return true;
  };
  return { fetched, serve };
}
