import {
  builtInError,
  ChatError,
  type ChatUser,
  type CommandRunPayload,
  type CommandRunResult,
  type Message,
  type Room,
} from '@chat/protocol';
import type { BotMessageDraft, CommandContext, CommandsPort, RunnableCommand } from '../../core/commands.js';
import type { ChatHandshake } from '../../core/handshake.js';
import type { PluginTools } from '../../core/plugin.js';
import { ChatAction } from '../../core/policy.js';
import { threadParent } from '../../core/thread-parent.js';

/** What the commands plugin is given: the commands, and how a command without a bot posts. */
export interface CommandParts {
  commands: CommandsPort;
  /** Posts as the server (`{ id: 'server', name: 'Server' }`, with the bot mark). */
  postAsServer(room: Room, draft: BotMessageDraft): Promise<Message>;
}

/** Who runs a command: a socket's user (already in the room). */
export interface CommandCaller {
  user: ChatUser;
  handshake: ChatHandshake;
}

/**
 * `command:run` (its payload checked) of a socket that joined the room: `authorize('command:run')`, then the command's
 * handler; its private answer is the ack's `reply`. An unknown command is answered, not refused,
 * with the list of commands. A handler's `ChatError` reaches the caller as it is; anything else
 * is `INTERNAL` without its details (the socket's request wrapper reports it).
 */
export async function runCommand(
  tools: PluginTools,
  parts: CommandParts,
  caller: CommandCaller,
  request: CommandRunPayload,
): Promise<CommandRunResult> {
  const { roomId, name, args, threadOf: asked } = request;
  const room = await tools.getRoom(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.endedAt) throw builtInError('ROOM_ENDED', 'This room has ended.');
  await tools.checkAllowed(ChatAction.COMMAND_RUN, { user: caller.user, roomId, handshake: caller.handshake });
  const command = parts.commands.get(name);
  if (!command) return { reply: parts.commands.unknownText(name) };
  // A command may post for its caller (a reminder's text): muted users and frozen rooms run none.
  await tools.checkWrite(caller.user, roomId, 'command');
  const threadOf = asked === undefined ? undefined : await threadParent(tools, room, asked);
  const maxTextLength = tools.limits.maxTextLength;
  let reply: string | undefined;
  const context: CommandContext = {
    name,
    args: args.trim(),
    user: caller.user,
    room,
    handshake: caller.handshake,
    ...(threadOf !== undefined && { threadOf }),
    reply: (text) => {
      if (typeof text !== 'string') throw new TypeError(`The reply of /${name} must be a string.`);
      if (text.length > maxTextLength) throw new TypeError(`The reply of /${name} is longer than maxTextLength (${maxTextLength}).`);
      reply = text;
    },
    send: (input) => sendFor(parts, command, room, inThread(input, threadOf)),
  };
  try {
    await command.handler(context);
  } catch (error) {
    if (error instanceof ChatError) throw error;
    throw builtInError('INTERNAL', `The command /${name} failed.`, { cause: error });
  }
  return reply === undefined ? {} : { reply };
}

// A command run in a thread posts into it, unless its draft says where.
function inThread(input: string | BotMessageDraft, threadOf: string | undefined): string | BotMessageDraft {
  if (threadOf === undefined) return input;
  const draft: BotMessageDraft = typeof input === 'string' ? { text: input } : input;
  return draft.threadOf === undefined ? { ...draft, threadOf } : draft;
}

// A command's message to the room: as its bot (joined first if needed) or as the server.
async function sendFor(parts: CommandParts, command: RunnableCommand, room: Room, input: string | BotMessageDraft): Promise<Message> {
  const bot = command.bot;
  if (bot) {
    if (!bot.rooms.has(room.id)) await bot.join(room.id);
    return bot.send(room.id, input);
  }
  return parts.postAsServer(room, typeof input === 'string' ? { text: input } : input);
}
