import { builtInError, ChatError, type Message } from '@chat/protocol';
import { scopeKey } from './memory-outbox.js';
import type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox-store.js';
import { OutboxStatus, type OutboxEntry } from './outbox-entry.js';
import { uuid } from '../core/uuid.js';

export { OutboxStatus } from './outbox-entry.js';
export type { OutboxEntry } from './outbox-entry.js';

/**
 * Between two orders of one page in the same millisecond: they stay within it (up to 1024 sends),
 * so a send of another page in a later millisecond still comes after them. Exact in a double.
 */
const ORDER_STEP = 1 / 1024;

/**
 * How long a room's first send waits for what earlier pages left in the store (its code fetched,
 * IndexedDB opened): past that, the outbox goes on in memory, said once, and the send goes out.
 */
const LOAD_DEADLINE_MS = 10_000;

interface Waiter {
  resolve: (message: Message) => void;
  reject: (error: ChatError) => void;
}

/** Where the outbox is kept besides memory. */
interface Keeping {
  store: OutboxStore;
  server: string;
  roomId: string;
  /** Told once when the store fails; the outbox goes on in memory. */
  onError: (error: ChatError) => void;
  /** Who writes, to the store: it does not tell this outbox of its own writes (no read after each). */
  writer: string;
}

/**
 * Messages of one room that the server has not acknowledged yet, in send order. An entry
 * keeps its `clientId` across resends, so the server stores it once however often it goes.
 * With a store ({@link keepIn}), every change is written there too, once the sender is known
 * ({@link attach}): a later page of the same user loads what is left and sends it.
 */
export class Outbox {
  readonly #entries = new Map<string, OutboxEntry>();
  /** Send order of each entry (kept in the store, so it holds across pages). */
  readonly #orders = new Map<string, number>();
  readonly #waiters = new Map<string, Waiter>();
  readonly #inFlight = new Set<string>();
  #keeping: Keeping | undefined;
  /** Set by attach(); writes start then. */
  #scope: OutboxScope | undefined;
  #attached = false;
  /** The user the entries belong to (set by attach()), but those in `#unbound`. */
  #owner: string | undefined;
  /** The credentials changed since attach(): the next sender may be someone else. */
  #changing = false;
  /** Entries added while `#changing`: they belong to whoever the next attach() is for. */
  readonly #unbound = new Set<string>();
  #lastOrder = 0;
  /** Delivered here: a store read begun before their deletion must not bring them back. */
  readonly #gone = new Set<string>();
  /** Changes made here, counted; a store read begun before one must not undo it. */
  #changes = 0;
  /** The count at each entry's latest change of status here (retried or refused). */
  readonly #changedAt = new Map<string, number>();
  /** Refreshes run one after another: each settles from a read newer than the last one's. */
  #reading: Promise<unknown> = Promise.resolve();
  #nextRead: Promise<boolean> | undefined;
  /** Failed by {@link failAll}: the room is closed, the store's copy is no longer followed. */
  #closed = false;
  /** Writes go to the store one after another, in the order of the changes. */
  #writes: Promise<void> = Promise.resolve();
  #reported = false;

  /** Keeps the outbox in `store` too (before {@link attach}). */
  keepIn(store: OutboxStore, server: string, roomId: string, onError: (error: ChatError) => void): void {
    this.#keeping = { store, server, roomId, onError, writer: uuid() };
  }

  /** The sender is known and what the store held for them is loaded. */
  get attached(): boolean {
    return this.#attached;
  }

  /** Attached to `userId`, with no change of credentials since: its entries may go out as them. */
  attachedTo(userId: string): boolean {
    return this.#attached && !this.#changing && this.#owner === userId;
  }

