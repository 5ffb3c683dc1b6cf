import { html, type TemplateResult } from 'lit';
import type { Member, UserPresence } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/** A status dot: online, away or busy, or `offline` (grey) for someone with no connection. */
export function dot(status: string): TemplateResult {
  return html`<i class="dot ${status}"></i>`;
}

/**
 * The status line of a person: dot and word, what they say about it; last seen when offline. In
 * the header of a private conversation, and in the people panel (panels/, a chunk).
 */
export function statusLine(
  person: Pick<Member, 'status' | 'statusText'> | undefined,
  presence: UserPresence | undefined,
  strings: ChatStrings,
  when: (iso: string | undefined) => string,
): TemplateResult {
  // Present somewhere the widget sees: live. Otherwise as `presenceOf` last said.
  if (!person && presence && !presence.online) {
    return html`${dot('offline')}${presence.lastSeenAt ? strings.lastSeen(when(presence.lastSeenAt)) : strings.offlineStatus}`;
  }
  const status = person?.status ?? presence?.status ?? 'online';
  const text = person ? person.statusText : presence?.statusText;
  return html`${dot(status)}${strings[status]}${text ? ` · ${text}` : ''}`;
}
