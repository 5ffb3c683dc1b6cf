import type { Message } from '@chat/protocol';

/**
 * Whether `userId` reacted to `message` with `emoji`, as far as the message tells: `true`,
 * `false`, or `undefined` when it cannot tell (more users reacted than `userIds` lists, and
 * `userId` is not among those listed).
 */
export function reactedIn(message: Message, emoji: string, userId: string): boolean | undefined {
  const reaction = message.reactions?.[emoji];
  if (!reaction || reaction.count === 0) return false;
  if (reaction.userIds.includes(userId)) return true;
  return reaction.userIds.length >= reaction.count ? false : undefined;
}

/**
 * Whether a user reacted to `message` with `emoji` (see `ChatRoom.reactedBy`): for yourself
 * (`selfId`), what `own` remembers where the message cannot tell.
 */
export function reactedBy(
  message: Message,
  emoji: string,
  userId: string | undefined,
  selfId: string | undefined,
  own: OwnReactions,
): boolean | undefined {
  if (userId === undefined) return undefined;
  const known = reactedIn(message, emoji, userId);
  if (known !== undefined || userId !== selfId) return known;
  return own.get(message.id, emoji);
}

/**
 * Reactions this session made or took back, by message and emoji: what a message whose
 * `userIds` list is capped cannot tell about oneself. Lost on reload.
 */
export class OwnReactions {
  readonly #known = new Map<string, Map<string, boolean>>();

  /** The server acknowledged `react` (true) or `unreact` (false). */
  record(messageId: string, emoji: string, reacted: boolean): void {
    let byEmoji = this.#known.get(messageId);
    if (!byEmoji) this.#known.set(messageId, (byEmoji = new Map<string, boolean>()));
    byEmoji.set(emoji, reacted);
  }

  /** What the last acknowledged `react` / `unreact` of this session said, if there was one. */
  get(messageId: string, emoji: string): boolean | undefined {
    return this.#known.get(messageId)?.get(emoji);
  }

  /** Forgets everything (another history of the room). */
  clear(): void {
    this.#known.clear();
  }
}
