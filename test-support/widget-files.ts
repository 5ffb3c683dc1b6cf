import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * The widget's script-tag files as a user serves them, read from packages/widget/dist (`npm test`
 * builds them first): `chat-room.min.js` and the chunks named, so that a test can leave one out and
 * see what its absence does. `serve` answers a request for one of them (and says so); every `.js`
 * asked for is recorded in `fetched`.
 */
export function widgetFiles(chunks: readonly string[] = []) {
  const files = new Map(
    ['chat-room.min.js', ...chunks].map((name) => [
      `/${name}`,
      readFileSync(fileURLToPath(new URL(`../packages/widget/dist/${name}`, import.meta.url))),
    ]),
  );
  const fetched: string[] = [];
  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.endsWith('.js')) fetched.push(path);
    const file = files.get(path);
    if (!file) return false;
    res.setHeader('content-type', 'text/javascript');
    res.end(file);
    return true;
  };
  return { fetched, serve };
}
