import type { ScriptRunner } from './redis-commands.js';
import type { CallState } from '../core/call-state.js';
import type { CallRead, CallStore } from '../local/call-store.js';
import { CALL_CREATE, CALL_OF_ROOM, CALL_ORPHANS, CALL_READ, CALL_REPLACE } from './redis-call-scripts.js';

/** Where RedisCallStore keeps its keys, and the cluster's idea of a live process. */
export interface RedisCallStoreConfig {
  prefix: string;
  processId: string;
  staleAfterMs: number;
}

type Listener = (callIds: string[], dead: ReadonlySet<string>) => void;

/**
 * Calls in Redis, shared by every process: one hash per call and a key per room naming its
 * call, changed only by compare-and-set scripts. Participants on a process whose heartbeat
 * stopped are reported by {@link RedisCallStore.sweep}, which the cluster runs with its reaper.
 */
export class RedisCallStore implements CallStore {
  readonly #listeners: Listener[] = [];

  constructor(
    private readonly scripts: ScriptRunner,
    private readonly config: RedisCallStoreConfig,
  ) {}

  get process(): string {
    return this.config.processId;
  }

  async get(callId: string): Promise<CallRead | undefined> {
    const reply = await this.scripts.run(
      CALL_READ,
      [this.#callKey(callId), `${this.config.prefix}procs`],
      [String(this.config.staleAfterMs)],
    );
    return decodeRead(reply);
  }

  async ofRoom(roomId: string): Promise<CallRead | undefined> {
    const { prefix, staleAfterMs } = this.config;
    const reply = await this.scripts.run(CALL_OF_ROOM, [this.#roomKey(roomId), `${prefix}procs`], [String(staleAfterMs), prefix]);
    return decodeRead(reply);
  }

  async create(state: CallState): Promise<{ created: true } | { created: false; existingId: string }> {
    const reply = (await this.scripts.run(
      CALL_CREATE,
      [this.#roomKey(state.roomId), this.#callKey(state.id)],
      [state.id, JSON.stringify(state), String(state.version), processesOf(state), this.config.prefix],
    )) as [number, string?];
    return Number(reply[0]) === 1 ? { created: true } : { created: false, existingId: String(reply[1]) };
  }

  async replace(expectedVersion: number, next: CallState): Promise<boolean> {
    const reply = await this.scripts.run(
      CALL_REPLACE,
      [this.#callKey(next.id), this.#roomKey(next.roomId)],
      [
        String(expectedVersion),
        JSON.stringify(next),
        String(next.version),
        processesOf(next),
        next.endedAt === undefined ? '0' : '1',
        next.id,
        this.config.prefix,
      ],
    );
    return Number(reply) === 1;
  }

  onOrphans(listener: Listener): void {
    this.#listeners.push(listener);
  }

  /**
   * Finds calls with participants on dead processes and hands them to the server, which drops
   * those participants. Run after each reap; a call missed (this process died meanwhile) is found
   * again by the next sweep of any process, since the dead process's set empties only as its
   * participants are dropped.
   */
  async sweep(): Promise<void> {
    const { prefix, staleAfterMs } = this.config;
    const reply = (await this.scripts.run(CALL_ORPHANS, [`${prefix}callprocs`, `${prefix}procs`], [String(staleAfterMs), prefix])) as Array<
      string | string[]
    >;
    if (reply.length === 0) return;
    const dead = new Set<string>();
    const ids = new Set<string>();
    for (let i = 0; i + 1 < reply.length; i += 2) {
      dead.add(String(reply[i]));
      for (const id of reply[i + 1] as string[]) ids.add(id);
    }
    for (const listener of this.#listeners) listener([...ids], dead);
  }

  #callKey(callId: string): string {
    return `${this.config.prefix}call:${callId}`;
  }

  #roomKey(roomId: string): string {
    return `${this.config.prefix}room-call:${roomId}`;
  }
}

function processesOf(state: CallState): string {
  return [...new Set(state.participants.map((p) => p.process))].join(' ');
}

function decodeRead(reply: unknown): CallRead | undefined {
  if (!Array.isArray(reply)) return undefined;
  const [json, dead] = reply as [string, string[]];
  return { state: JSON.parse(json) as CallState, dead: new Set(dead) };
}
