// Bots (`chat.bot()`), the commands of `chat.command()`, and how a command without a bot posts. The
// commands are run by a built-in plugin (plugins/commands/), given the registry and `postAsServer`.
export { BotHub } from './bot-hub.js';
export { ChatBot } from './chat-bot.js';
export type { BotMessageListener, BotOptions, ChatBotEvents } from './chat-bot.js';
export type { BotMessageDraft, CommandContext } from '../../core/commands.js';
export { CommandRegistry } from './command-registry.js';
export type { CommandOptions } from './command-registry.js';
export { postAsServer } from './server-post.js';
