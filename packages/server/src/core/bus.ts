// The server's internal events, typed (in the style of socket.io's typed-events.ts): a capability
// announces what happened, and others listen, with no import between them. kernel/bus.ts makes one.
import type { Message, Room } from '@chat/protocol';

/** The internal events and their arguments. Listeners run synchronously, in the order they were added. */
interface ServerBusEvents {
  /** A message of a stored room was stored and broadcast (not a duplicate, not ephemeral). */
  'message:stored': (room: Room, message: Message) => void;
  /** A message of a stored room was edited (its new text stored and broadcast); `previous` as it was before. */
  'message:edited': (room: Room, message: Message, previous: Message) => void;
  /** A message of a stored room was deleted (the placeholder stored and broadcast); `previous` as it was before. */
  'message:deleted': (room: Room, message: Message, previous: Message) => void;
  /** Users stopped being stored members of a room (left as a member, banned, removed by the host, a room made private). */
  'members:removed': (roomId: string, userIds: readonly string[]) => void;
  /** Users became stored members of a room by the host (`chat.addMembers`). */
  'members:added': (roomId: string, userIds: readonly string[]) => void;
  /** A socket of this process left a room (it left, was removed, or went away). */
  'socket:left': (socketId: string, roomId: string) => void;
  /** A user (or a bot) became present in a room: their first socket joined it. */
  'presence:joined': (roomId: string, userId: string) => void;
  /** A user is no longer present in a room: their last socket left it, or it was on a process that died (told by the process that cleared it). */
  'presence:left': (roomId: string, userId: string) => void;
  /** A socket of this process went away, after it left its rooms. */
  'socket:gone': (socketId: string) => void;
  /** Users lost a room, told on every process (removed, kicked, banned, refused by new options): what they had there ends. */
  'room:users-removed': (roomId: string, userIds: ReadonlySet<string>) => void;
  /** A room ended, told on every process once its sockets here were told. */
  'room:ended': (roomId: string) => void;
}

/** Emits and listens to `ServerBusEvents`. */
export interface ServerBus {
  on<E extends keyof ServerBusEvents>(event: E, listener: ServerBusEvents[E]): void;
  off<E extends keyof ServerBusEvents>(event: E, listener: ServerBusEvents[E]): void;
  emit<E extends keyof ServerBusEvents>(event: E, ...args: Parameters<ServerBusEvents[E]>): void;
}
