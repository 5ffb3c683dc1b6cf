// "Raise hand" for a meeting, as a chat server plugin (docs/plugins.md): an event with an ack,
// a room-wide event on every process, a REST route, a store part on both stores, and a hand
// lowered when its user leaves.
import { builtInError, type Ack } from '@chat/protocol';
import { definePlugin, type PluginSql } from '@chat/server';
import * as v from 'valibot';

/** A raised hand: who, and since when (ISO 8601). */
interface RaisedHand {
  userId: string;
  name: string;
  raisedAt: string;
}

/** What `hand:raise` answers and `hand:changed` carries: the room's raised hands, oldest first. */
export interface HandsEvent {
  roomId: string;
  hands: RaisedHand[];
}

declare module '@chat/protocol' {
  interface CustomClientEvents {
    /** Raises (or lowers) your hand in a room you have joined. */
    'hand:raise': (payload: { roomId: string; raised: boolean }, ack: Ack<HandsEvent>) => void;
  }
  interface CustomServerEvents {
    /** Someone raised or lowered their hand: the room's hands now. */
    'hand:changed': (event: HandsEvent) => void;
  }
}

/** What the plugin keeps: one row per raised hand. */
export interface HandStore {
  raise(roomId: string, hand: RaisedHand): Promise<void>;
  /** Lowers a hand; whether it was up. */
  lower(roomId: string, userId: string): Promise<boolean>;
  list(roomId: string): Promise<RaisedHand[]>;
  /** Every hand the user has up, by room (their data, for an export). */
  ofUser(userId: string): Promise<Array<RaisedHand & { roomId: string }>>;
  eraseUser(userId: string): Promise<void>;
}

/** The hands in memory (MemoryStore). */
class MemoryHands implements HandStore {
  readonly #rooms = new Map<string, Map<string, RaisedHand>>();

  async raise(roomId: string, hand: RaisedHand): Promise<void> {
    const hands = this.#rooms.get(roomId) ?? new Map<string, RaisedHand>();
    this.#rooms.set(roomId, hands);
    // Raising a hand that is up keeps its place in the queue.
    if (!hands.has(hand.userId)) hands.set(hand.userId, hand);
  }

  async lower(roomId: string, userId: string): Promise<boolean> {
    return this.#rooms.get(roomId)?.delete(userId) ?? false;
  }

