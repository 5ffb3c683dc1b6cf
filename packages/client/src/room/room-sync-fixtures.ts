// Helpers of the RoomSync unit tests (not part of the package build: only tests import it): a fake
// server over which a RoomSync joins, pages and catches up, and the room over it.
import { vi } from 'vitest';
import type { Message, MessageHistoryPayload, MessageHistoryResult, RoomJoinPayload, RoomJoinResult } from '@chat/protocol';
import { builtInError, ChatError } from '@chat/protocol';
import { ConnectionLostError, type RequestEvent, type RequestPayload, type ResponseData, type ServerLink } from '../core/transport.js';
import { RoomSync, type SyncHost } from './room-sync.js';

export function message(seq: number, rev = 0, text = `#${seq}`, id = `m${seq}`): Message {
  return { id, roomId: 'r', seq, clientId: `c-${id}`, user: { id: 'bot', name: 'Bot' }, text, attachments: [], createdAt: '', rev };
}

/** The room's history (by seq), its `epoch` and `rev`, answered `pageSize` at a time; `before()` runs before the next answer to an event. */
export class FakeServer implements ServerLink {
  connected = true;
  socketId: string | undefined = 'socket-1';
  epoch = 'e1';
  rev = 0;
  pageSize = 3;
  ephemeral = false;
  messages: Message[] = [];
  readonly asked: { event: RequestEvent; payload: unknown }[] = [];
  readonly #before: { event: RequestEvent; run: () => Promise<void> | void }[] = [];
  constructor(count = 0) {
    this.post(count);
  }
  /** New messages (after a restart, of the new history: 'new #4', id n4). */
  post(count: number): void {
    const [text, id] = this.epoch === 'e1' ? ['#', 'm'] : ['new #', 'n'];
    const last = this.messages.at(-1)?.seq ?? 0;
    for (let seq = last + 1; seq <= last + count; seq++) this.messages.push(message(seq, 0, `${text}${seq}`, `${id}${seq}`));
  }
  /** Edits messages, in order: each a change with the room's next rev. */
  edit(...seqs: number[]): void {
    for (const seq of seqs) {
      const index = this.messages.findIndex((m) => m.seq === seq);
      this.messages[index] = { ...(this.messages[index] ?? message(seq)), rev: ++this.rev, text: `#${seq} edited ${this.rev}` };
    }
  }
  /** The history starts over (a restarted memory store): another epoch, other messages. */
  restart(count: number): void {
    this.epoch = `${this.epoch}'`;
    this.messages = [];
    this.post(count);
  }
  before(event: RequestEvent, run: () => Promise<void> | void): void {
    this.#before.push({ event, run });
  }
  fail(event: RequestEvent, error: Error, times = 1): this {
    for (let i = 0; i < times; i++) this.before(event, () => Promise.reject(error));
    return this;
  }
  /** The connection drops while `event` is out. */
  drop(event: RequestEvent): void {
    this.before(event, () => ((this.connected = false), Promise.reject(lost())));
  }
  payloads(event: RequestEvent): unknown[] {
    return this.asked.filter((a) => a.event === event).map((a) => a.payload);
  }
  /** Starts a request of `event` whose answer waits for `answer()` (and is then `error`, if given): what `start` comes to. */
  async held(event: RequestEvent, start: () => Promise<void>, error?: Error) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.before(event, () => gate.then(() => (error ? Promise.reject(error) : undefined)));
    const done = start();
    await vi.advanceTimersByTimeAsync(0);
    return { answer: () => (release(), done) };
  }
  async request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>> {
    this.asked.push({ event, payload });
    const index = this.#before.findIndex((b) => b.event === event);
    if (index >= 0) await this.#before.splice(index, 1)[0]?.run();
    return this.#answer(event, payload) as ResponseData<E>;
  }
  #answer(event: RequestEvent, payload: unknown): RoomJoinResult | MessageHistoryResult | Record<string, never> {
    if (event === 'room:join') {
      const { since, epoch } = payload as RoomJoinPayload;
      // As the server does: without an epoch, `since` is taken to be of the current history.
      const resume = since !== undefined && (epoch === undefined || epoch === this.epoch);
      return this.#joinResult(resume ? this.#after(since) : this.#latest(Infinity));
    }
    if (event !== 'message:history') return {};
    const { after, before, changedAfter, minSeq = 0, maxSeq = Infinity, limit } = payload as MessageHistoryPayload;
    if (changedAfter !== undefined) {
      const changed = this.messages.filter((m) => m.rev > changedAfter && m.seq >= minSeq && m.seq <= maxSeq).sort((a, b) => a.rev - b.rev);
      return this.#first(changed);
    }
    return after !== undefined ? this.#after(after) : this.#latest(before ?? Infinity, limit);
  }
  #after(seq: number): MessageHistoryResult {
    return this.#first(this.messages.filter((m) => m.seq > seq));
  }
  #first(list: Message[]): MessageHistoryResult {
    return { messages: list.slice(0, this.pageSize), hasMore: list.length > this.pageSize };
  }
  #latest(before: number, limit = this.pageSize): MessageHistoryResult {
    const older = this.messages.filter((m) => m.seq < before);
    return { messages: older.slice(-limit), hasMore: older.length > limit };
  }
  #joinResult(page: MessageHistoryResult): RoomJoinResult {
    const room = { id: 'r', options: { ephemeral: this.ephemeral }, createdAt: '' };
    return { room, ...page, epoch: this.epoch, rev: this.rev, ...JOINED_AS_ME };
  }
}
const self = { id: 'me', name: 'Me', status: 'online' as const, joinedAt: '' };
export const commands = [{ name: 'roll', description: '' }];
const JOINED_AS_ME = { self, members: [self], memberCount: 1, readSeq: 0, reads: [], calls: [], commands };
/** A room over the fake server; what it told (its events and its host's calls) is in `told`. */
export function room(server = new FakeServer(), more: Pick<SyncHost, 'heldApart'> = {}) {
  const told: string[] = [];
  const sync: RoomSync = new RoomSync('r', {
    link: server,
    emitter: {
      emit: (event: string, arg?: Message | ChatError | { reason: string }) =>
        told.push([event, arg && ('seq' in arg ? arg.seq : arg instanceof ChatError ? arg.code : arg.reason)].join(' ').trim()) > 0,
    },
    // As the room's members do: who came and went is told on a re-join, after its messages.
    joined: (_result, wasIn) => (told.push(wasIn ? 'joined again' : 'joined'), wasIn ? () => void told.push('presence') : undefined),
    // Told only when there are any (every page applied tells its news, often none).
    added: (messages) => void (messages.length > 0 && told.push(`added ${messages.map((m) => m.seq).join(',')}`)),
    synced: () => told.push('synced'),
    ...more,
  });
  const seqs = () => sync.log.messages.map((m) => m.seq);
  const texts = () => sync.log.messages.map((m) => m.text);
  /** The connection dropped and came back (a new socket): the client re-joins. */
  const reconnect = (): Promise<void> => ((server.socketId += '+'), (told.length = 0), sync.join());
  return { sync, server, told, seqs, texts, reconnect };
}

export async function joined(server: FakeServer | number = 0) {
  const r = room(typeof server === 'number' ? new FakeServer(server) : server);
  await r.sync.join();
  r.told.length = 0;
  return r;
}

export const limited = (retryAfter: number) => builtInError('RATE_LIMITED', 'Slow down.', { retryAfter });
export const lost = () => new ConnectionLostError('The connection was lost before the server answered.');
export const settled = async <T>(done: Promise<T>): Promise<T> => (done.catch(() => undefined), await vi.runAllTimersAsync(), done);
export const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
