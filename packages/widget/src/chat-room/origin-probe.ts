// Why a widget cannot connect, looked for once its first tries failed: a chunk of its own
// (chat-room.origin-probe.js next to chat-room.min.js), which a page that connects never fetches.
import { ChatError, ConnectionState, ErrorCode, type ChatClient } from '@chat/client';
import { inOwnWords } from '../i18n/error-text.js';
import type { ChatStrings } from '../i18n/strings.js';
import { originStrings } from './origin-strings.js';

/** What the probe asks of the widget's view. */
interface OriginProbeView {
  /** Fires `chat-error`, and shows the error in the banner. */
  fail(error: ChatError): void;
  strings(): ChatStrings;
}

/**
 * A page on another origin than the server's, which the server does not allow (no `cors`),
 * never connects: the browser blocks every try, and only its console says why. A request the
 * browser does not check (`no-cors`) tells a server that answers from one that cannot be
 * reached: it answers, so the origin is what is refused, and the widget says so (unless `client`,
 * connected or given up meanwhile, is no longer the one `current` gives, or no longer connecting).
 * `path` is the widget's Socket.IO path, if it was given one.
 */
export async function probeOrigin(
  client: ChatClient,
  path: string | undefined,
  current: () => ChatClient | undefined,
  view: OriginProbeView,
): Promise<void> {
  // The URL the client connects to (socket.io keeps it on its manager, not in its types).
  const server = new URL((client.socket.io as unknown as { uri: string }).uri, location.href);
  if (server.origin === location.origin) return;
  try {
    // Socket.IO serves its client script here (200, no body for HEAD; a server without it
    // answers 400, which does as well): nothing is opened on the server.
    const script = `${(path || '/socket.io').replace(/\/$/u, '')}/socket.io.min.js`;
    await fetch(new URL(script, server), { method: 'HEAD', mode: 'no-cors', cache: 'no-store' });
  } catch {
    return; // not reachable at all: "Connecting…" says it all
  }
  if (client !== current() || client.state !== ConnectionState.CONNECTING) return;
  // What to change, for the page's developer (chat-error, the console); visitors read a plain sentence.
  const detail = `The chat server (${server.origin}) does not accept connections from this page (${location.origin}): its cors and allowedOrigins settings must allow this page's origin.`;
  console.warn(detail);
  const error = new ChatError(ErrorCode.FORBIDDEN, detail);
  view.fail(inOwnWords(error, originStrings(view.strings()).originRefused(server.origin, location.origin)));
}
