import { ChatRoomElement } from './chat-room.component.js';

// Defining twice (two copies of the script on one page) must not throw.
if (!customElements.get('chat-room')) customElements.define('chat-room', ChatRoomElement);

declare global {
  interface HTMLElementTagNameMap {
    'chat-room': ChatRoomElement;
  }
}

export { ChatRoomElement };
