// The ports of the message path and of moderation's checks: the kernel and the capabilities that
// post, change or admit (bots, commands, calls, REST) reach them here, never by importing
// capabilities/messages or capabilities/moderation. The facade wires them.
import type { ChatUser, LinkPreview, MemberRole, Message, Poll, Question, Restriction, Room, SystemNote, UserRef } from '@chat/protocol';
import type { ChatHandshake } from './handshake.js';
import type { ChatContext, MessageInput } from './policy.js';
import type { BanCheck } from './ports.js';

/** What a change asks for; the server adds who, when and the limits. */
export type ChangeRequest =
  /** `ciphertext` and its `epoch`: an encrypted room's edit (text ''). */
  | { type: 'edit'; text: string; mentions?: string[]; ciphertext?: string; epoch?: number }
  | { type: 'delete' }
  | { type: 'react'; emoji: string }
  /** `userId`: for the host only (no actor user, `chat.eraseUser`), whose reaction to take back. */
  | { type: 'unreact'; emoji: string; userId?: string }
  /** The server's own (no actor user): the link previews of the message while its text is `text` (`[]`: removed). */
  | { type: 'previews'; previews: LinkPreview[]; text: string }
  /** The server's own (no actor user): the message's poll as it is now (the `polls()` plugin). */
  | { type: 'poll'; poll: Poll }
  /** The server's own (no actor user): the message's question as it is now (the `questions()` plugin). */
  | { type: 'question'; question: Question };

/** Who asks for a change. */
export interface ChangeActor {
  /** A socket's or REST caller's user: `authorize` (or the default policy) and `beforeMessage` apply. Absent: the host (server API), trusted. */
  user?: ChatUser;
  handshake?: ChatHandshake;
  /** The socket that asked: it gets the message in its ack, not as an update. */
  exceptSocketId?: string;
  /** The user is a bot of the server (`chat.bot()`): `authorize` and `beforeMessage` see `ctx.bot`. */
  bot?: boolean;
  /** For the host's deletes of others' messages: who the audit log names. @default { id: 'server', name: 'Server' } */
  by?: UserRef;
  /** The host deletes the message as part of erasing its author (`chat.eraseUser`): not audited per message. */
  erasing?: true;
}

/** The one path of every message and every change of one (capabilities/messages). */
export interface MessagePort {
  /**
   * Posts a message: `beforeMessage`, reply check, mentions, store, broadcast (not to
   * `exceptSocketId`), `chat.on('message')`. A duplicate clientId returns the stored message.
   */
  post(
    chatContext: ChatContext,
    clientId: string,
    input: MessageInput & { system?: SystemNote; poll?: Poll; question?: Question },
    exceptSocketId?: string,
  ): Promise<Message>;
  /** Changes a message (edit, delete, react): the room, `authorize`, the checks, the store, `message:updated`. */
  change(roomId: string, messageId: string, request: ChangeRequest, actor: ChangeActor): Promise<Message>;
}

/** What a member is trying to do in a room, for the checks of mutes and frozen rooms. */
export type WriteKind = 'send' | 'edit' | 'react' | 'typing' | 'call' | 'command';

/** Moderation's refusals and its part in deletes, as the paths that admit a member see them (capabilities/moderation). */
export interface WriteGuard extends BanCheck {
  /** Whether a ban the caller read from the store (`ChatStore.memberRooms`) keeps `user` out now: in force, and the user no admin. */
  bannedBy(user: ChatUser, ban: Restriction | undefined): boolean;
  /** A member writing: `BANNED`, `MUTED`, `FORBIDDEN` in a frozen room, slow mode's `RATE_LIMITED`. */
  write(room: Room, user: ChatUser, kind: WriteKind): Promise<void>;
  /** The role `authorize` sees when a user deletes someone else's message; undefined for one's own. */
  roleForDelete(room: Room, user: ChatUser, message: Message): Promise<MemberRole | undefined>;
  /** The user's role in the room (admins as `owner`, a banned user as `member`), for a plugin's `authorize` (`PluginTools.authorize`). */
  roleIn(room: Room, user: ChatUser): Promise<MemberRole>;
  /** A message deleted by someone other than its author goes into the audit log (a failure is reported, not thrown). */
  auditDelete(message: Message, actor: { user?: ChatUser; by?: UserRef }): Promise<void>;
}
