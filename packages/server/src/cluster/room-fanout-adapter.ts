import type { Message, MessageBatch } from '@chat/protocol';
import { RELAYS_BATCHES, batchRoom, singleRoom } from './room-fanout.js';

// socket.io-adapter's MessageType.BROADCAST: what a cluster adapter receives for a broadcast.
const BROADCAST = 3;

/** What a Socket.IO cluster adapter (`ClusterAdapter` of socket.io-adapter) offers to hook into. */
interface ClusterAdapterLike {
  uid?: unknown;
  onMessage?: (message: ClusterMessage, offset?: string) => unknown;
  [RELAYS_BATCHES]?: boolean;
}
interface ClusterMessage {
  uid?: unknown;
  nsp?: unknown;
  type?: unknown;
  data?: { requestId?: unknown; packet?: { data?: unknown }; opts?: { rooms?: unknown } };
}
interface LocalNamespace {
  name: string;
  local: { to(room: string): { emit(event: 'message', message: Message): boolean } };
}

/**
 * Wraps a cluster adapter's constructor so that a `messages` batch broadcast by another process
 * also reaches this process's sockets that did not ask for batches, as one `message` each. A
 * room's batch then crosses Redis as one stream entry, whoever receives it.
 */
export function relayBatches<N extends LocalNamespace, A>(create: (nsp: N) => A): (nsp: N) => A {
  // A function, not an arrow: Socket.IO calls it with `new` (an object it returns is the adapter).
  return function adapterFor(nsp: N): A {
    const adapter = create(nsp) as A & ClusterAdapterLike;
    const onMessage = adapter.onMessage;
    if (typeof onMessage !== 'function') return adapter;
    adapter.onMessage = function (this: ClusterAdapterLike, message, offset) {
      const result = onMessage.call(this, message, offset);
      // The adapter handed the batch to this process's batch sockets above; now the others.
      const batch = message.uid === adapter.uid || message.nsp !== nsp.name ? undefined : batchOf(message);
      if (batch) for (const m of batch.messages) nsp.local.to(singleRoom(batch.roomId)).emit('message', m);
      return result;
    };
    adapter[RELAYS_BATCHES] = true;
    return adapter;
  };
}

function batchOf(message: ClusterMessage): MessageBatch | undefined {
  if (message.type !== BROADCAST || message.data?.requestId !== undefined) return undefined;
  const data = message.data?.packet?.data;
  if (!Array.isArray(data) || data[0] !== 'messages') return undefined;
  const batch = data[1] as Partial<MessageBatch> | undefined;
  if (typeof batch?.roomId !== 'string' || !Array.isArray(batch.messages)) return undefined;
  // Only what the fan-out sent to a room's batch sockets (not a host's own `messages` event).
  const rooms = message.data?.opts?.rooms;
  if (!Array.isArray(rooms) || rooms.length !== 1 || rooms[0] !== batchRoom(batch.roomId)) return undefined;
  return batch as MessageBatch;
}
