// The `web-push` package, an optional peer of @chat/server: loaded only by a server with the `push`
// option, when it gets ready, so that a missing package fails `chat.ready()` rather than the first push.
import { builtInError } from '@chat/protocol';

/** The `web-push` module (its CommonJS exports, whichever way the loader hands them over). */
export type WebPushLib = typeof import('web-push');

/** Loads `web-push`, or rejects with `INTERNAL` and a sentence that says how to install it. */
export async function loadWebPush(): Promise<WebPushLib> {
  try {
    const mod = await import('web-push');
    return (mod as WebPushLib & { default?: WebPushLib }).default ?? mod;
  } catch (error) {
    throw builtInError(
      'INTERNAL',
      'Push notifications (the push option) need the web-push package, which cannot be loaded here: install it (npm install web-push).',
      { cause: error },
    );
  }
}
