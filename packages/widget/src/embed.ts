// Script-tag entry (chat-room.min.js): registers <chat-room> and exposes `ChatWidget`.
export * from './index.js';
