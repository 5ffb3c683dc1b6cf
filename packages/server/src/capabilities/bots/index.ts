// Bots and slash commands: `command:run` from sockets (bots themselves are made by `chat.bot()`).
import { ClientEvent, parsePayload, type CommandRunResult } from '@chat/protocol';
import type { Capability } from '../../core/capability.js';
import type { CapabilityContext } from '../capability-context.js';
import type { CommandRegistry } from './command-registry.js';
import { runCommand } from './run-command.js';

/** The commands capability: `command:run` in a room the socket joined (the budget was charged like any event). */
export function commandsCapability(ctx: () => CapabilityContext, commands: CommandRegistry): Capability {
  return {
    name: 'commands',
    // The commands of this process, in every join's answer.
    joinAnswer: () => ({ commands: commands.list() }),
    events: {
      [ClientEvent.COMMAND_RUN]: async (caller, payload): Promise<CommandRunResult> => {
        const request = parsePayload(ctx().schemas['command:run'], payload);
        await caller.requireRoom(request.roomId);
        return runCommand(ctx(), commands, { user: caller.user, handshake: caller.handshake }, request);
      },
    },
  };
}

export { BotHub } from './bot-hub.js';
export { ChatBot } from './chat-bot.js';
export type { BotMessageDraft, BotMessageListener, BotOptions, ChatBotEvents } from './chat-bot.js';
export { CommandRegistry } from './command-registry.js';
export type { CommandContext, CommandOptions } from './command-registry.js';
