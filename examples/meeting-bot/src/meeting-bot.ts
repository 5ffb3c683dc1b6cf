import type { ChatBot, ChatServer, CommandContext, Message } from '@chat/server';
import { streamAnswer, type AssistantOptions } from './assistant.js';
import { describeDuration, parseDuration } from './durations.js';

/** What {@link createMeetingBot} takes. */
export interface MeetingBotOptions {
  /** @default 'meeting-bot' */
  id?: string;
  /** @default 'Meeting Assistant' */
  name?: string;
  /** Rooms to join at once (it also joins a room where someone sets a reminder). */
  rooms?: string[];
  /** Hand questions to an OpenAI-compatible endpoint; without it the bot says what it can do. */
  assistant?: AssistantOptions;
  /** While an answer streams in, its message is edited at most this often, in ms. @default 300 */
  editEveryMs?: number;
  /** Reminders waiting at most, per room. @default 20 */
  maxRemindersPerRoom?: number;
  /** Told about failures (the endpoint down, a send refused). @default console.error */
  onError?: (error: unknown) => void;
}

/** A running meeting bot. */
export interface MeetingBot {
  bot: ChatBot;
  /** Cancels pending reminders and answers, removes the commands, and the bot leaves its rooms. */
  close(): Promise<void>;
}

/** Typing signals expire after 5 s on the server: send one again before that while waiting. */
const TYPING_EVERY_MS = 2000;
/** Questions answered at once; more get a "busy" answer instead of a queue that grows. */
const MAX_ANSWERING = 4;

/**
 * A meeting assistant: `/remind 5m <text>` posts a reminder to the room later, and a message that
 * mentions it is answered (streamed from an OpenAI-compatible endpoint when one is given: typing
 * while it waits, then one message edited as the tokens arrive).
 * @example const meeting = await createMeetingBot(chat, { rooms: ['lobby'], assistant: assistantFromEnv(process.env) });
 */
export async function createMeetingBot(chat: ChatServer, options: MeetingBotOptions = {}): Promise<MeetingBot> {
  const bot = chat.bot({ id: options.id ?? 'meeting-bot', name: options.name ?? 'Meeting Assistant' });
  const onError = options.onError ?? ((error: unknown) => console.error('[meeting-bot]', error));
  const reminders = new Map<string, Set<ReturnType<typeof setTimeout>>>();
  const answers = new Set<AbortController>();
  const maxText = chat.limits.maxTextLength;

  const remind = async (ctx: CommandContext): Promise<void> => {
    const [when = '', ...rest] = ctx.args.split(/\s+/u);
    const ms = parseDuration(when);
    const text = rest.join(' ').trim();
    if (ms === undefined || text === '') {
      ctx.reply('Say when and what: /remind 5m Stand-up starts. Use s, m or h, up to 24h.');
      return;
    }
    const roomId = ctx.room.id;
    const pending = reminders.get(roomId) ?? new Set();
    if (pending.size >= (options.maxRemindersPerRoom ?? 20)) {
      ctx.reply(`This room has ${pending.size} reminders waiting already; that is the most I keep.`);
      return;
    }
    if (!bot.rooms.has(roomId)) await bot.join(roomId);
    const timer = setTimeout(() => {
      pending.delete(timer);
      bot.send(roomId, `⏰ Reminder from ${ctx.user.name}: ${text}`.slice(0, maxText)).catch(onError);
    }, ms);
    timer.unref?.();
    pending.add(timer);
    reminders.set(roomId, pending);
    ctx.reply(`OK, I will remind this room in ${describeDuration(ms)}.`);
  };
  const removeRemind = chat.command({
    name: 'remind',
    description: 'Posts a reminder to the room later.',
    usage: '/remind 5m <text>',
    handler: remind,
  });

  bot.on('message', async (message) => {
    if (!mentions(message, bot)) return;
    const question = withoutMention(message.text, bot.name);
    if (!options.assistant) {
      await bot.reply(message, `Hi ${message.user.name}! I set reminders (/remind 5m Stand-up) and list commands (/help).`);
      return;
    }
    if (answers.size >= MAX_ANSWERING) {
      await bot.reply(message, 'I am answering other questions; ask me again in a moment.');
      return;
    }
    const abort = new AbortController();
    answers.add(abort);
    try {
      await streamInto(bot, message, question, options.assistant, {
        editEveryMs: options.editEveryMs ?? 300,
        maxText,
        signal: abort.signal,
      });
    } catch (error) {
      if (!abort.signal.aborted) onError(error);
    } finally {
      answers.delete(abort);
    }
  });

  await Promise.all((options.rooms ?? []).map((roomId) => bot.join(roomId)));
  return {
    bot,
    async close() {
      removeRemind();
      for (const pending of reminders.values()) for (const timer of pending) clearTimeout(timer);
      reminders.clear();
      for (const abort of answers) abort.abort();
      await bot.close();
    },
  };
}

