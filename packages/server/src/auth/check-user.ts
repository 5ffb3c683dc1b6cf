import { builtInError, cleanDisplayName, type ChatUser } from '@chat/protocol';

// What PostgreSQL cannot hold in a text column: NUL, and half a UTF-16 pair.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** True when `text` can be stored as PostgreSQL text (no NUL, no unpaired surrogate). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * Checks what an `authenticate` returned and cleans its display name by the rules of guest
 * names ({@link cleanDisplayName}); a user that cannot be used is `UNAUTHENTICATED` with a
 * sentence. Returns the user unchanged when its name was already clean, else a copy.
 */
export function checkUser(user: ChatUser): ChatUser {
  if (typeof user !== 'object' || user === null || typeof user.id !== 'string' || user.id === '' || typeof user.name !== 'string') {
    throw builtInError('UNAUTHENTICATED', 'authenticate() must return a user with a non-empty id and name.');
  }
  if (!isStorableText(user.id)) {
    throw builtInError('UNAUTHENTICATED', 'The user id contains a NUL character or broken Unicode, so it cannot be used.');
  }
  if (user.avatarUrl !== undefined && (typeof user.avatarUrl !== 'string' || !isStorableText(user.avatarUrl))) {
    throw builtInError('UNAUTHENTICATED', 'The avatar URL must be a string without NUL characters or broken Unicode.');
  }
  if (user.expiresAt !== undefined) {
    // An unreadable date would mean "never expires" to the session timer: refuse it instead.
    const at = typeof user.expiresAt === 'string' ? Date.parse(user.expiresAt) : Number.NaN;
    if (Number.isNaN(at)) throw builtInError('UNAUTHENTICATED', 'authenticate() returned an expiresAt that is not an ISO 8601 date.');
    if (at <= Date.now()) throw builtInError('UNAUTHENTICATED', 'Your sign-in has expired. Please sign in again.');
  }
  // UserRef.bot comes from chat.bot() only: an authenticate cannot make a connection a bot.
  if ('bot' in user) {
    const { bot: _bot, ...person } = user as ChatUser & { bot?: unknown };
    return checkUser(person);
  }
  let name: string;
  try {
    name = cleanDisplayName(user.name);
  } catch (error) {
    throw builtInError('UNAUTHENTICATED', `This display name cannot be used: ${(error as Error).message}`, { cause: error });
  }
  return name === user.name ? user : { ...user, name };
}
