import type { CallState } from '../core/call-state.js';

/** A call as read, with what the store knows of its participants' processes. */
export interface CallRead {
  state: CallState;
  /** Processes of participants that are no longer alive (always empty without a cluster). */
  dead: ReadonlySet<string>;
}

/**
 * Where calls live: one truth for every process. Every change is a pure function of the state
 * (`call-state.ts`) written back with {@link CallStore.replace}, a compare-and-set on the
 * version, so two processes changing one call at once never lose a change: the loser reads
 * again and applies its change to the winner's state.
 */
export interface CallStore {
  /** The process id this store records for this process's participants. */
  readonly process: string;
  /** A call going on, by id (ended calls are gone). */
  get(callId: string): Promise<CallRead | undefined>;
  /** The call going on in a room. */
  ofRoom(roomId: string): Promise<CallRead | undefined>;
  /** Stores a new call unless its room has one: then answers the room's call id and stores nothing. */
  create(state: CallState): Promise<{ created: true } | { created: false; existingId: string }>;
  /**
   * Writes `next` if the stored call is still at `expectedVersion`; false when another change
   * came first. A `next` with `endedAt` removes the call (and frees its room).
   */
  replace(expectedVersion: number, next: CallState): Promise<boolean>;
  /**
   * Ids of calls with participants on processes that died, found by the cluster's reaper. The
   * server drops those participants (`dropProcesses`) and then calls {@link CallStore.reaped}.
   */
  onOrphans?(listener: (callIds: string[], dead: ReadonlySet<string>) => void): void;
  /** The orphans of these dead processes were handled: forget them. */
  reaped?(processes: ReadonlySet<string>): Promise<void>;
}

const NO_PROCESS: ReadonlySet<string> = new Set();

/** Calls in this process's memory: the store without a cluster. */
export class MemoryCallStore implements CallStore {
  readonly process = 'local';
  readonly #calls = new Map<string, CallState>();
  readonly #rooms = new Map<string, string>();

  async get(callId: string): Promise<CallRead | undefined> {
    const state = this.#calls.get(callId);
    return state && { state: structuredClone(state), dead: NO_PROCESS };
  }

  async ofRoom(roomId: string): Promise<CallRead | undefined> {
    const id = this.#rooms.get(roomId);
    return id === undefined ? undefined : this.get(id);
  }

  async create(state: CallState): Promise<{ created: true } | { created: false; existingId: string }> {
    const existingId = this.#rooms.get(state.roomId);
    if (existingId !== undefined) return { created: false, existingId };
    this.#rooms.set(state.roomId, state.id);
    this.#calls.set(state.id, structuredClone(state));
    return { created: true };
  }

  async replace(expectedVersion: number, next: CallState): Promise<boolean> {
    const current = this.#calls.get(next.id);
    if (!current || current.version !== expectedVersion) return false;
    if (next.endedAt !== undefined) {
      this.#calls.delete(next.id);
      if (this.#rooms.get(next.roomId) === next.id) this.#rooms.delete(next.roomId);
    } else {
      this.#calls.set(next.id, structuredClone(next));
    }
    return true;
  }

  /** Calls going on (for tests). */
  get size(): number {
    return this.#calls.size;
  }
}
