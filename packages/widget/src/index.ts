// Importing this module registers <chat-room> and <chat-inbox>.
export { ChatRoomElement } from './chat-room/chat-room.js';
export { ChatInboxElement } from './chat-inbox/chat-inbox.js';
export type { ChatTheme } from './chat-room/chat-theme.js';
export type { TokenRefresher } from './chat-room/connection-controller.js';
export { ChatErrorEvent, ChatJoinEvent, ChatMessageEvent, ChatOpenEvent, ChatUnreadEvent } from './events.js';
export type { RoomUnread, UnreadDetail } from './events.js';
export { loadLocale, registerLocale, resolveStrings } from './i18n/locales.js';
export { en } from './i18n/en.js';
export { es } from './i18n/es.js';
export type { ChatStrings, ErrorSentences, LanguageTable } from './i18n/strings.js';
export { ChatClient } from '@chat/client';
