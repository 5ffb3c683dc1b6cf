// Script-tag entry: `<script src=".../chat-client.global.js">` exposes `ChatSDK.ChatClient` etc.
export * from './index.js';
