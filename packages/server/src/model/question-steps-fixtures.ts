// What people do with a room's questions and polls (the questions() and polls() plugins), through
// their SDK client: ask a question, upvote it or take the upvote back (a hidden one takes no
// upvote); post a poll, vote, change the vote or take it back. Each is a message: the checks hold
// it to every rule of a message (who may read it, on every path, after an erase), and its upvotes
// and votes to the model's counts. Moderators' steps on questions: question-moderation-steps-fixtures.ts.
import { expect } from 'vitest';
import { COMMON_WORD, type ChatModel, type ModelMessage, type Person, type RoomKey } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { modelMessage, nth, sdkRoom, Step } from './model-step-fixtures.js';

/** A step of a person who is alive, online and in the room. */
export abstract class InRoomStep extends Step {
  constructor(
    readonly person: Person,
    readonly room: RoomKey,
  ) {
    super();
  }
  check(model: Readonly<ChatModel>): boolean {
    const p = model.people[this.person];
    return model.alive(this.person) && p.online && p.joined.has(this.room);
  }
  /** Files a message the step posted (a question, a poll) in the model, with who must receive it. */
  protected filed(model: ChatModel, world: ModelWorld, message: ModelMessage): string {
    model.stored(message);
    model.expect(message, world.servers.length > 1);
    return `seq ${message.seq} ${message.word}`;
  }
}

/** `room.questions.ask`: a question posted as the person's message of the room. */
export class Ask extends InRoomStep {
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const word = model.nextWord();
    const asked = await sdkRoom(world, this.person, this.room).questions.ask(`${COMMON_WORD} ${word}`);
    // The model's server posts questions at once (no approval).
    if ('pending' in asked) throw new Error(`the question waits for approval: ${JSON.stringify(asked)}`);
    expect(asked.question, `the question's state as asked`).toEqual({ upvotes: 0, answered: false, hidden: false });
    return this.filed(model, world, {
      ...modelMessage(model, asked, this.room, this.person, word),
      question: { upvoters: [], answered: false, hidden: false },
    });
  }
  toString(): string {
    return `ask(${this.person}, ${this.room})`;
  }
}

/**
 * `room.questions.upvote`, or `unvote` when the person's upvote is on it: the count moves by one,
 * once. An upvote of a hidden question is refused (`VALIDATION_FAILED`); taking one back is not.
 */
export class Upvote extends InRoomStep {
  constructor(
    person: Person,
    room: RoomKey,
    readonly pick: number,
  ) {
    super(person, room);
  }
  override check(model: Readonly<ChatModel>): boolean {
    return super.check(model) && model.questions(this.room).length > 0;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const question = nth(model.questions(this.room), this.pick) as ModelMessage;
    const questions = sdkRoom(world, this.person, this.room).questions;
    const adds = !(question.question?.upvoters.includes(this.person) ?? false);
    if (adds && question.question?.hidden === true) {
      await expect(questions.upvote(question.id), `an upvote of the hidden question of seq ${question.seq}`).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      return `seq ${question.seq}: hidden, not upvoted`;
    }
    const on = await (adds ? questions.upvote(question.id) : questions.unvote(question.id));
    expect(on, `${this.person}'s upvote on seq ${question.seq}`).toBe(adds);
    model.toggleUpvote(question, this.person);
    return `${adds ? 'upvoted' : 'took back the upvote of'} seq ${question.seq}: ${question.question?.upvoters.length ?? 0}`;
  }
  toString(): string {
    return `upvote(${this.person}, ${this.room}, #${this.pick})`;
  }
}

/** `room.polls.create`: a single-choice poll of three options, posted as the person's message. */
export class CreatePoll extends InRoomStep {
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const word = model.nextWord();
    const posted = await sdkRoom(world, this.person, this.room).polls.create({
      question: `${COMMON_WORD} ${word}`,
      options: ['uno', 'dos', 'tres'],
    });
    const options = posted.poll?.options.map((o) => o.id) ?? [];
    expect(
      posted.poll?.options.map((o) => o.votes),
      `the poll's counts as posted`,
    ).toEqual([0, 0, 0]);
    return this.filed(model, world, { ...modelMessage(model, posted, this.room, this.person, word), poll: { options, votes: new Map() } });
  }
  toString(): string {
    return `poll(${this.person}, ${this.room})`;
  }
}

/** `room.polls.vote`: the person's one choice in a poll, changed, or taken back (`[]`) when it is that option already. */
export class Vote extends InRoomStep {
  constructor(
    person: Person,
    room: RoomKey,
    readonly pick: number,
    readonly option: number,
  ) {
    super(person, room);
  }
  #polls(model: Readonly<ChatModel>): ModelMessage[] {
    return model.rooms[this.room].messages.filter((m) => !m.deleted && m.poll !== undefined);
  }
  override check(model: Readonly<ChatModel>): boolean {
    return super.check(model) && this.#polls(model).length > 0;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const message = nth(this.#polls(model), this.pick) as ModelMessage;
    const poll = message.poll as NonNullable<ModelMessage['poll']>;
    const option = nth(poll.options, this.option) as string;
    const takesBack = poll.votes.get(this.person) === option;
    const mine = await sdkRoom(world, this.person, this.room).polls.vote(message.id, takesBack ? [] : [option]);
    expect(mine, `${this.person}'s choice in the poll of seq ${message.seq}`).toEqual(takesBack ? [] : [option]);
    if (takesBack) poll.votes.delete(this.person);
    else poll.votes.set(this.person, option);
    return `${takesBack ? 'took back' : 'voted'} #${this.option % poll.options.length} in seq ${message.seq}: ${model.pollCounts(message)?.join('/')}`;
  }
  toString(): string {
    return `vote(${this.person}, ${this.room}, #${this.pick}, option ${this.option})`;
  }
}
