// A message as the checks compare it: what a reader sees of it (seq, text, deleted, thread,
// reactions, the author's name, a question's upvotes and whether it is answered and hidden, a
// poll's votes), the same from the server's answer and from the model.
import type { Message } from '@chat/protocol';
import type { ChatModel, ModelMessage } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';

export interface MessageShape {
  seq: number;
  id: string;
  text: string;
  deleted: boolean;
  threadOf: string | null;
  alsoInRoom: boolean;
  /** The parent's reply count (0 without a thread). */
  replies: number;
  /** Emoji -> user ids, sorted. */
  reactions: Record<string, string[]>;
  /** The ids it mentions, sorted. */
  mentions: string[];
  /** The author's name; `(erased)` for an erased person (whose name is checked to be gone apart). */
  author: string;
  /**
   * A question's state: its upvotes (exact, from every process), answered, hidden (a hidden one is
   * still in everyone's log, marked); null for a message that is no question.
   */
  question: { upvotes: number; answered: boolean; hidden: boolean } | null;
  /** A poll's votes per option, in order (exact, from every process); null for a message that is no poll. */
  votes: number[] | null;
}

const ERASED = '(erased)';

function sortedReactions(entries: Iterable<[string, string[]]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [emoji, ids] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1))) out[emoji] = [...ids].sort();
  return out;
}

/** What a reader got. */
export function shapeOf(message: Message, model: ChatModel, world: ModelWorld): MessageShape {
  // An erased person's placeholders may name them otherwise (the id is theirs, or `erased-user`).
  const author = model.byId.get(message.id)?.author ?? world.personOf(message.user.id);
  return {
    seq: message.seq,
    id: message.id,
    text: message.text,
    deleted: message.deletedAt !== undefined,
    threadOf: message.threadOf ?? null,
    alsoInRoom: message.alsoInRoom === true,
    replies: message.thread?.replyCount ?? 0,
    reactions: sortedReactions(Object.entries(message.reactions ?? {}).map(([emoji, r]) => [emoji, r.userIds])),
    mentions: [...(message.mentions ?? [])].sort(),
    author: author !== undefined && model.people[author].erased ? ERASED : message.user.name,
    question: message.question
      ? { upvotes: message.question.upvotes, answered: message.question.answered, hidden: message.question.hidden }
      : null,
    votes: message.poll?.options.map((o) => o.votes) ?? null,
  };
}

/** What the model says a reader must get. */
export function modelShape(message: ModelMessage, model: ChatModel, world: ModelWorld): MessageShape {
  const author = world.person(message.author);
  return {
    seq: message.seq,
    id: message.id,
    text: message.text,
    deleted: message.deleted,
    threadOf: message.threadOf ?? null,
    alsoInRoom: message.alsoInRoom,
    replies: message.threadOf === undefined ? model.replies(message.room, message.id).length : 0,
    reactions: sortedReactions([...message.reactions].map(([emoji, people]) => [emoji, people.map((p) => world.person(p).id)])),
    mentions: message.mentions.map((p) => world.person(p).id).sort(),
    author: model.people[message.author].erased ? ERASED : author.name,
    question: message.question
      ? { upvotes: message.question.upvoters.length, answered: message.question.answered, hidden: message.question.hidden }
      : null,
    votes: model.pollCounts(message),
  };
}

/** Whether a text (lower-cased) holds any of `strings`; returns those it holds. */
export function holding(text: string, strings: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return strings.filter((s) => lower.includes(s.toLowerCase()));
}
