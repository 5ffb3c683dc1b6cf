// The real system of one model run: chat servers (one on a MemoryStore, one on PostgreSQL, or two
// processes on Redis over one PostgreSQL schema), a push service stand-in, and one SDK client per
// person, each on 127.0.0.1 port 0. It records what people observe (observations-fixtures.ts) and
// reads what they may read over REST, which leaves their presence as it is.
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { ChatError, type ChatUser } from '@chat/protocol';
import pg from 'pg';
import {
  createChatServer,
  liveReactions,
  MemoryStore,
  pins,
  polls,
  questions,
  type ChatServer,
  type ChatServerOptions,
  type ChatStore,
  type PinsPlugin,
} from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { redisCluster } from '@chat/server/redis';
import { ChatClient, type ChatRoom } from '@chat/client';
import type { PushServiceStandIn, TestDevice } from '../../../../test-support/push-service.js';
import { testDevice } from '../../../../test-support/push-service.js';
import { freshPrefix, REDIS_URL } from '../../../../test-support/redis.js';
import { okData, request } from '../../../../test-support/servers.js';
import { track } from '../../../../test-support/tracked.js';
import { waitFor } from '../../../../test-support/wait.js';
import { pushTo } from '../plugins/push/push-fixtures.js';
import { ChatModel, PEOPLE, ROOMS, type Person, type RoomKey } from './chat-model-fixtures.js';
import { Observations } from './observations-fixtures.js';

/** Where a run's chat lives. */
type Variant = 'memory' | 'postgres' | 'cluster';

/** What every run of a variant shares: the PostgreSQL schema (not for `memory`) and the push stand-in. */
export interface VariantSetup {
  variant: Variant;
  /** The connection string of the file's schema; each run opens a pool of its own on it. */
  database?: string;
  service: PushServiceStandIn;
}

/** One server of a run, with its REST handler at `/chat`. */
export interface RunServer {
  http: HttpServer;
  chat: ChatServer;
  url: string;
  store: ChatStore;
  /** Its pins() plugin, through which the host pins (one per server). */
  pins: PinsPlugin;
}

/** A person of a run: who the server knows, their SDK client and their push device. */
export interface PersonHandle {
  key: Person;
  id: string;
  name: string;
  /** The part of their name no other run shares (lower case): what must go when they are erased. */
  nameTag: string;
  /** The server their socket and REST calls go to. */
  server: number;
  client: ChatClient;
  device: TestDevice;
  /** Threads their client follows, per SDK room (a room left and joined again is another object). */
  threads: WeakMap<ChatRoom, Set<string>>;
  /** How many times their socket connected. */
  connects: number;
}

// Budgets far above what a run asks: the steps and the checks after each must never be rate-limited.
const LIMITS = {
  messageBurst: 1e6,
  messagesPerSecond: 1e6,
  eventBurst: 1e6,
  eventsPerSecond: 1e6,
  readBytesBurst: 1e9,
  readBytesPerSecond: 1e9,
  maxRequestsInFlightPerUser: 100,
} satisfies ChatServerOptions['limits'];