  /**
   * The credentials changed (another user may sign in on this client): entries added from now
   * on belong to whoever the next {@link attach} is for, not to the user attached now.
   */
  credentialsChanged(): void {
    if (this.#attached) this.#changing = true;
  }

  /**
   * Loads what earlier pages of `userId` left for this room (with their order, failed ones
   * still failed), and stores the entries sent here before the sender was known. Attached to
   * another user until now, that user's entries leave this outbox unsent (`send()` rejects with
   * `UNAUTHENTICATED`; a store keeps them for that user's next session): they never go out, nor
   * show, as `userId`'s. A store that has not loaded in 10 s is left (said once, as a store that
   * fails is): the outbox goes on in memory, and its sends go out.
   */
  async attach(userId: string): Promise<void> {
    if (this.#attached) {
      if (this.attachedTo(userId)) return;
      if (this.#owner !== userId) this.#dropOwned();
      this.#attached = false;
      this.#scope = undefined;
    }
    this.#changing = false;
    this.#unbound.clear();
    this.#owner = userId;
    const keeping = this.#keeping;
    if (!keeping) {
      this.#attached = true;
      return;
    }
    const scope: OutboxScope = { server: keeping.server, userId, roomId: keeping.roomId };
    let stored: StoredOutboxEntry[];
    try {
      stored = await loadedInTime(keeping.store.load(scope));
    } catch (error) {
      this.#keeping = undefined;
      this.#attached = true;
      this.#report(keeping, error);
      return;
    }
    if (this.#attached) return;
    this.#attached = true;
    this.#scope = scope;
    const mine = [...this.#entries.values()];
    this.#merge(stored);
    for (const entry of mine) void this.#put(entry);
  }

  // Adds the stored entries this outbox does not hold, in send order among its own. True if any.
  #merge(stored: readonly StoredOutboxEntry[]): boolean {
    const rows = stored.filter((row) => !this.#entries.has(row.clientId) && !this.#gone.has(row.clientId));
    for (const row of rows) {
      this.#entries.set(row.clientId, fromStored(row));
      this.#orders.set(row.clientId, row.order);
      this.#lastOrder = Math.max(this.#lastOrder, row.order);
    }
    if (rows.length === 0) return false;
    const sorted = [...this.#entries.values()].sort((a, b) => this.#order(a) - this.#order(b));
    this.#entries.clear();
    for (const entry of sorted) this.#entries.set(entry.clientId, entry);
    return true;
  }

  // The entries of the user attached until now (not those added since the credentials changed):
  // out of memory, unsent; the store keeps them under that user.
  #dropOwned(): void {
    const kept = this.#scope !== undefined;
    const error = builtInError(
      'UNAUTHENTICATED',
      kept
        ? 'Another user signed in before this message was sent: it was not sent as them, and waits for your next sign-in.'
        : 'Another user signed in before this message was sent: it was not sent as them.',
    );
    for (const clientId of [...this.#entries.keys()]) {
      if (this.#unbound.has(clientId)) continue;
      this.#entries.delete(clientId);
      this.#orders.delete(clientId);
      this.#inFlight.delete(clientId);
      this.#waiters.get(clientId)?.reject(error);
      this.#waiters.delete(clientId);
    }
  }

  add(entry: OutboxEntry): Promise<Message> {
    // Milliseconds since 1970, but never the same twice: orders follow sends across pages too.
    this.#lastOrder = Math.max(Date.now(), this.#lastOrder + ORDER_STEP);
    this.#orders.set(entry.clientId, this.#lastOrder);
    this.#entries.set(entry.clientId, entry);
    if (this.#changing) this.#unbound.add(entry.clientId);
    void this.#put(entry);
    return new Promise<Message>((resolve, reject) => this.#waiters.set(entry.clientId, { resolve, reject }));
  }

  /** Entries waiting to go, oldest first, that are not on the wire now. */
  sendable(): OutboxEntry[] {
    return [...this.#entries.values()].filter((e) => e.status === OutboxStatus.PENDING && !this.#inFlight.has(e.clientId));
  }

  /** Marks an entry as on the wire; false when it already is (or is gone). */
  claim(clientId: string): boolean {
    if (!this.#entries.has(clientId) || this.#inFlight.has(clientId)) return false;
    this.#inFlight.add(clientId);
    return true;
  }

  /** The send did not get an answer (disconnect, timeout): it stays pending for the next try. */
  release(clientId: string): void {
    this.#inFlight.delete(clientId);
  }

  /** Pages of this user send this room's entries one at a time: the store has locks. */
  get locked(): boolean {
    return this.#scope !== undefined && this.#keeping?.store.exclusive !== undefined;
  }

  /**
   * Runs `send` while no other page of this user sends this room's outbox (with a store that has
   * locks): one page at a time sends it, oldest first. Without a store or locks, it just runs.
   */
  exclusively<T>(send: () => Promise<T>): Promise<T> {
    const store = this.#keeping?.store;
    const scope = this.#scope;
    return store?.exclusive && scope ? store.exclusive(scopeKey(scope), send) : send();
  }

  /**
   * Calls `listener` when a client sharing the store (another page of this user) changed this
   * outbox's entries there, if the store tells ({@link OutboxStore.watch}); not for this outbox's
   * own writes, with a store that knows its writers. Returns the function that stops it.
   */
  onStoreChange(listener: () => void): () => void {
    const keeping = this.#keeping;
    if (!keeping?.store.watch) return () => undefined;
    return keeping.store.watch((scope) => {
      if (this.#scope && !this.#closed && scopeKey(scope) === scopeKey(this.#scope)) listener();
    }, keeping.writer);
  }

  /**
   * Brings this outbox up to date with the store (before a send, under {@link exclusively}, or
   * when the store says another page changed it): entries other pages of this user wrote come in,
   * in the order they were written, so the oldest goes first whichever page wrote it; entries
   * another page delivered (gone from the store; `held` finds the message if this room has it),
   * discarded, saw refused or retried are settled, dropped or updated here too. One refresh at a
   * time. True when the outbox changed (each caller of one refresh is told).
   */
  refresh(held: (clientId: string) => Message | undefined): Promise<boolean> {
    // One not begun yet reads after every change made before this call: it does for this one too.
    if (this.#nextRead) return this.#nextRead;
    const read = this.#reading.then(() => ((this.#nextRead = undefined), this.#refresh(held)));
    this.#reading = read.catch(() => undefined);
    return (this.#nextRead = read);
  }

  async #refresh(held: (clientId: string) => Message | undefined): Promise<boolean> {
    const keeping = this.#keeping;
    const scope = this.#scope;
    if (!keeping || !scope || this.#closed) return false;
    const began = this.#changes;
    await this.#writes; // this page's own writes first: an entry still being put is not "gone"
    let rows: StoredOutboxEntry[];
    try {
      rows = await keeping.store.load(scope);
    } catch {
      return false; // not known: go by what this page holds (the server stores a clientId once)
    }
    if (this.#scope !== scope || this.#closed) return false; // attached to another user, or closed, meanwhile
    const stored = new Map(rows.map((row) => [row.clientId, row]));
    for (const clientId of this.#gone) if (!stored.has(clientId)) this.#gone.delete(clientId);
    let changed = false;
    for (const entry of [...this.#entries.values()]) {
      const { clientId } = entry;
      if (this.#unbound.has(clientId) || this.#inFlight.has(clientId)) continue;
      // Retried or refused here while the read was under way: the row read is from before.
      if ((this.#changedAt.get(clientId) ?? 0) > began) continue;
      const row = stored.get(clientId);
      if (row) changed = this.#follow(entry, row) || changed;
      else {
        const message = held(clientId);
        if (message) this.#settleAcked(clientId, message);
        // This page's own send() waits for an answer: it goes (the server returns the stored copy).
        else if (this.#waiters.has(clientId)) continue;
        // Another page delivered it (it comes like any message) or discarded it.
        else this.#forget(clientId);
        changed = true;
      }
    }
    // Not one this room holds already: another page delivered it and has yet to forget it.
    return this.#merge(rows.filter((row) => !held(row.clientId))) || changed;
  }

  // The entry's status and refusal as another page left them in the store. True if it changed.
  #follow(entry: OutboxEntry, row: StoredOutboxEntry): boolean {
    if (row.status === OutboxStatus.FAILED) {
      const error = row.error ? ChatError.fromData(row.error) : builtInError('INTERNAL', 'The message could not be sent.');
      if (entry.status === OutboxStatus.PENDING) this.#settleFailed(entry.clientId, error);
      else if (entry.error?.code === error.code && entry.error.message === error.message) return false;
      else entry.error = error; // refused again, elsewhere
      return true;
    }
    if (entry.status !== OutboxStatus.FAILED) return false;
    // Retried in another page: it goes again (here too, if this page sends first; stored once).
    entry.status = OutboxStatus.PENDING;
    delete entry.error;
    return true;
  }

  /**
   * A message of this room came from the server. True when it is this page's own send, on the
   * wire now: its ack adds it. One that another page of this user sent settles its entry here.
   */
  received(message: Message): boolean {
    const clientId = message.clientId;
    if (!this.#entries.has(clientId)) return false;
    if (this.#inFlight.has(clientId)) return true;
    if (this.#owner === undefined || message.user.id !== this.#owner || this.#unbound.has(clientId)) return false;
    void this.acked(clientId, message);
    return false;
  }

  /**
   * The server stored it: the entry leaves, `send()` resolves. The promise settles when the
   * store has forgotten it too (a lock on the entry is kept till then).
   */
  acked(clientId: string, message: Message): Promise<void> {
    this.#settleAcked(clientId, message);
    if (this.#scope) this.#gone.add(clientId); // forgotten at the next refresh() that finds it gone
    return this.#write((store, scope, writer) => store.delete(scope, clientId, writer));
  }

  /**
   * The server refused it: the entry stays visible as failed, `send()` rejects. After the room's
   * close ({@link failAll}: taken out of it, ended) the refusal of a send still on the wire then
   * (`NOT_IN_ROOM`) is the close's consequence: the close failed the entry already, with its own
   * error, and the store keeps it pending as it left the others.
   */
  failed(clientId: string, error: ChatError): Promise<void> {
    const entry = this.#closed ? undefined : this.#settleFailed(clientId, error);
    if (entry) this.#changedAt.set(clientId, ++this.#changes);
    return entry ? this.#put(entry) : Promise.resolve();
  }

  /**
   * Puts a failed entry back in line with the same `clientId` (so that, if an earlier try was
   * stored after all, the server returns that one instead of storing it twice).
   */
  requeue(clientId: string): Promise<Message> | undefined {
    const entry = this.#entries.get(clientId);
    if (!entry || entry.status !== OutboxStatus.FAILED) return undefined;
    entry.status = OutboxStatus.PENDING;
    delete entry.error;
    this.#changedAt.set(clientId, ++this.#changes);
    void this.#put(entry);
    return new Promise<Message>((resolve, reject) => this.#waiters.set(clientId, { resolve, reject }));
  }

  /** Removes a failed entry (the user dismissed it or sent it again), from the store too. */
  remove(clientId: string): OutboxEntry | undefined {
    const entry = this.#entries.get(clientId);
    this.#entries.delete(clientId);
    this.#orders.delete(clientId);
    this.#changedAt.delete(clientId);
    // A refresh whose read began before the delete must not bring it back.
    if (this.#scope) this.#gone.add(clientId);
    void this.#write((store, scope, writer) => store.delete(scope, clientId, writer));
    return entry;
  }

  /**
   * Fails every entry still waiting (the room was left or the client closed). The store keeps
   * them pending: the next join of this room by this user, here or in another page, sends them.
   */
  failAll(error: ChatError): void {
    this.#closed = true;
    for (const entry of this.#entries.values()) {
      if (entry.status === OutboxStatus.PENDING) this.#settleFailed(entry.clientId, error);
    }
  }

  entries(): OutboxEntry[] {
    return [...this.#entries.values()];
  }

  #settleAcked(clientId: string, message: Message): void {
    this.#forget(clientId);
    this.#waiters.get(clientId)?.resolve(message);
    this.#waiters.delete(clientId);
  }

  #forget(clientId: string): void {
    this.#changedAt.delete(clientId);
    this.#inFlight.delete(clientId);
    this.#entries.delete(clientId);
    this.#orders.delete(clientId);
  }

  #settleFailed(clientId: string, error: ChatError): OutboxEntry | undefined {
    this.#inFlight.delete(clientId);
    const entry = this.#entries.get(clientId);
    if (entry) {
      entry.status = OutboxStatus.FAILED;
      entry.error = error;
    }
    this.#waiters.get(clientId)?.reject(error);
    this.#waiters.delete(clientId);
    return entry;
  }

  #order(entry: OutboxEntry): number {
    return this.#orders.get(entry.clientId) ?? 0;
  }

  // A failed write is caught and reported inside (#write): `void` where no one waits for it.
  #put(entry: OutboxEntry): Promise<void> {
    // Whose it is is not known yet: kept under the next attach()'s user, not the one now.
    if (this.#unbound.has(entry.clientId)) return Promise.resolve();
    const row = toStored(entry, this.#order(entry));
    return this.#write((store, scope, writer) => store.put(scope, row, writer));
  }

  #write(change: (store: OutboxStore, scope: OutboxScope, writer: string) => void | Promise<void>): Promise<void> {
    const keeping = this.#keeping;
    const scope = this.#scope;
    if (!keeping || !scope) return Promise.resolve();
    this.#writes = this.#writes
      .then(() => change(keeping.store, scope, keeping.writer))
      .catch((error: unknown) => this.#report(keeping, error));
    return this.#writes;
  }

  // Once: a store that fails (storage full or blocked) tends to fail every write after.
  #report(keeping: Keeping, error: unknown): void {
    if (this.#reported) return;
    this.#reported = true;
    keeping.onError(
      builtInError('INTERNAL', 'Messages waiting to be sent cannot be kept on this device: they will not survive a page reload.', {
        cause: error,
      }),
    );
  }
}

// What the store loaded, or a rejection once it took longer than LOAD_DEADLINE_MS (a stalled fetch never settles).
function loadedInTime<T>(load: T | Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The outbox's store did not load in ${LOAD_DEADLINE_MS / 1000} s.`)), LOAD_DEADLINE_MS);
  });
  return Promise.race([load, late]).finally(() => clearTimeout(timer));
}

function toStored(entry: OutboxEntry, order: number): StoredOutboxEntry {
  const { error, ...rest } = entry;
  const row: StoredOutboxEntry = { ...rest, order };
  if (error) row.error = error.toJSON();
  return row;
}

function fromStored(row: StoredOutboxEntry): OutboxEntry {
  const { error, order: _order, ...rest } = row;
  const entry: OutboxEntry = rest;
  if (error) entry.error = ChatError.fromData(error);
  return entry;
}
