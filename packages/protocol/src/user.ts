// Who people are on the wire: the identity the server holds and the part of it others see.

/** Who a message or member is: filled by the server from `authenticate`, never by a client. */
export interface ChatUser {
  /** Stable id, unique across users. */
  id: string;
  /** Display name shown to others. */
  name: string;
  /** Optional avatar image URL (http or https). */
  avatarUrl?: string;
  /** Roles or any data the host wants `authorize` to see; not sent to other users. */
  roles?: string[];
  /**
   * When these credentials stop being valid (ISO 8601; `jwtAuthenticate` sets it from `exp`).
   * The server refuses the connection's requests with `UNAUTHENTICATED` from then on and
   * disconnects it, unless the client refreshes its token first (`auth:refresh`).
   */
  expiresAt?: string;
}

/**
 * The id an erased person's messages, thread summaries, audit entries and reports name in place of
 * them (`chat.eraseUser`), with the name `'Deleted user'`: a client shows it in its reader's language.
 */
export const ERASED_USER_ID = 'erased-user';

/** The public part of a user, as sent to other users. */
export interface UserRef {
  id: string;
  name: string;
  avatarUrl?: string;
  /** A bot (`chat.bot()`), shown with a bot mark. */
  bot?: boolean;
}
