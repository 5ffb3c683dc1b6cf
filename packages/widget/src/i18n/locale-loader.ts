// The widget's side of lazily loaded languages (./locales.ts): its elements render in English while
// their language's file loads, and again when it has come, so no text is ever missing.
import type { ReactiveControllerHost } from 'lit';
import { ChatError } from '@chat/client';
import { localeLoading, resolveStrings } from './locales.js';
import type { ChatStrings } from './strings.js';

/** The language each element has asked to load (one request, and one error, per element and language). */
const asked = new WeakMap<ReactiveControllerHost, string>();

/**
 * `resolveStrings(lang, overrides)` for an element: if `lang` is a built-in language still loading,
 * English now, and one more update of `host` when it has loaded. A language that cannot be loaded
 * (its file not served next to chat-room.min.js) is said once through `fail`, and the element stays
 * in English.
 */
export function stringsFor(
  host: ReactiveControllerHost,
  lang: string,
  overrides: Partial<ChatStrings>,
  fail: (error: ChatError) => void,
): ChatStrings {
  const key = lang.toLowerCase();
  const pending = asked.get(host) === key ? undefined : localeLoading(key);
  if (pending) {
    asked.set(host, key);
    pending.then(
      () => host.requestUpdate(),
      (error: unknown) => {
        const file = `chat-room.${key.split('-')[0]}.js`;
        const message = `The texts in "${lang}" could not be loaded (${file} must be served next to chat-room.min.js), so the chat is in English.`;
        fail(new ChatError('INTERNAL', message, { cause: error }));
      },
    );
  }
  return resolveStrings(key, overrides);
}
