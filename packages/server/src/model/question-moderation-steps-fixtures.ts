// What moderators do with a room's questions (the questions() plugin): the host makes a person a
// moderator of a room or a member again (`chat.setRole`, on the process `via` names; Ana moderates
// every room from the start), and a person marks a question answered or not, answers it with a
// reply in its thread, hides it or shows it again. Whoever does not moderate the room (never made
// a moderator, made a member again, or banned since: a ban ends the role) is refused with
// `FORBIDDEN`, and nothing changes. The answer's reply is the moderator's thread reply on every
// path: the checks hold it to every rule of a reply (the reply count, the thread's participants,
// unread, pushes and `notify`), and each question's state to the model's in every view and list
// (hidden ones in moderators' lists only).
import { expect } from 'vitest';
import { MemberRole, type Message } from '@chat/protocol';
import { ask, data } from '../plugins/plugin-socket-fixtures.js';
import { COMMON_WORD, ROOMS, type ChatModel, type ModelMessage, type Person, type RoomKey } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { modelMessage, nth, sdkRoom, Step } from './model-step-fixtures.js';

/** The host makes the person a moderator of the room, or a member again when they are one. */
export class SetRole extends Step {
  constructor(
    readonly person: Person,
    readonly room: RoomKey,
    readonly via: number,
  ) {
    super();
  }
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const moderators = model.rooms[this.room].moderators;
    const makes = !moderators.has(this.person);
    const role = makes ? MemberRole.MODERATOR : MemberRole.MEMBER;
    await world.chat(this.via).setRole(world.roomIds[this.room], world.person(this.person).id, role);
    if (makes) moderators.add(this.person);
    else moderators.delete(this.person);
    return `${role}${makes && model.rooms[this.room].banned.has(this.person) ? ' (banned: not while the ban holds)' : ''}`;
  }
  toString(): string {
    return `setRole(${this.person}, ${this.room})${this.via === 0 ? '' : `@${this.via}`}`;
  }
}

/** What a moderator's step does to a question. */
type Move = 'answer' | 'reply' | 'hide';

/**
 * A person alive and online acts on a question (not deleted) of a room their client is in: `answer`
 * marks it answered or not (`room.questions.answer`), `reply` answers it with a reply in its thread
 * (`question:answer` with `reply` on their socket: its ack carries the reply), `hide` hides it or
 * shows it again (`room.questions.hide`). Refused (`FORBIDDEN`) for whoever does not moderate the room.
 */
export class ModerateQuestion extends Step {
  constructor(
    readonly person: Person,
    readonly pick: number,
    readonly move: Move,
  ) {
    super();
  }
  /** The questions of the rooms the person's client is in, room by room. */
  #questions(model: Readonly<ChatModel>): ModelMessage[] {
    const p = model.people[this.person];
    return ROOMS.filter((room) => p.joined.has(room)).flatMap((room) => model.questions(room));
  }
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person) && model.people[this.person].online && this.#questions(model).length > 0;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const message = nth(this.#questions(model), this.pick) as ModelMessage;
    const question = message.question as NonNullable<ModelMessage['question']>;
    const label = `${this.person}'s ${this.move} of the question of seq ${message.seq} in ${message.room}`;
    const refused = `${message.room} seq ${message.seq}: refused, ${this.person} does not moderate ${message.room}`;
    if (this.move === 'reply') return this.#reply(model, world, message, label, refused);
    const questions = sdkRoom(world, this.person, message.room).questions;
    const to = this.move === 'answer' ? !question.answered : !question.hidden;
    const done = this.move === 'answer' ? questions.answer(message.id, to) : questions.hide(message.id, to);
    if (!model.moderates(this.person, message.room)) {
      await expect(done, `${label}, who does not moderate it`).rejects.toMatchObject({ code: 'FORBIDDEN' });
      return refused;
    }
    const stored = await done;
    if (this.move === 'answer') question.answered = to;
    else question.hidden = to;
    this.#expectState(stored, message, label);
    const now = this.move === 'answer' ? (to ? 'answered' : 'not answered') : to ? 'hidden' : 'shown';
    return `${message.room} seq ${message.seq} ${now}`;
  }

  async #reply(model: ChatModel, world: ModelWorld, message: ModelMessage, label: string, refused: string): Promise<string> {
    const handle = world.person(this.person);
    const word = model.nextWord();
    const payload = {
      roomId: world.roomIds[message.room],
      messageId: message.id,
      reply: `${COMMON_WORD} ${word}`,
      clientId: `answer-${model.tag}-${model.step}`,
    };
    if (!model.moderates(this.person, message.room)) {
      const answer = await ask(handle.client.socket, 'question:answer', payload);
      expect(answer, `${label}, who does not moderate it`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      return refused;
    }
    // The moderator's client follows the thread, as it does a thread it replies in.
    const sdk = sdkRoom(world, this.person, message.room);
    const followed = handle.threads.get(sdk) ?? new Set<string>();
    handle.threads.set(sdk, followed.add(message.id));
    sdk.thread(message.id);
    const answered = data<{ message: Message; reply: Message }>(await ask(handle.client.socket, 'question:answer', payload));
    (message.question as NonNullable<ModelMessage['question']>).answered = true;
    this.#expectState(answered.message, message, label);
    expect(answered.reply.threadOf, `${label}: the reply's thread`).toBe(message.id);
    const reply = modelMessage(model, answered.reply, message.room, this.person, word, { threadOf: message.id, alsoInRoom: false });
    model.stored(reply);
    model.expect(reply, world.servers.length > 1);
    return `${message.room} seq ${message.seq} answered with seq ${reply.seq} ${word} in its thread`;
  }

  /** The ack's question: its upvotes, answered and hidden as the model has them now. */
  #expectState(stored: Message, message: ModelMessage, label: string): void {
    const { upvoters, answered, hidden } = message.question as NonNullable<ModelMessage['question']>;
    expect(stored.question, `${label}: the question in the answer`).toEqual({ upvotes: upvoters.length, answered, hidden });
  }

  toString(): string {
    const name = this.move === 'answer' ? 'markAnswered' : this.move === 'reply' ? 'answerWithReply' : 'hide';
    return `${name}(${this.person}, #${this.pick})`;
  }
}
