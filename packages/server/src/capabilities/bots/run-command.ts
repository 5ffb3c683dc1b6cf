import { randomUUID } from 'node:crypto';
import {
  builtInError,
  ChatError,
  parsePayload,
  type ChatUser,
  type CommandRunPayload,
  type CommandRunResult,
  type Message,
  type Room,
} from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import type { BotMessageDraft } from './chat-bot.js';
import { ChatAction } from '../../core/policy.js';
import { authorizeOrThrow } from '../../kernel/rooms/open-room.js';
import { threadParent } from '../../kernel/rooms/thread-parent.js';
import { SERVER_NAME } from '../../kernel/rooms/reserved-names.js';
import type { CapabilityContext } from '../capability-context.js';
import type { CommandContext, CommandRegistry, RegisteredCommand } from './command-registry.js';

/** Who `ctx.send` of a command without a bot posts as; its messages carry the bot mark (no person can look like it). */
const SERVER_USER: Readonly<ChatUser> = Object.freeze({ id: 'server', name: SERVER_NAME });

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
  ctx: CapabilityContext,
  commands: CommandRegistry,
  caller: CommandCaller,
  request: CommandRunPayload,
): Promise<CommandRunResult> {
  const { roomId, name, args, threadOf: asked } = request;
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.endedAt) throw builtInError('ROOM_ENDED', 'This room has ended.');
  await authorizeOrThrow(ctx, ChatAction.COMMAND_RUN, { user: caller.user, roomId, room, handshake: caller.handshake });
  const command = commands.get(name);
  if (!command) return { reply: commands.unknownText(name) };
  // A command may post for its caller (a reminder's text): muted users and frozen rooms run none.
  await ctx.guard.write(room, caller.user, 'command');
  const threadOf = asked === undefined ? undefined : await threadParent(ctx.store, room, asked);
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
      if (text.length > ctx.limits.maxTextLength) {
        throw new TypeError(`The reply of /${name} is longer than maxTextLength (${ctx.limits.maxTextLength}).`);
      }
      reply = text;
    },
    send: (input) => sendFor(ctx, command, room, inThread(input, threadOf)),
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
async function sendFor(ctx: CapabilityContext, command: RegisteredCommand, room: Room, input: string | BotMessageDraft): Promise<Message> {
  const draft: BotMessageDraft = typeof input === 'string' ? { text: input } : input;
  if (command.bot) {
    if (!command.bot.rooms.has(room.id)) await command.bot.join(room.id);
    return command.bot.send(room.id, draft);
  }
  const clientId = draft.clientId ?? randomUUID();
  const checked = parsePayload(ctx.schemas['message:send'], {
    roomId: room.id,
    clientId,
    text: draft.text,
    ...(draft.attachments !== undefined && { attachments: draft.attachments }),
    ...(draft.replyTo !== undefined && { replyTo: draft.replyTo }),
    ...(draft.mentions !== undefined && { mentions: draft.mentions }),
    ...(draft.threadOf !== undefined && { threadOf: draft.threadOf }),
    ...(draft.alsoInRoom !== undefined && { alsoInRoom: draft.alsoInRoom }),
  });
  return ctx.messages.post({ user: { ...SERVER_USER }, roomId: room.id, room, bot: true }, clientId, {
    text: checked.text,
    attachments: checked.attachments ?? [],
    ...(checked.replyTo !== undefined && { replyTo: checked.replyTo }),
    ...(checked.mentions !== undefined && { mentions: checked.mentions }),
    ...(checked.threadOf !== undefined && { threadOf: checked.threadOf, ...(checked.alsoInRoom === true && { alsoInRoom: true }) }),
  });
}
