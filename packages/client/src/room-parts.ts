// A ChatRoom's parts around its sync, and how they are wired together and closed.
import type { ChatError, Message } from '@chat/protocol';
import type { EventEmitter } from 'eventemitter3';
import type { ChatRoomEvents } from './chat-room-events.js';
import type { RoomState } from './core/room-state.js';
import { OutboxSender } from './outbox/outbox-sender.js';
import { Outbox } from './outbox/outbox.js';
import type { OutboxEntry } from './outbox/outbox-entry.js';
import type { MessageChanges } from './room/message-changes.js';
import type { MessageWindow } from './room/message-window.js';
import type { RoomReads } from './room/read-state.js';
import { roomChanges } from './room/room-changes.js';
import { RoomMembers } from './room/room-members.js';
import { roomReads, sendersRead } from './room/room-reads.js';
import { RoomSync } from './room/room-sync.js';
import { RoomTyping } from './room/room-typing.js';
import { RoomUnread } from './room/room-unread.js';
import type { RoomLink } from './room-link.js';
import { senderHost } from './room-outbox.js';
import { roomThreads, type RoomThreads } from './room-threads.js';

/** The parts of one room: its sync (the room's state and log) and those built around it. */
export interface RoomParts {
  readonly _sync: RoomSync;
  readonly _sender: OutboxSender;
  readonly _changes: MessageChanges;
  readonly _members: RoomMembers;
  readonly _typing: RoomTyping;
  readonly _outbox: Outbox;
  readonly _reads: RoomReads;
  readonly _unread: RoomUnread;
  readonly _threads: RoomThreads;
  /** The message windows open apart from the room's log (`room.around`). */
  readonly _windows: Set<MessageWindow>;
}

/** What the parts need of their room. */
export interface RoomPartsHost {
  readonly emitter: EventEmitter<ChatRoomEvents, unknown>;
  /** Listens to the room's `updated`; returns the unsubscribe. */
  _onUpdated: (listener: () => void) => () => void;
  /** Sends an outbox entry through the room (its sends and its threads' replies). */
  _post(entry: OutboxEntry): Promise<Message>;
}

/** Builds a room's parts, each handed what it needs of the others. */
export function roomParts(link: RoomLink, id: string, host: RoomPartsHost): RoomParts {
  const { emitter } = host;
  const outbox = new Outbox();
  const unread = new RoomUnread();
  const windows = new Set<MessageWindow>();
  const sync: RoomSync = new RoomSync(id, {
    link,
    emitter,
    // A join answer: calls, then members, read marks and occupancy; a re-join's presence is told after its messages.
    joined: (result, wasIn) => (
      link.calls?._roomJoined(id, result.calls),
      threads.joined(result.threads),
      unread.joined(result),
      members.joined(result, wasIn)
    ),
    added: (messages) => sendersRead(sync, reads, messages),
    synced: () => {
      void sender.flush();
      threads.synced();
    },
    copies: (messages) => (threads.receive(messages), windows.forEach((w) => w._receive(messages))),
    heldApart: () => [...windows].map((w) => w._held),
  });
  const threads = roomThreads(sync, link, outbox, (entry) => host._post(entry), emitter);
  const sender = new OutboxSender(senderHost(link, outbox, sync, emitter));
  const changes = roomChanges(link, sync, emitter, host._onUpdated);
  const reads = roomReads(sync, emitter);
  const members = new RoomMembers(link, sync, reads, emitter);
  const typing = new RoomTyping(link, sync, emitter);
  return {
    _sync: sync,
    _sender: sender,
    _changes: changes,
    _members: members,
    _typing: typing,
    _outbox: outbox,
    _reads: reads,
    _unread: unread,
    _threads: threads,
    _windows: windows,
  };
}

/** Closes a room's parts (left or ended): its sends and gap fills stop, what waits fails with `error`. */
export function closeParts(parts: RoomParts, link: RoomLink, state: RoomState, error: ChatError): void {
  parts._sync.state = state;
  parts._sender.stop();
  parts._sync._gaps.stop();
  parts._outbox.failAll(error);
  parts._threads.closed(error);
  link.calls?._roomClosed(parts._sync.id);
}
