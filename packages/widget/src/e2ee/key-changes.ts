// In the e2ee chunk (chat-room.e2ee.js, with the SDK's MLS engine, loaded by encrypted rooms only):
// what the widget does when a member's devices change keys.
import { css, html, nothing, type TemplateResult } from 'lit';
import type { ChatClient, ChatRoom, E2eeKeyChange } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { icon, LOCK } from '../parts/icons.js';
import { keyStrings, type KeyStrings } from './key-strings.js';

/** What watching key changes asks of the room view. */
export interface KeyChangeView {
  /** The element: the line's styles go into its shadow root. */
  _element(): { readonly renderRoot: ParentNode };
  /** The widget's language, and the host's own texts. */
  _lang(): string;
  _strings(): Partial<KeyStrings>;
  /** Adds a line to the log, after the message with seq `afterSeq`. */
  _notice(line: TemplateResult, afterSeq: number): void;
  /** Opens the people panel on the card of `userId`. */
  _openCard(userId: string): void;
  /** Their keys changed: a fingerprint kept for them is old. */
  _keyChanged(userId: string): void;
}

// Said plainly, not as quietly as "Ana joined"; its button as the log's other buttons.
const keyStyles = css`
  .key-change {
    color: var(--chat-fg);
  }
  .key-change svg {
    vertical-align: -3px;
  }
`;
const styled = new WeakSet<object>();

/**
 * Follows `e2ee:keychange` for `room`: a line in the log says whose security key changed, with a
 * button to their card (none for your own new device: your row has no card). The changes this
 * device saw before (kept with it: `client.e2ee.keyChanges`) show again where they came, among the
 * messages loaded. Returns the way to stop.
 */
export function watchKeyChanges(client: ChatClient, room: ChatRoom, view: KeyChangeView): () => void {
  const element = view._element();
  if (!styled.has(element)) {
    styled.add(element);
    addStyles(element, keyStyles);
  }
  const shown = new Set<string>();
  let stopped = false;
  const show = (change: E2eeKeyChange) => {
    // A change told live while the kept ones were read is in both.
    const key = JSON.stringify([change.userId, change.afterSeq, change.added]);
    if (stopped || shown.has(key)) return;
    shown.add(key);
    view._notice(keyChangeLine(room, change.userId, view), change.afterSeq);
  };
  const off = client.on('e2ee:keychange', (change) => {
    if (change.roomId !== room.id) return;
    view._keyChanged(change.userId);
    show(change);
  });
  // Older than the first message loaded: its place is not in the log (it would show at the top).
  const first = (room.messages[0]?.seq ?? 1) - 1;
  void client.e2ee?.keyChanges(room.id).then(
    (kept) => kept.filter((change) => change.afterSeq >= first).forEach(show),
    () => undefined, // unreadable: the live ones still show
  );
  return () => {
    stopped = true;
    off();
  };
}

/** "Luis's security key changed. [Compare fingerprints]", or the line for a new device of yours. */
function keyChangeLine(room: ChatRoom, userId: string, view: KeyChangeView): TemplateResult {
  const strings = keyStrings(view._strings());
  const self = userId === room.self?.id;
  const user = room.members.find((m) => m.id === userId) ?? room.messages.find((m) => m.user.id === userId)?.user;
  // An article of the feed (the log's other items are messages): a button may be in it. Not
  // [role=article]: the keys that move between messages pass it, Tab reaches its button.
  return html`<article class="notice key-change" part="notice">
    ${icon(LOCK)} ${self ? strings.keyChangedSelf : strings.keyChanged(user?.name ?? userId)}
    ${self ? nothing : html`<button type="button" @click=${() => view._openCard(userId)}>${strings.compareFingerprints}</button>`}
  </article>`;
}