// The message is for the bot: it mentions its id, or says "@Name" in the text.
function mentions(message: Message, bot: ChatBot): boolean {
  return message.mentions?.includes(bot.id) === true || message.text.toLowerCase().includes(`@${bot.name.toLowerCase()}`);
}

function withoutMention(text: string, name: string): string {
  const at = text.toLowerCase().indexOf(`@${name.toLowerCase()}`);
  const rest = at === -1 ? text : `${text.slice(0, at)}${text.slice(at + name.length + 1)}`;
  return rest.replace(/^[\s,:]+/u, '').trim() || text;
}

interface StreamOptions {
  editEveryMs: number;
  maxText: number;
  signal: AbortSignal;
}

/**
 * Shows the bot typing while the model thinks, posts the first tokens as a reply, then edits
 * that message as more arrive: at most one edit per `editEveryMs`, one at a time, the last with
 * the whole answer. A failure before any token is answered with an apology; after, the message
 * keeps what arrived, marked as cut short.
 */
async function streamInto(
  bot: ChatBot,
  question: Message,
  text: string,
  assistant: AssistantOptions,
  options: StreamOptions,
): Promise<void> {
  const roomId = question.roomId;
  bot.typing(roomId);
  const typing = setInterval(() => bot.typing(roomId), TYPING_EVERY_MS);
  typing.unref?.();
  let answer = '';
  let sent: Message | undefined;
  let shown = '';
  let editing: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastEdit = 0;
  const clip = (s: string) => (s.length > options.maxText ? `${s.slice(0, options.maxText - 1)}…` : s);
  // Edits run one after another, each with the whole text so far.
  const edit = () => {
    timer = undefined;
    lastEdit = Date.now();
    editing = editing.then(async () => {
      const next = clip(answer);
      if (sent && next !== shown) {
        shown = next;
        await bot.edit(sent, next);
      }
    });
    return editing;
  };
  try {
    for await (const token of streamAnswer(assistant, text, options.signal)) {
      answer += token;
      if (!sent) {
        clearInterval(typing);
        shown = clip(answer);
        sent = await bot.reply(question, shown);
        lastEdit = Date.now();
      } else if (timer === undefined) {
        timer = setTimeout(() => void edit().catch(() => undefined), Math.max(0, options.editEveryMs - (Date.now() - lastEdit)));
      }
    }
    clearTimeout(timer);
    if (!sent) {
      await bot.reply(question, 'I have no answer to that.');
      return;
    }
    await edit();
  } catch (error) {
    clearTimeout(timer);
    await editing.catch(() => undefined);
    if (options.signal.aborted) throw error;
    if (sent) await bot.edit(sent, clip(`${answer} … (cut short)`)).catch(() => undefined);
    else await bot.reply(question, 'Sorry, I could not get an answer right now.').catch(() => undefined);
    throw error;
  } finally {
    clearInterval(typing);
    bot.typing(roomId, false);
  }
}
