import { builtInError, ChatError, type CommandInfo, type Member, type Message, type PublicRoom, type RoomJoinResult } from '@chat/protocol';
import { MAX_WAIT_MS, MAX_WAITS, waitBeforeRetry } from '../core/retry-policy.js';
import type { Discontinuity } from '../core/room-types.js';
import { RoomState } from '../core/room-state.js';
import { ConnectionLostError, type RequestEvent, type RequestPayload, type ResponseData, type ServerLink } from '../core/transport.js';
import { GapFiller } from './gap-filler.js';
import { CopyKind, MessageLog } from './message-log.js';
import { OwnReactions } from './reactions.js';

/** The room events the sync tells (some of `ChatRoomEvents`): the room's emitter is one. */
interface SyncEmitter {
  emit(event: 'message' | 'messageUpdated', message: Message): boolean;
  emit(event: 'updated'): boolean;
  emit(event: 'discontinuity', discontinuity: Discontinuity): boolean;
  emit(event: 'error', error: ChatError): boolean;
}

/** What {@link RoomSync} needs from its room. */
export interface SyncHost {
  readonly link: ServerLink;
  readonly emitter: SyncEmitter;
  /**
   * A join answer came (`room`, `self` and `commands` are set): members, read marks, calls and
   * occupancy take it. Returns what to tell once its messages are added (a re-join's presence).
   */
  joined(result: RoomJoinResult, wasIn: boolean): (() => void) | undefined;
  /** Messages new to the log (read marks learn their senders). */
  added(messages: readonly Message[]): void;
  /** Joined and caught up: the outbox may send. */
  synced(): void;
  /** Every copy of a message the room receives, before its log takes it (the room's threads file their replies). */
  copies?(messages: readonly Message[], kind: CopyKind): void;
  /** Runs of the room's messages held apart from its log (a `MessageWindow`'s): a re-join catches up their changes too. */
  heldApart?(): readonly SeqRange[];
}

/**
 * A room's messages and where it stands with the server: the first join, the re-join after a
 * reconnect (paging forward from the watermark, catching up the changes by rev), the history
 * that started over (epoch), live messages and changes applied once each (the log dedupes by
 * seq and rev), and the gap filler.
 */
export class RoomSync {
  readonly id: string;
  state: RoomState = RoomState.JOINING;
  room: PublicRoom | undefined;
  self: Member | undefined;
  /** The server's slash commands, from the last join ack. */
  commands: readonly CommandInfo[] = [];
  /** What the server's plugins added to the last join answer, by plugin name. */
  plugins: Readonly<Record<string, unknown>> = {};

  /**
   * A plugin's new state for the room, in the shape of its join answer (`roomId` aside); only for a
   * plugin the join answer listed. Whether it was taken.
   */
  _pluginState(plugin: string, state: unknown): boolean {
    if (!this.plugins[plugin] || !state || typeof state !== 'object') return false;
    // The keys it carries replace the state's (`questions:updated` brings a user's upvotes or the room's waiting count).
    const { roomId: _, ...rest } = state as Record<string, unknown>;
    this.plugins = { ...this.plugins, [plugin]: { ...this.plugins[plugin], ...rest } };
    return true;
  }
  hasMoreHistory = false;
  readonly log: MessageLog;
  readonly _ownReactions = new OwnReactions();
  readonly _gaps: GapFiller;
  readonly #host: SyncHost;
  /**
   * The room's change counter (`rev`) of the last join that completed, catch-up included: every
   * change up to it is in the messages held. A re-join asks for the changes after it.
   */
  #rev: number | undefined;
  /** Live changes that arrived while a join was under way, applied once its answer is. */
  #joinUpdates: Message[] | undefined;
  /**
   * Other live events (presence) that arrived while a join was under way: applied, in order,
   * once its answer is (which would otherwise replace them); dropped if it fails.
   */
  #joinEvents: Array<(answer: RoomJoinResult) => void> | undefined;
  /**
   * Joins under way (a re-join may start while an earlier one waits, on a new connection): what is
   * held is let go (dropped, or applied for good) only when the last of them ends. One that ends
   * while another is under way applies the held events with its answer and keeps them for the other
   * (its answer may be newer); one that fails leaves them to it.
   */
  #joinsUnderWay = 0;
  /** A join ended while a newer one waited for its answer: the newer one says the room is joined. */
  #joinedMeanwhile = false;
  /** The history the seqs belong to (from the join ack). */
  #epoch: string | undefined;
  /** A re-join started by this room itself (its history changed under it) is under way. */
  #rejoining = false;

