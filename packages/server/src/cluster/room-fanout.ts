import type { ClientToServerEvents, Message, MessageBatch, ServerToClientEvents } from '@chat/protocol';
import type { Namespace } from 'socket.io';

// Socket.IO's packet type of an event (socket.io-parser's PacketType.EVENT).
const EVENT_PACKET = 2;
// Taken once: a test that fakes timers must not hold back what sockets are sent.
const nextTurn = globalThis.setImmediate;
// Marks an adapter that relays `messages` batches to its process's sockets that did not opt in
// (see room-fanout-adapter.ts). A registered symbol: the mark is read across bundles.
export const RELAYS_BATCHES = Symbol.for('@chat/server.relaysBatches');

/**
 * The Socket.IO room of a chat room's sockets that receive `messages` batches, and the one of
 * those that receive one `message` each. Every socket in a chat room is in exactly one of the two.
 * `#` never occurs in a room id, so no chat room can have either name.
 */
export function batchRoom(roomId: string): string {
  return `#batch:${roomId}`;
}
/** See {@link batchRoom}. */
export function singleRoom(roomId: string): string {
  return `#single:${roomId}`;
}
/** The sub-room a socket joins with a chat room, by what its handshake asked for. */
export function fanoutRoom(roomId: string, batches: boolean): string {
  return batches ? batchRoom(roomId) : singleRoom(roomId);
}

interface Pending {
  message: Message;
  exceptSocketId: string | undefined;
}

type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;
interface BroadcastingAdapter {
  broadcast(packet: unknown, opts: { rooms: Set<string>; except: Set<string>; flags: Record<string, never> }): unknown;
}

/**
 * Sends a room's new messages to its sockets, one frame per turn of the event loop. The first
 * message of a room in a turn goes out at once, alone, as `message` to everyone (a quiet room
 * waits for nothing); messages of the same room that are ready later in that turn are sent when
 * it ends (`setImmediate`): as one `messages` frame, encoded once, to the sockets that asked for
 * batches, and as one `message` each to the others. Across processes a batch is one broadcast.
 */
export class RoomFanout {
  /** Rooms that sent a message this turn, with what is waiting for the end of the turn. */
  #turn = new Map<string, Pending[]>();
  #scheduled = false;

  constructor(private readonly nsp: ChatNamespace) {}

  /** Sends `message` to its room, except the socket `exceptSocketId` when alone (that one has the ack). */
  publish(message: Message, exceptSocketId?: string): void {
    const waiting = this.#turn.get(message.roomId);
    if (waiting) {
      waiting.push({ message, exceptSocketId });
      return;
    }
    this.#single(message, exceptSocketId);
    this.#turn.set(message.roomId, []);
    if (this.#scheduled) return;
    this.#scheduled = true;
    nextTurn(this.#endTurn);
  }

  readonly #endTurn = (): void => {
    this.#scheduled = false;
    const turn = this.#turn;
    this.#turn = new Map();
    for (const [roomId, pending] of turn) {
      const [only] = pending;
      if (pending.length === 1 && only) this.#single(only.message, only.exceptSocketId);
      else if (pending.length > 1) this.#batch(roomId, pending);
    }
  };

  #single(message: Message, exceptSocketId: string | undefined): void {
    const to = this.nsp.to(message.roomId);
    (exceptSocketId ? to.except(exceptSocketId) : to).emit('message', message);
  }

  #batch(roomId: string, pending: Pending[]): void {
    // Stores that append concurrently (PostgreSQL) may finish out of seq order.
    pending.sort((a, b) => a.message.seq - b.message.seq);
    const batch: MessageBatch = { roomId, messages: pending.map((p) => p.message) };
    const adapter = this.nsp.adapter as unknown as BroadcastingAdapter & { [RELAYS_BATCHES]?: boolean };
    // One broadcast: Socket.IO encodes the frame once, and a cluster adapter carries it to the
    // other processes as one entry (where the adapter's relay hands it to their single sockets).
    const sent = adapter.broadcast(
      { type: EVENT_PACKET, data: ['messages', batch] },
      { rooms: new Set([batchRoom(roomId)]), except: new Set(), flags: {} },
    );
    const relayed = adapter[RELAYS_BATCHES] === true;
    if (!relayed && !isInMemory(adapter)) {
      // A cluster adapter we cannot hook: every process's single sockets get a broadcast each.
      for (const p of pending) this.#toSingles(this.nsp, roomId, p);
      return;
    }
    // This process's single sockets, after the batch (a cluster adapter delivers locally only once
    // Redis took it), so that each socket still gets the room's messages in order.
    const local = () => {
      for (const p of pending) this.#toSingles(this.nsp.local, roomId, p);
    };
    if (sent instanceof Promise) void sent.then(local, local);
    else local();
  }

  #toSingles(target: Pick<ChatNamespace, 'to'>, roomId: string, { message, exceptSocketId }: Pending): void {
    const to = target.to(singleRoom(roomId));
    (exceptSocketId ? to.except(exceptSocketId) : to).emit('message', message);
  }
}

// Socket.IO's own adapters (without and with connection state recovery) reach only this process.
function isInMemory(adapter: object): boolean {
  const proto = Object.getPrototypeOf(adapter) as object | null;
  const name = proto?.constructor?.name;
  return name === 'Adapter' || name === 'SessionAwareAdapter';
}

const fanouts = new WeakMap<object, RoomFanout>();

/** The fan-out of a namespace (one per chat server). */
export function roomFanout(nsp: ChatNamespace): RoomFanout {
  let fanout = fanouts.get(nsp);
  if (!fanout) {
    fanout = new RoomFanout(nsp);
    fanouts.set(nsp, fanout);
  }
  return fanout;
}
