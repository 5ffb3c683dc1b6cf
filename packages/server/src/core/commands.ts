// What a slash command is to the plugin that runs it (plugins/commands/): what its handler gets,
// the commands it may run, and what a command's bot does for it. `chat.command()` keeps the
// commands (capabilities/bots/command-registry.ts); a `ChatBot` is a command's bot.
import type { Attachment, ChatUser, CommandInfo, Message, Room } from '@chat/protocol';
import type { ChatHandshake } from './handshake.js';

/** What `bot.send()` takes besides plain text. */
export interface BotMessageDraft {
  text: string;
  attachments?: Attachment[];
  replyTo?: string;
  /** User ids mentioned; only users in the room are kept. */
  mentions?: string[];
  /** Post it in the thread of this message of the room (`bot.reply` to a thread reply does). */
  threadOf?: string;
  /** With `threadOf`: in the room's main log too. @default false */
  alsoInRoom?: boolean;
  /** Idempotency key: give one to make retries safe. @default a new UUID */
  clientId?: string;
}

/** What a command's handler gets: who ran it where, its arguments, and how to answer. */
export interface CommandContext {
  /** The command's name, without the slash. */
  name: string;
  /** The rest of the line after the name, trimmed ('' when none). */
  args: string;
  /** Who ran it (as `authenticate` returned them: roles included). */
  user: ChatUser;
  /** The room it was run in, as stored. */
  room: Room;
  /** The caller's socket handshake. */
  handshake: ChatHandshake;
  /** Run in a thread: its parent's id. `send` posts into it unless its draft names another `threadOf`. */
  threadOf?: string;
  /**
   * Answers the caller alone: the text becomes the `reply` of their `command:run` ack (the last
   * call wins). At most `limits.maxTextLength` characters.
   */
  reply(text: string): void;
  /**
   * Posts to the room for everyone: as the command's `bot` (which joins the room first if it is
   * not in it), or else as the server (`{ id: 'server', name: 'Server' }`). Goes through
   * `beforeMessage` and the limits like every message.
   */
  send(input: string | BotMessageDraft): Promise<Message>;
}

/** What a command's bot (a `ChatBot`) does for it: joins the room, then posts there. */
interface CommandBot {
  /** The rooms it is in (on this process). */
  readonly rooms: ReadonlySet<string>;
  join(roomId: string): Promise<unknown>;
  send(roomId: string, input: string | BotMessageDraft): Promise<Message>;
}

/** A command the plugin may run. */
export interface RunnableCommand {
  readonly name: string;
  readonly bot?: CommandBot | undefined;
  handler(ctx: CommandContext): void | Promise<void>;
}

/** The commands of this process, as the plugin reads them (`chat.command()` adds them). */
export interface CommandsPort {
  /** The command of this name (`/help` is built in unless the host defined one). */
  get(name: string): RunnableCommand | undefined;
  /** What every join's answer lists. */
  list(): CommandInfo[];
  /** The answer to an unknown command. */
  unknownText(name: string): string;
}