  constructor(id: string, host: SyncHost) {
    this.id = id;
    this.#host = host;
    this.log = new MessageLog(id);
    this._gaps = new GapFiller({
      roomId: id,
      log: this.log,
      link: host.link,
      state: () => this.state,
      fetched: (messages) => {
        if (this.add(messages, true)) host.emitter.emit('updated');
      },
      skipped: (after, resumedAt) => host.emitter.emit('discontinuity', { reason: 'gap', after, resumedAt }),
    });
  }

  /** First join, or re-join after a reconnect (`since` the watermark, in the history it belongs to). */
  async join(): Promise<void> {
    let rejoin = this.room !== undefined;
    if (rejoin) this.state = RoomState.SYNCING;
    const epoch = this.#epoch;
    // The messages held now, which may have changed while we were away (after `#rev`).
    const held: HeldRange = { since: this.#rev, minSeq: this.log._oldestSeq, maxSeq: this.log._watermark };
    // A re-join belongs to the connection it started on (the next one starts its own) and
    // waits as long as the server says: no one awaits it, and giving up would lose the room.
    const patience: Patience = rejoin ? { socketId: this.#host.link.socketId } : {};
    // A change broadcast before the answer arrives is applied after it (the first page, or a
    // history that started over, is not in yet).
    this.#joinUpdates ??= [];
    this.#joinEvents ??= [];
    this.#joinsUnderWay++;
    const result = await this._patiently(
      'room:join',
      rejoin ? { roomId: this.id, since: this.log._watermark, ...(epoch !== undefined && { epoch }) } : { roomId: this.id },
      patience,
    ).catch((error: unknown) => {
      if (--this.#joinsUnderWay === 0) {
        this.#joinEvents = undefined;
        this.#applyJoinUpdates();
        // An earlier join ended while this one waited: the room is joined, as that one found it.
        if (this.#joinedMeanwhile && !this._isClosed()) this.#joined();
      }
      throw error;
    });
    const last = --this.#joinsUnderWay === 0;
    if (this._isClosed()) {
      if (last) {
        this.#joinUpdates = undefined;
        this.#joinEvents = undefined;
      }
      // Left while the server was joining us: it has us in the room now, so leave again.
      if (this.#host.link.connected) this.#host.link.request('room:leave', { roomId: this.id }).catch(() => undefined);
      return;
    }
    // Who came and went while we were away is told on every re-join, the history's start-over too.
    const wasIn = rejoin;
    if (rejoin && result.epoch !== epoch) {
      // The server's history of this room started over (a restarted memory store): what we
      // hold belongs to another history. Start again from this answer, as on a first join.
      this.reset();
      rejoin = false;
      this.#host.emitter.emit('discontinuity', { reason: 'reset' });
    }
    this.#applyJoin(result, rejoin, wasIn);
    if (rejoin) this.log._covered(held.maxSeq, result.messages.at(-1)?.seq);
    // Held live events, in order (see `_afterJoin`), kept for a join still under way.
    const events = [...(this.#joinEvents ?? [])];
    if (last) this.#joinEvents = undefined;
    for (const apply of events) if (!this._isClosed()) apply(result);
    if (last) this.#applyJoinUpdates();
    let more = rejoin && result.hasMore;
    let after = result.messages.at(-1)?.seq ?? this.log._watermark;
    while (more) {
      const page = await this._patiently('message:history', { roomId: this.id, after }, patience);
      if (this._isClosed()) return;
      // Retention may remove messages between two pages: where history starts now is no hole.
      this.log._startAt(page.historyStart);
      this.add(page.messages, true);
      this.log._covered(after, page.messages.at(-1)?.seq);
      more = page.hasMore && page.messages.length > 0;
      after = page.messages.at(-1)?.seq ?? after;
    }
    const ranges = rejoin ? [held, ...(this.#host.heldApart?.() ?? [])] : [];
    for (const range of ranges) if (!this._isClosed()) await this.#catchUpChanges(held.since, range, patience);
    if (this._isClosed()) return;
    // Only now: a re-join cut short before here asks again from the previous cursor.
    this.#rev = result.rev;
    // A newer join still waits for its answer (a new connection): the room syncs until it ends
    // (its answer's presence is resync, not news), and says then, or on failing, that it is joined.
    if (this.#joinsUnderWay > 0) this.#joinedMeanwhile = true;
    else this.#joined();
  }

  #joined(): void {
    this.#joinedMeanwhile = false;
    this.state = RoomState.JOINED;
    this.#host.emitter.emit('updated');
    this.#host.synced();
  }

  /** A live message (`message`). */
  _receiveMessage(message: Message): void {
    if (this.state === RoomState.LEFT || this.state === RoomState.ENDED) return;
    if (this.state === RoomState.JOINED && this.log.hasSeq(message.seq) && !this.log.get(message.id)) {
      // Another message under a seq we hold: the room's history started over while we stayed
      // connected (Redis lost an ephemeral room's counter). Join again: the epoch tells.
      this.#rejoinNow(message);
      return;
    }
    // A copy of a message held already is not newer (its changes come as `message:updated`).
    if (this.apply([message], CopyKind.NEW, this.state !== RoomState.JOINING)) this.#host.emitter.emit('updated');
  }

  /** A message changed (`message:updated`): applied if newer than the copy held. */
  _receiveUpdate(message: Message): void {
    if (this._isClosed()) return;
    if (this.#joinUpdates) this.#joinUpdates.push(message);
    else if (this.apply([message], CopyKind.CHANGE)) this.#host.emitter.emit('updated');
  }

  // The message that showed the change belongs to the new history: kept once it is loaded.
  #rejoinNow(message: Message): void {
    if (this.#rejoining) return;
    this.#rejoining = true;
    this.join()
      .then(() => this._receiveMessage(message))
      .catch((error: unknown) => {
        if (!(error instanceof ConnectionLostError))
          this.#host.emitter.emit('error', error instanceof ChatError ? error : builtInError('INTERNAL', String(error)));
      })
      .finally(() => (this.#rejoining = false));
  }

  /** Tells the server we left (see `ChatRoom.leave`); offline there is nothing to tell. */
  async leave(): Promise<void> {
    if (!this.#host.link.connected) return;
    try {
      await this.#host.link.request('room:leave', { roomId: this.id });
    } catch (error) {
      // Already out on the server (e.g. the connection dropped): the goal is reached.
      // (The server never rate-limits leaving a room it has us in: RATE_LIMITED means it had not.)
      const gone =
        error instanceof ChatError && (error.code === 'NOT_IN_ROOM' || error.code === 'ROOM_ENDED' || error.code === 'RATE_LIMITED');
      if (!gone && !(error instanceof ConnectionLostError)) throw error;
    }
  }

  /** Loads a page of older messages (see `ChatRoom.history`). */
  async history(options: { before?: number; limit?: number } = {}): Promise<{ messages: Message[]; hasMore: boolean }> {
    const before = options.before ?? this.log._oldestSeq;
    if (before === undefined && options.before === undefined && this.log.messages.length === 0 && !this.hasMoreHistory) {
      return { messages: [], hasMore: false };
    }
    const page = await this._patiently('message:history', {
      roomId: this.id,
      ...(before !== undefined && { before }),
      ...(options.limit !== undefined && { limit: options.limit }),
    });
    const oldest = this.log._oldestSeq;
    this.add(page.messages, false);
    if (oldest === undefined || (before !== undefined && before <= oldest)) this.hasMoreHistory = page.hasMore;
    this.#host.emitter.emit('updated');
    return page;
  }

  /** Older messages that reach the oldest one held (a `MessageWindow`'s, once it met the log): added, with whether older ones exist. */
  _merge(messages: readonly Message[], hasOlder: boolean): void {
    const oldest = this.log._oldestSeq;
    this.apply(messages, CopyKind.PAGE, false);
    if (oldest === undefined || (messages[0]?.seq ?? oldest) < oldest) this.hasMoreHistory = hasOlder;
    this.#host.emitter.emit('updated');
  }

  #applyJoin(result: RoomJoinResult, rejoin: boolean, wasIn: boolean): void {
    this.room = result.room;
    this.#epoch = result.epoch;
    this.self = result.self;
    this.commands = result.commands ?? [];
    this.plugins = result.plugins ?? {};
    const announce = this.#host.joined(result, wasIn);
    if (!rejoin) {
      this.hasMoreHistory = result.hasMore;
      this.log.begin(result.messages, result.room.options.ephemeral === true);
    }
    // Messages removed by retention (while we were away) are not missing: no hole to fill.
    this.log._startAt(result.historyStart);
    this.add(result.messages, rejoin);
    announce?.();
  }

  /**
   * Holds `apply` (a live event) until the answer of the join under way is applied, and says so;
   * false when no join is under way (apply it now). The server sends a room's live events from
   * before it reads a join's answer: one read too early for the answer would be undone by it.
   * `apply` gets the answer, to skip what it covers already.
   */
  _afterJoin(apply: (answer: RoomJoinResult) => void): boolean {
    return !!this.#joinEvents?.push(apply); // a length, at least 1, when held
  }

  // Live changes held back while a join was under way: applied by rev, like any other.
  #applyJoinUpdates(): void {
    const updates = this.#joinUpdates;
    this.#joinUpdates = undefined;
    if (updates && updates.length > 0 && !this._isClosed() && this.apply(updates, CopyKind.CHANGE)) this.#host.emitter.emit('updated');
  }

  // Catches up the changes (edits, deletes, reactions) to the messages held before a re-join,
  // made after the last completed join (`since`): one entry per changed message, paged by rev.
  // A window's (held apart) reach it as copies; the log takes none of them, all older than its own.
  async #catchUpChanges(since: number | undefined, range: SeqRange, patience: Patience): Promise<void> {
    const { minSeq, maxSeq } = range;
    if (since === undefined || minSeq === undefined || maxSeq < minSeq) return;
    let changedAfter = since;
    for (;;) {
      const page = await this._patiently('message:history', { roomId: this.id, changedAfter, minSeq, maxSeq }, patience);
      if (this._isClosed()) return;
      this.apply(page.messages, CopyKind.CHANGE);
      const last = page.messages.at(-1);
      if (!page.hasMore || !last) return;
      changedAfter = last.rev;
    }
  }

  // Forgets every message of a history that is gone (the outbox stays: it is sent again).
  reset(): void {
    this.log.clear();
    this.#rev = undefined;
    this._ownReactions.clear();
    this.hasMoreHistory = false;
    this._gaps.stop();
  }

  // A request the server may ask us to repeat later (RATE_LIMITED, TIMEOUT): waits as told and
  // tries again, a bounded number of times, while the room is still wanted.
  // With `patience.socketId` (a re-join), there is no bound, but the request is not repeated on
  // another connection than the one it started on.
  async _patiently<E extends RequestEvent>(event: E, payload: RequestPayload<E>, patience: Patience = {}): Promise<ResponseData<E>> {
    const bounded = !('socketId' in patience);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#host.link.request(event, payload);
      } catch (error) {
        // A first join cut off by a disconnect is not joined on the server (it forgets a closed
        // connection's rooms): ask again once connected. (A re-join is started again by the client.)
        if (error instanceof ConnectionLostError && bounded && event === 'room:join' && !this.#host.link.connected && !this._isClosed())
          continue;
        const wait = error instanceof ChatError && !(error instanceof ConnectionLostError) ? waitBeforeRetry(error) : undefined;
        if (wait === undefined || (bounded && (wait > MAX_WAIT_MS || attempt >= MAX_WAITS)) || this._isClosed()) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (this._isClosed()) throw this._closedError();
        if (!bounded && this.#host.link.socketId !== patience.socketId) {
          throw new ConnectionLostError('The connection changed while waiting; the new one joins again.');
        }
      }
    }
  }

  // A page of messages (join, history, a send's ack): new ones are added in seq order, held ones
  // replaced only by a higher rev. True when anything changed.
  add(messages: Message[], announce: boolean): boolean {
    return this.apply(messages, CopyKind.PAGE, announce);
  }

  // Applies copies by where they came from (see CopyKind) and tells the listeners: `message`
  // for a new one (when `announce`), `messageUpdated` for a newer copy of a held one.
  apply(messages: readonly Message[], kind: CopyKind, announce = true): boolean {
    this.#host.copies?.(messages, kind);
    const { added, updated } = this.log.apply(messages, kind);
    if (this.room?.options.ephemeral !== true) {
      // The server marks a sender's message read by its sender.
      this.#host.added(added);
    }
    if (announce) for (const message of added) this.#host.emitter.emit('message', message);
    for (const message of updated) this.#host.emitter.emit('messageUpdated', message);
    this._gaps.watch();
    return added.length > 0 || updated.length > 0;
  }

  // A method, not an inline check: TypeScript would keep its narrowing across an await.
  _isClosed(): boolean {
    return this.state === RoomState.LEFT || this.state === RoomState.ENDED;
  }

  _closedError(): ChatError {
    return this.state === RoomState.ENDED
      ? builtInError('ROOM_ENDED', 'This room has ended.')
      : builtInError('NOT_IN_ROOM', 'You are no longer in this room.');
  }
}

/** A run of a room's messages held, from `minSeq` (undefined: none held) to `maxSeq`. */
export interface SeqRange {
  readonly minSeq: number | undefined;
  readonly maxSeq: number;
}

/** The messages a re-join holds already: changed after `since`, they are caught up by rev. */
interface HeldRange extends SeqRange {
  /** The `rev` of the last completed join (none yet: nothing to catch up). */
  since: number | undefined;
  /** The watermark: every message up to it is held (later ones are fetched again by seq). */
  maxSeq: number;
}

/** How a request is repeated when the server says to wait (see `#patiently`). */
interface Patience {
  /** Set for a re-join: the connection it runs on (no bound on the waits, no repeat on another). */
  socketId?: string | undefined;
}
