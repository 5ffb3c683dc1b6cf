import { builtInError, ID_LIMITS, type CommandInfo } from '@chat/protocol';
import type { CommandContext, CommandsPort } from '../../core/commands.js';
import type { ChatBot } from './chat-bot.js';

/** What `chat.command()` takes. */
export interface CommandOptions {
  /** Without the slash: lowercase letters, digits, `-` and `_`, at most 32 characters. */
  name: string;
  /** One line for the list of commands (`/help`, the composer). */
  description: string;
  /** How to call it, shown with the description: `/remind 5m <text>`. */
  usage?: string;
  /** Who `ctx.send` posts as. @default the server */
  bot?: ChatBot;
  /**
   * Runs the command; its promise is waited for (within `requestTimeoutMs`, else the caller gets
   * `TIMEOUT`). Throw a `ChatError` to refuse with its code and message; anything else reaches the
   * caller as `INTERNAL` ("The command /x failed.") and is reported through `chat.on('error')`.
   */
  handler: (ctx: CommandContext) => void | Promise<void>;
}

/** A registered command. */
export interface RegisteredCommand extends CommandInfo {
  bot?: ChatBot;
  handler: (ctx: CommandContext) => void | Promise<void>;
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/u;
const MAX_DESCRIPTION = 200;

/** The slash commands of this process, with a built-in `/help` unless the host defines one. */
export class CommandRegistry implements CommandsPort {
  readonly #commands = new Map<string, RegisteredCommand>();

  /** Adds a command; returns a function that removes it. Bad options are `VALIDATION_FAILED`. */
  add(options: CommandOptions): () => void {
    const command = checkCommand(options);
    if (this.#commands.has(command.name)) throw builtInError('VALIDATION_FAILED', `There is a command /${command.name} already.`);
    this.#commands.set(command.name, command);
    return () => {
      if (this.#commands.get(command.name) === command) this.#commands.delete(command.name);
    };
  }

  /** The command of this name; `/help` is built in unless the host defined it. */
  get(name: string): RegisteredCommand | undefined {
    const command = this.#commands.get(name);
    if (command || name !== 'help') return command;
    return { ...HELP, handler: (ctx) => ctx.reply(this.helpText()) };
  }

  /** What the join ack lists: the built-in `/help` first (unless replaced), then the host's, by name. */
  list(): CommandInfo[] {
    const own = [...this.#commands.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map(toInfo);
    return this.#commands.has('help') ? own : [{ ...HELP }, ...own];
  }

  /** The answer of the built-in `/help`. */
  helpText(): string {
    const lines = this.list().map((c) => `${c.usage ?? `/${c.name}`}: ${c.description}`);
    return `Commands here:\n${lines.join('\n')}`;
  }

  /** The answer to an unknown command (English; a client may show its own words instead). */
  unknownText(name: string): string {
    const names = this.list()
      .map((c) => `/${c.name}`)
      .join(', ');
    return `Unknown command /${name}. Commands here: ${names}.`;
  }
}

const HELP: CommandInfo = { name: 'help', description: 'Lists the commands you can use here.', usage: '/help' };

function toInfo(command: RegisteredCommand): CommandInfo {
  return { name: command.name, description: command.description, ...(command.usage !== undefined && { usage: command.usage }) };
}

function checkCommand(options: CommandOptions): RegisteredCommand {
  if (typeof options !== 'object' || options === null) {
    throw builtInError('VALIDATION_FAILED', 'chat.command() takes { name, description, handler }.');
  }
  const { name, description, usage, handler, bot } = options;
  if (typeof name !== 'string' || !NAME.test(name) || name.length > ID_LIMITS.commandName) {
    throw builtInError(
      'VALIDATION_FAILED',
      `A command name is lowercase letters, digits, - and _ (at most ${ID_LIMITS.commandName}), without the slash: "remind", not "/Remind".`,
    );
  }
  if (typeof description !== 'string' || description.trim() === '' || description.length > MAX_DESCRIPTION) {
    throw builtInError('VALIDATION_FAILED', `The command /${name} needs a description of at most ${MAX_DESCRIPTION} characters.`);
  }
  if (usage !== undefined && (typeof usage !== 'string' || usage.length > MAX_DESCRIPTION)) {
    throw builtInError('VALIDATION_FAILED', `The usage of /${name} must be a string of at most ${MAX_DESCRIPTION} characters.`);
  }
  if (typeof handler !== 'function') throw builtInError('VALIDATION_FAILED', `The command /${name} needs a handler function.`);
  return { name, description, ...(usage !== undefined && { usage }), ...(bot !== undefined && { bot }), handler };
}
