import type { EventEmitter } from 'eventemitter3';
import type { AuditEntry, ChatError, Member, Message, Report, Room, UserRef } from '@chat/protocol';

/** A user's first socket joined a room. */
export interface JoinEvent {
  roomId: string;
  member: Member;
}
/** A user's last socket left a room (or disconnected). */
export interface LeaveEvent {
  roomId: string;
  user: UserRef;
}
/** Where an error reported through `chat.on('error')` happened. */
export interface ErrorContext {
  event?: string;
  socketId?: string;
}

/** Events of `ChatServer`. */
export interface ChatServerEvents {
  message: (message: Message) => void;
  /** A message changed (edit, delete, reaction) through this process: the whole message after the change. */
  messageUpdated: (message: Message) => void;
  join: (event: JoinEvent) => void;
  leave: (event: LeaveEvent) => void;
  'room:ended': (room: Room) => void;
  /** Someone reported a message (`message:report`), on the process that stored the report; each reporter once per message. */
  report: (report: Report) => void;
  /** A moderation action was taken through this process (kick, ban, mute, role, a deleted message, freeze, slow mode): its audit entry. */
  moderation: (entry: AuditEntry) => void;
  error: (error: ChatError, context: ErrorContext) => void;
}

/** The chat server's events but `error`: what a plugin may hear (`PluginTools.onServerEvent`). */
export type ChatServerEventName = Exclude<keyof ChatServerEvents, 'error'>;

export type ChatServerEventEmitter = EventEmitter<ChatServerEvents>;
