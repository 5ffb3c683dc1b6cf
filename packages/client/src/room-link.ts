import type { Attachment, NotificationLevel } from '@chat/protocol';
import type { PluginLink } from './core/plugin-link.js';
import type { CallRouter } from './calls/call-router.js';
import type { UploadOptions } from './uploads/upload.js';
import type { ChatSocket, ServerLink } from './core/transport.js';

/** What a ChatRoom needs from its ChatClient. */
export interface RoomLink extends ServerLink {
  readonly typingThrottleMs: number;
  /** The room was left or ended: forget it. */
  detach(roomId: string): void;
  /** Uploads a file to the server's uploads (`client.upload`). */
  upload(file: Blob, options: UploadOptions): Promise<Attachment>;
  /** The user chose a notification level for the room (the conversations list shows it). */
  notificationsSet?(roomId: string, level: NotificationLevel): void;
  /** The client's calls (`room.startCall`, the calls going on in a room). */
  readonly calls?: CallRouter;
  /** The client's plugin requests and events, for the room's plugin features (`room.liveReactions`, `room.pins`). */
  readonly plugins: PluginLink;
}

/** A RoomLink over the client's socket: connected while the socket is, with the socket's id. */
export function socketRoomLink(socket: ChatSocket, parts: Omit<RoomLink, 'connected' | 'socketId'>): RoomLink {
  return {
    ...parts,
    get connected() {
      return socket.connected;
    },
    get socketId() {
      return socket.connected ? socket.id : undefined;
    },
  };
}
