// What <chat-inbox>'s element and its chunk (./inbox.ts) know of each other, below both: the
// element loads the chunk, and the chunk only sees the element through InboxHost.
import type { PropertyValues, TemplateResult } from 'lit';
import type { ChatTheme } from '../chat-room/chat-theme.js';
import type { ConnectionHost } from '../chat-room/connection-controller.js';
import type { ChatStrings } from '../i18n/strings.js';

/** The element as its implementation reads it: its settings, and what Lit and the DOM give it. */
export interface InboxHost extends ConnectionHost, HTMLElement {
  locale: string | undefined;
  theme: ChatTheme;
  heading: string | undefined;
  strings: Partial<ChatStrings>;
}

/** What the element asks of its implementation: Lit's update steps, delegated. */
export interface InboxView {
  willUpdate(changed: PropertyValues<InboxHost>): void;
  updated(): void;
  render(): TemplateResult;
}
