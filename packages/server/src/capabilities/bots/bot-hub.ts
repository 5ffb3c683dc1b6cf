import { builtInError, toChatError, type Message } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';

/** Sent between processes: a message for the bots of other processes in its room. */
const BOT_MESSAGE_SIGNAL = 'chat:bot-message';
/** Sent between processes when a room ends (by `RoomSignals`): bots of every process leave it too. */
const ROOM_ENDED_SIGNAL = 'chat:room-ended';
/** Sent between processes: a bot joined or left a room, so cached lists of a room's bots are stale. */
const BOTS_CHANGED_SIGNAL = 'chat:bots-changed';
/** How long a process trusts what it read of a room's bots (a bot joining elsewhere signals at once). */
const BOT_ROOMS_TTL_MS = 10_000;
/** Rooms whose bots are remembered at once, per process. */
const MAX_CACHED_ROOMS = 10_000;

interface BotMessageSignal {
  message: Message;
  botIds: string[];
}

type SignalTarget = { on(event: string, listener: (data: never) => void): void };

/** What the hub needs from a bot of this process. */
export interface LocalBot {
  readonly id: string;
  /** Its display name: no person may take it while the bot lives here. */
  readonly name: string;
  /** Whether the bot is in the room on this process. */
  isIn(roomId: string): boolean;
  /** Hands the bot a message of one of its rooms (it leaves out its own and, unless it asked, other bots'). */
  hear(message: Message): void;
  leave(roomId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The bots of this process, and how messages reach them: a message stored here goes to this
 * process's bots in its room at once; with a cluster, the room's bots on other processes (read
 * from the presence registry, where bots are members with `bot: true`) get it through one
 * server-side signal, which names them. A bot id that lives on this process is served here and
 * not forwarded, so a bot created on every process hears each message once.
 */
export class BotHub {
  readonly #bots = new Map<string, LocalBot>();
  /** Bot ids per room, cluster-wide, as last read from the presence registry. */
  readonly #rooms = new Map<string, { ids: Promise<string[]>; until: number }>();
  #clustered = false;

  constructor(private readonly ctx: CapabilityContext) {}

  /** A bot id of this process (ids are unique per process: `VALIDATION_FAILED` otherwise). */
  add(bot: LocalBot): void {
    if (this.#bots.has(bot.id)) throw builtInError('VALIDATION_FAILED', `A bot with the id "${bot.id}" exists already on this server.`);
    this.#bots.set(bot.id, bot);
    this.ctx.reservedNames.reserve(bot.name, bot.id);
  }

  delete(bot: LocalBot): void {
    if (this.#bots.get(bot.id) !== bot) return;
    this.#bots.delete(bot.id);
    this.ctx.reservedNames.release(bot.name, bot.id);
  }

  /** True when `userId` is a bot of this process. */
  has(userId: string): boolean {
    return this.#bots.has(userId);
  }

  /** Listens to the other processes (once the cluster's adapter is in place). */
  listen(): void {
    this.#clustered = true;
    const signals = this.ctx.nsp as unknown as SignalTarget;
    signals.on(BOT_MESSAGE_SIGNAL, (signal: BotMessageSignal) => this.#deliver(signal.message, signal.botIds));
    signals.on(BOTS_CHANGED_SIGNAL, (roomId: string) => this.#rooms.delete(roomId));
    signals.on(ROOM_ENDED_SIGNAL, (room: { id: string }) => this.ended(room.id));
  }

  /** A room ended (here or, through the cluster, elsewhere): this process's bots leave it. */
  ended(roomId: string): void {
    for (const bot of this.#bots.values()) {
      if (!bot.isIn(roomId)) continue;
      const leaving = bot.leave(roomId).catch((error: unknown) => this.ctx.report(toChatError(error), { event: 'room:ended' }));
      this.ctx.inflight.add(leaving);
      void leaving.then(() => this.ctx.inflight.delete(leaving));
    }
  }

  /** Closes every bot of this process (they leave their rooms); `chat.close()` calls it. */
  async close(): Promise<void> {
    await Promise.all([...this.#bots.values()].map((bot) => bot.close()));
  }

  /** The link to the other processes was back after an outage: what was read of rooms' bots may be stale. */
  resync(): void {
    this.#rooms.clear();
  }

  /** A bot of this process joined or left a room: every process reads the room's bots again. */
  changed(roomId: string): void {
    this.#rooms.delete(roomId);
    if (this.#clustered) this.ctx.nsp.serverSideEmit(BOTS_CHANGED_SIGNAL, roomId);
  }

  /** A message this process stored (and announced with `chat.on('message')`): its room's bots hear it. */
  heard(message: Message): void {
    const local = new Set<string>();
    for (const bot of this.#bots.values()) {
      if (!bot.isIn(message.roomId)) continue;
      local.add(bot.id);
      bot.hear(message);
    }
    if (!this.#clustered) return;
    const work = this.#botsIn(message.roomId)
      .then((ids) => {
        const remote = ids.filter((id) => !local.has(id) && id !== message.user.id);
        if (remote.length > 0) this.ctx.nsp.serverSideEmit(BOT_MESSAGE_SIGNAL, { message, botIds: remote } satisfies BotMessageSignal);
      })
      .catch((error: unknown) => this.ctx.report(toChatError(error), { event: 'bot:message' }));
    this.ctx.inflight.add(work);
    void work.then(() => this.ctx.inflight.delete(work));
  }

  // A message from another process, for the bots it names.
  #deliver(message: Message, botIds: string[]): void {
    if (!Array.isArray(botIds)) return;
    for (const id of botIds) {
      const bot = this.#bots.get(id);
      if (bot?.isIn(message.roomId)) bot.hear(message);
    }
  }

  // The ids of the room's bots on every process, read once per room per TTL (a join or leave
  // of a bot anywhere makes every process read it again).
  #botsIn(roomId: string): Promise<string[]> {
    const now = Date.now();
    const hit = this.#rooms.get(roomId);
    if (hit && hit.until > now) return hit.ids;
    const ids = this.ctx.presence.members(roomId).then((members) => members.filter((m) => m.bot === true).map((m) => m.id));
    if (this.#rooms.size >= MAX_CACHED_ROOMS) this.#rooms.delete(this.#rooms.keys().next().value as string);
    this.#rooms.set(roomId, { ids, until: now + BOT_ROOMS_TTL_MS });
    // A failed read is not kept: the next message asks again.
    ids.catch(() => {
      if (this.#rooms.get(roomId)?.ids === ids) this.#rooms.delete(roomId);
    });
    return ids;
  }
}
