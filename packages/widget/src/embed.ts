// Script-tag entry (chat-room.min.js): registers <chat-room> and <chat-inbox>, and exposes
// `ChatWidget`: index.ts's exports but `es`, taken from their modules (index.ts imports es.ts, which
// would put Spanish in the bundle). Spanish is a file loaded when a widget asks for it;
// `ChatWidget.loadLocale('es')` gives its texts to a page.
export { ChatRoomElement } from './chat-room/chat-room.js';
export { ChatInboxElement } from './chat-inbox/chat-inbox.js';
export { ChatErrorEvent, ChatJoinEvent, ChatMessageEvent, ChatOpenEvent, ChatUnreadEvent } from './events.js';
export { loadLocale, registerLocale, resolveStrings } from './i18n/locales.js';
export { en } from './i18n/en.js';
export { ChatClient } from '@chat/client';
