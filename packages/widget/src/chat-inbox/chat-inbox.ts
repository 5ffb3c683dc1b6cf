import '../chat-room/chat-room.js';
import { ChatInboxElement } from './chat-inbox.component.js';

// Defining twice (two copies of the script on one page) must not throw.
if (!customElements.get('chat-inbox')) customElements.define('chat-inbox', ChatInboxElement);

declare global {
  interface HTMLElementTagNameMap {
    'chat-inbox': ChatInboxElement;
  }
}

export { ChatInboxElement };