  async list(roomId: string): Promise<RaisedHand[]> {
    return [...(this.#rooms.get(roomId)?.values() ?? [])];
  }

  async ofUser(userId: string): Promise<Array<RaisedHand & { roomId: string }>> {
    return [...this.#rooms].flatMap(([roomId, hands]) => {
      const hand = hands.get(userId);
      return hand ? [{ roomId, ...hand }] : [];
    });
  }

  async eraseUser(userId: string): Promise<void> {
    for (const hands of this.#rooms.values()) hands.delete(userId);
  }
}

interface HandRow {
  room_id: string;
  user_id: string;
  name: string;
  raised_at: Date;
}
const handOf = (row: HandRow): RaisedHand => ({ userId: row.user_id, name: row.name, raisedAt: row.raised_at.toISOString() });

/** The hands in PostgreSQL (PostgresStore), in a table of the plugin's own. */
class PostgresHands implements HandStore {
  constructor(private readonly sql: PluginSql) {}

  async raise(roomId: string, hand: RaisedHand): Promise<void> {
    await this.sql.query(
      'INSERT INTO raised_hands (room_id, user_id, name, raised_at) VALUES ($1, $2, $3, $4) ON CONFLICT (room_id, user_id) DO NOTHING',
      [roomId, hand.userId, hand.name, hand.raisedAt],
    );
  }

  async lower(roomId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM raised_hands WHERE room_id = $1 AND user_id = $2', [roomId, userId]);
    return (rowCount ?? 0) > 0;
  }

  async list(roomId: string): Promise<RaisedHand[]> {
    const { rows } = await this.sql.query<HandRow>('SELECT * FROM raised_hands WHERE room_id = $1 ORDER BY raised_at, user_id', [roomId]);
    return rows.map(handOf);
  }

  async ofUser(userId: string): Promise<Array<RaisedHand & { roomId: string }>> {
    const { rows } = await this.sql.query<HandRow>('SELECT * FROM raised_hands WHERE user_id = $1 ORDER BY room_id', [userId]);
    return rows.map((row) => ({ roomId: row.room_id, ...handOf(row) }));
  }

  async eraseUser(userId: string): Promise<void> {
    await this.sql.query('DELETE FROM raised_hands WHERE user_id = $1', [userId]);
  }
}

const RaisePayload = v.object({ roomId: v.pipe(v.string(), v.minLength(1)), raised: v.boolean() });

/**
 * The plugin: `createChatServer(httpServer, { plugins: [raiseHand] })`. Clients call
 * `client.request('hand:raise', { roomId, raised })` and hear `client.on('hand:changed', ...)`;
 * a join answer carries the room's hands (`room.plugins['raise-hand']`); `GET /hands/:roomId`
 * lists them for anyone who may read the room.
 */
export const raiseHand = definePlugin<HandStore>({
  name: 'raise-hand',
  store: {
    name: 'HandStore',
    memory: () => new MemoryHands(),
    postgres: (sql) => new PostgresHands(sql),
    migrations: [
      {
        version: 1,
        sql: `CREATE TABLE raised_hands (
          room_id text NOT NULL,
          user_id text NOT NULL,
          name text NOT NULL,
          raised_at timestamptz NOT NULL,
          PRIMARY KEY (room_id, user_id)
        );
        CREATE INDEX raised_hands_user ON raised_hands (user_id)`,
      },
    ],
  },
  events: {
    'hand:raise': {
      payload: RaisePayload,
      // The kernel has checked that the socket is in payload.roomId (NOT_IN_ROOM otherwise).
      async handle({ user, payload }, tools) {
        const { roomId, raised } = payload;
        if (raised) await tools.store.raise(roomId, { userId: user.id, name: user.name, raisedAt: new Date().toISOString() });
        else await tools.store.lower(roomId, user.id);
        const event = { roomId, hands: await tools.store.list(roomId) };
        tools.emitToRoom(roomId, 'hand:changed', event);
        return event;
      },
    },
  },
  routes: (tools) => [
    {
      prefix: 'hands',
      method: 'GET',
      match: (segments) => segments.length === 2,
      async handle({ segments, user, handshake }) {
        const roomId = segments[1] ?? '';
        if (!(await tools.mayRead(user, roomId, handshake))) throw builtInError('FORBIDDEN', 'You may not see the hands of this room.');
        return { status: 200, body: { roomId, hands: await tools.store.list(roomId) } };
      },
    },
  ],
  joinAnswer: async ({ roomId }, tools) => ({ hands: await tools.store.list(roomId) }),
  // Someone who leaves the meeting (their last tab closed or reloaded, a dropped connection, or
  // their server gone) lowers their hand; the room hears of it when one was up.
  start(tools) {
    tools.onPresence(async ({ kind, roomId, userId }) => {
      if (kind !== 'left' || !(await tools.store.lower(roomId, userId))) return;
      tools.emitToRoom(roomId, 'hand:changed', { roomId, hands: await tools.store.list(roomId) });
    });
  },
  personalData: {
    export: (userId, tools) => tools.store.ofUser(userId),
    // The rooms see the hand go down, as when it is lowered.
    async erase(userId, tools) {
      const up = await tools.store.ofUser(userId);
      await tools.store.eraseUser(userId);
      for (const { roomId } of up) tools.emitToRoom(roomId, 'hand:changed', { roomId, hands: await tools.store.list(roomId) });
    },
  },
});
