// The policy vocabulary: the actions `authorize` is asked about and the hooks' shapes. Every layer
// speaks it; the options object (../options.ts) only collects them.
import type { Attachment, ChatUser, MemberRole, Message, Room } from '@chat/protocol';
import type { ChatHandshake } from './handshake.js';

/**
 * Actions `authorize` is asked about. Without an `authorize` option the default policy
 * applies: private rooms are for the room's creator and stored members, `room:end` for its
 * creator, deleting others' messages, pinning, closing others' polls and moderating questions for the room's owners and moderators, the rest is allowed.
 * Moderation actions (kick, ban, mute, roles, freeze) are decided by roles, not by `authorize`. Direct rooms admit only their members, whatever `authorize` says.
 */
export const ChatAction = {
  ROOM_JOIN: 'room:join',
  MESSAGE_SEND: 'message:send',
  MESSAGE_HISTORY: 'message:history',
  TYPING: 'typing',
  /** REST `POST /rooms`. */
  ROOM_CREATE: 'room:create',
  /** REST `GET /rooms` (asked once with `roomId: ''`, then `room:read` per room listed). */
  ROOM_LIST: 'room:list',
  /** REST `GET /rooms/:id`. */
  ROOM_READ: 'room:read',
  /** REST `POST /rooms/:id/end`. */
  ROOM_END: 'room:end',
  /** `message:edit`, REST `PATCH /rooms/:id/messages/:messageId`. Default: the author only. */
  MESSAGE_EDIT: 'message:edit',
  /** `message:delete`, REST `DELETE /rooms/:id/messages/:messageId`. Default: the author, and the room's owners and moderators (`ctx.role`). */
  MESSAGE_DELETE: 'message:delete',
  /** `reaction:add` and `reaction:remove`. Default: every member. */
  REACTION: 'reaction',
  /** REST `POST /uploads` (`roomId` is the room the file is for, '' when none was named). Default: allowed, but in a private room only for its creator. */
  UPLOAD: 'upload',
  /** `room:direct`: opening the direct room of the caller and others (`roomId` is its id; `room` is there once it exists). Default: allowed. */
  ROOM_DIRECT: 'room:direct',
  /** `presence:of`: asking who of some users is online, and when the others were last seen (`roomId` is ''). Default: allowed. */
  PRESENCE_OF: 'presence:of',
  /** `command:run`: running a slash command (`chat.command`) in a room the socket joined (`role` is the user's role there). Default: allowed. */
  COMMAND_RUN: 'command:run',
  /** `call:start` and `call:join` (`room` is the call's room). Default: every member of the room. */
  CALL: 'call',
  /**
   * Pinning and unpinning a message of a room (the `pins()` plugin; `message` is the message,
   * `role` the user's role in the room, admins as `owner`). Default: the room's owners and moderators.
   */
  PIN: 'pin',
  /**
   * Creating a poll (the `polls()` plugin; no `message`), and closing someone else's (`message` is
   * the poll, `role` the user's role). Default: creating for whoever may write in the room, closing
   * for the room's owners and moderators (its creator closes it without asking).
   */
  POLL: 'poll',
  /**
   * Moderating questions (the `questions()` plugin): marking one answered, hiding one (`message`
   * is the question), and seeing hidden ones in its list (no `message`). Asking is `message:send`.
   * Default: the room's owners and moderators.
   */
  QUESTION: 'question',
} as const;
export type ChatAction = (typeof ChatAction)[keyof typeof ChatAction];

/** What `authorize` and `beforeMessage` know about a request. */
export interface ChatContext {
  user: ChatUser;
  /** The room acted on ('' for `room:list`). */
  roomId: string;
  /** The room acted on, when it exists. */
  room?: Room;
  /** With `message:edit`, `message:delete` and `reaction`: the message acted on, as stored before the change. */
  message?: Message;
  /** The socket's handshake; absent for server-side senders. */
  handshake?: ChatHandshake;
  /** True when `user` is a bot of the server (`chat.bot()`); never for a socket or REST caller. */
  bot?: boolean;
  /**
   * With `message:send` of a thread reply and `message:history` of a thread: the thread's
   * top-level message (a reply's id given by the client is resolved to its parent first).
   */
  threadOf?: string;
  /**
   * With `message:delete` of someone else's message, and with every action a plugin asks about
   * (`PluginTools.checkAllowed` and `authorize`: `pin`, `typing`, `command:run`, a host plugin's):
   * the user's role in the room (admins count as `owner`). The default policy lets owners and
   * moderators delete any message and pin.
   */
  role?: MemberRole;
}

/** Decides whether `ctx.user` may do `action`; false means `FORBIDDEN`. */
export type Authorize = (action: ChatAction, ctx: ChatContext) => boolean | Promise<boolean>;

/** The part of a message `beforeMessage` may change. */
export interface MessageInput {
  text: string;
  /** In an encrypted room: the MLS ciphertext that holds the text ('' then); the server cannot read it. */
  ciphertext?: string;
  attachments: Attachment[];
  replyTo?: string;
  /** User ids mentioned; the server keeps only those of users in the room. */
  mentions?: string[];
  /** A thread reply: the id of a message of the room (a reply's id means that reply's thread). */
  threadOf?: string;
  /** With `threadOf`: in the room's main log too. */
  alsoInRoom?: boolean;
}

/** Rewrites or refuses (throw a `ChatError`) a message before it is stored. */
export type BeforeMessage = (draft: MessageInput, ctx: ChatContext) => MessageInput | Promise<MessageInput>;

/**
 * Which unknown rooms a join (or `chat.sendMessage`) creates: all (`true`), none (`false`),
 * ids matching a RegExp, or those a function allows. Other unknown rooms are `ROOM_NOT_FOUND`.
 * @example createRoomsOnJoin: /^lobby-/ // cita-* rooms exist only once the host created them
 */
export type CreateRoomsOnJoin = boolean | RegExp | ((roomId: string, user: ChatUser) => boolean | Promise<boolean>);
