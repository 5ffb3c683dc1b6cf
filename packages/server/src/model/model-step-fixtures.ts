// One step of a model run (a fast-check AsyncCommand): it acts on the real system, changes the
// model alike, and then everything is checked (model-checks-fixtures.ts). Its toString is what a
// failure prints of the shrunk sequence; the world's log adds what each step resolved to.
import type { AsyncCommand } from 'fast-check';
import type { ChatRoom } from '@chat/client';
import { COMMON_WORD, type ChatModel, type ModelMessage, type Person, type RoomKey } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { checkAfterStep } from './model-checks-fixtures.js';

export abstract class Step implements AsyncCommand<ChatModel, ModelWorld> {
  abstract check(model: Readonly<ChatModel>): boolean;
  abstract toString(): string;
  /** Acts on the world and the model alike; returns what it resolved to (a message's seq...), for the log. */
  protected abstract act(model: ChatModel, world: ModelWorld): Promise<string | undefined>;

  async run(model: ChatModel, world: ModelWorld): Promise<void> {
    model.step++;
    let note: string | undefined;
    try {
      note = await this.act(model, world);
    } finally {
      world.log.push(`${model.step}. ${this.toString()}${note === undefined ? '' : `: ${note}`}`);
    }
    model.snapshot();
    await checkAfterStep(model, world);
  }
}

/** The SDK room of a person's room; it must be there. */
export function sdkRoom(world: ModelWorld, person: Person, room: RoomKey): ChatRoom {
  const found = world.person(person).client.getRoom(world.roomIds[room]);
  if (!found) throw new Error(`${person}'s client is not in ${room}`);
  return found;
}

/** The `pick`-th of `list`, round: a step's pick stays valid however the sequence shrinks. */
export function nth<T>(list: readonly T[], pick: number): T | undefined {
  return list.length === 0 ? undefined : list[pick % list.length];
}

/** A message as the model files it, from the server's answer. */
export function modelMessage(
  model: ChatModel,
  stored: { id: string; seq: number },
  room: RoomKey,
  author: Person,
  word: string,
  reply?: { threadOf: string; alsoInRoom: boolean },
  mention?: Person,
): ModelMessage {
  return {
    id: stored.id,
    room,
    seq: stored.seq,
    author,
    text: `${COMMON_WORD} ${word}`,
    word,
    words: [word],
    ...(reply && { threadOf: reply.threadOf }),
    alsoInRoom: reply?.alsoInRoom ?? false,
    deleted: false,
    reactions: new Map(),
    // A mention is kept for a stored member of the room (those in it are members).
    mentions: mention !== undefined && model.isMember(mention, room) ? [mention] : [],
    step: model.step,
  };
}