const letters = (n: number): string => [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export class ModelWorld {
  readonly servers: RunServer[] = [];
  readonly people = new Map<Person, PersonHandle>();
  readonly roomIds = {} as Record<RoomKey, string>;
  readonly observations: Observations;
  /** What each step did, resolved (which message, which seq): printed with a failure. */
  readonly log: string[] = [];
  /** How many observations the checks have looked at. */
  checkedObservations = 0;
  readonly #blocked = new Set<string>();
  readonly #byId = new Map<string, Person>();
  readonly #users = new Map<string, ChatUser>();
  #pool: pg.Pool | undefined;
  #closed = false;

  private constructor(
    readonly setup: VariantSetup,
    readonly model: ChatModel,
  ) {
    this.observations = new Observations(() => model.step);
    for (const room of ROOMS) this.roomIds[room] = `${room}-${model.tag}`;
  }

  /**
   * Starts a run's servers and people, and its model: the rooms made, everyone in `town` and
   * `cafe`, Ana and Ben in `board`, Ana a moderator of each, everyone but Eva with a push device.
   */
  static async start(setup: VariantSetup, cast: readonly Person[]): Promise<ModelWorld> {
    const world = new ModelWorld(setup, new ChatModel(letters(6), cast));
    track(() => world.close());
    const keyPrefix = setup.variant === 'cluster' ? freshPrefix() : undefined;
    for (let i = 0; i < (setup.variant === 'cluster' ? 2 : 1); i++) world.servers.push(await world.#startServer(keyPrefix));
    const host = world.chat(0);
    for (const room of ROOMS) {
      await host.createRoom({ id: world.roomIds[room], ...(world.model.isPrivate(room) && { options: { private: true } }) });
    }
    for (const [i, key] of cast.entries()) {
      const nameTag = letters(8);
      const handle = { key, id: world.idOf(key), name: `${capital(key)} ${capital(nameTag)}`, nameTag, server: i % world.servers.length };
      world.#byId.set(handle.id, key);
      world.#users.set(handle.id, { id: handle.id, name: handle.name });
      world.people.set(key, await world.#connect(handle));
    }
    const inBoard: Person[] = cast.filter((p) => p === 'ana' || p === 'ben');
    await host.addMembers(
      world.roomIds.board,
      inBoard.map((p) => ({ id: world.person(p).id, name: world.person(p).name })),
    );
    for (const p of inBoard) world.model.addMember(p, 'board');
    for (const p of cast) {
      for (const room of ROOMS) {
        if (room === 'board' && !inBoard.includes(p)) continue;
        await world.person(p).client.join(world.roomIds[room]);
        world.model.addMember(p, room);
        world.model.people[p].joined.add(room);
      }
    }
    // Ana moderates every room's questions from the start (a step may end it, or make others moderators).
    for (const room of ROOMS) {
      await host.setRole(world.roomIds[room], world.person('ana').id, 'moderator');
      world.model.rooms[room].moderators.add('ana');
    }
    // Everyone but Eva has a push device from the start (Eva may subscribe one in a step).
    for (const p of cast.filter((key) => key !== 'eva')) {
      const handle = world.person(p);
      okData(await request(handle.client.socket, 'push:subscribe', { subscription: handle.device.subscription }));
      world.model.people[p].device = true;
    }
    world.model.snapshot();
    return world;
  }

  person(key: Person): PersonHandle {
    const found = this.people.get(key);
    if (!found) throw new Error(`${key} is not in this run`);
    return found;
  }

  /** A person's user id, also of one not in this run (an id the server never saw). */
  idOf(key: Person): string {
    return this.people.get(key)?.id ?? `${key}-${this.model.tag}`;
  }

  /** The chat server `via` names (the host's own calls go through it). */
  chat(via: number): ChatServer {
    return (this.servers[via % this.servers.length] as RunServer).chat;
  }

  /** The pins() plugin of the process `via` names: the host pins through it. */
  pins(via: number): PinsPlugin {
    return (this.servers[via % this.servers.length] as RunServer).pins;
  }

  /** The person of a user id of this run. */
  personOf(userId: string): Person | undefined {
    return this.#byId.get(userId);
  }

  roomOf(roomId: string): RoomKey | undefined {
    return ROOMS.find((room) => this.roomIds[room] === roomId);
  }

  /** Refuses the person's sign-in from now on (the host's step before an erase). */
  block(key: Person): void {
    this.#blocked.add(this.person(key).id);
  }

  /** A REST call as the person, on their server. */
  async rest(key: Person, path: string): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
    const person = this.person(key);
    const server = this.servers[person.server] as RunServer;
    const res = await fetch(`${server.url}/chat${path}`, { headers: { authorization: `Bearer ${person.id}` } });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
  }

  /** Waits until the server says whether the person is online. */
  async presence(key: Person, online: boolean): Promise<void> {
    const id = this.person(key).id;
    await waitFor(async () => expect((await this.chat(0).presenceOf([id]))[0]?.online).toBe(online));
  }

  /** Takes in the pushes the stand-in received so far. */
  readPushes(): void {
    const prefix = `/push/`;
    this.observations.pushes(this.setup.service.requests, (request) => {
      if (!request.path.startsWith(prefix)) return undefined;
      const key = this.#byId.get(request.path.slice(prefix.length));
      if (!key) return undefined;
      return { person: key, payload: this.person(key).device.read(request) };
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const person of this.people.values()) person.client.close();
    for (const server of this.servers) {
      await server.chat.close();
      server.http.closeAllConnections();
      await new Promise<void>((resolve) => server.http.close(() => resolve()));
    }
    // The stores are the run's (closed by no server, which did not make them), and so is the pool.
    for (const server of this.servers) await server.store.close();
    await this.#pool?.end();
  }

  /** A store for one server: a MemoryStore, or a PostgresStore on the run's pool. */
  #store(): ChatStore {
    if (this.setup.database === undefined) return new MemoryStore();
    if (!this.#pool) {
      this.#pool = new pg.Pool({ connectionString: this.setup.database, max: 10 });
      this.#pool.on('error', () => undefined);
    }
    return new PostgresStore({ pool: this.#pool });
  }

  #authenticate = ({ auth }: { auth: Record<string, unknown> }): ChatUser => {
    const token = typeof auth['token'] === 'string' ? auth['token'] : '';
    const user = this.#users.get(token);
    if (!user || this.#blocked.has(token)) throw new ChatError('UNAUTHENTICATED', 'This person cannot sign in.');
    return { ...user };
  };

  async #startServer(keyPrefix: string | undefined): Promise<RunServer> {
    const http = createServer();
    const store = this.#store();
    const pinned = pins();
    const chat = createChatServer(http, {
      store,
      authenticate: this.#authenticate,
      limits: LIMITS,
      push: pushTo(this.setup.service, { collapseMs: 0 }),
      plugins: [questions(), polls(), pinned, liveReactions()],
      notify: (user, event) => {
        const key = this.#byId.get(user.id);
        if (key) this.observations.notify(key, event.kind, event.message, event);
      },
      ...(keyPrefix !== undefined && { cluster: redisCluster({ url: REDIS_URL, heartbeatMs: 100, staleAfterMs: 1000, keyPrefix }) }),
    });
    const handler = chat.httpHandler({ basePath: '/chat' });
    http.prependListener('request', (req, res) => {
      if (req.url?.startsWith('/chat/')) handler(req, res);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    await chat.ready();
    const { port } = http.address() as AddressInfo;
    return { http, chat, url: `http://127.0.0.1:${port}`, store, pins: pinned };
  }

  async #connect(handle: Omit<PersonHandle, 'client' | 'device' | 'threads' | 'connects'>): Promise<PersonHandle> {
    const server = this.servers[handle.server] as RunServer;
    const client = new ChatClient({
      url: server.url,
      auth: { token: handle.id },
      autoAway: false,
      socketOptions: { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 },
    });
    const person: PersonHandle = {
      ...handle,
      client,
      device: testDevice(this.setup.service.url, handle.id),
      threads: new WeakMap(),
      connects: 0,
    };
    client.socket.on('connect', () => person.connects++);
    client.socket.onAny((event: string, payload: unknown) => this.observations.socket(handle.key, event, payload));
    await waitFor(() => expect(person.connects).toBe(1));
    return person;
  }
}

/** The people of a run: the first `count` (3 or 4). */
export function castOf(count: number): Person[] {
  return PEOPLE.slice(0, count);
}
