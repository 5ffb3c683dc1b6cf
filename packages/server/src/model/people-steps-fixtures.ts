// What people do in rooms, through their SDK client: join, leave, send, reply in a thread, edit,
// delete, react, and mark a room or a thread read.
import { expect } from 'vitest';
import { ChatError } from '@chat/protocol';
import { okData, request } from '../../../../test-support/servers.js';
import { COMMON_WORD, type ChatModel, type ModelMessage, type Person, type RoomKey } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { modelMessage, nth, sdkRoom, Step } from './model-step-fixtures.js';

/** A step of a person who is online in a room, or about to join it. */
abstract class InRoom extends Step {
  constructor(
    readonly person: Person,
    readonly room: RoomKey,
  ) {
    super();
  }

  /** Alive, online and in the room (the usual precondition). */
  protected inRoom(model: Readonly<ChatModel>): boolean {
    const p = model.people[this.person];
    return model.alive(this.person) && p.online && p.joined.has(this.room);
  }
}

export class Join extends InRoom {
  check(model: Readonly<ChatModel>): boolean {
    const p = model.people[this.person];
    return model.alive(this.person) && p.online && !p.joined.has(this.room);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const client = world.person(this.person).client;
    const roomId = world.roomIds[this.room];
    if (!model.mayJoin(this.person, this.room)) {
      const refusal = await client.join(roomId).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (!(refusal instanceof ChatError)) throw new Error(`${this.person} was let into ${this.room}, which they may not read`);
      return `refused: ${refusal.code}`;
    }
    await client.join(roomId);
    model.people[this.person].joined.add(this.room);
    model.addMember(this.person, this.room);
    return 'joined';
  }
  toString(): string {
    return `join(${this.person}, ${this.room})`;
  }
}

export class Leave extends InRoom {
  check(model: Readonly<ChatModel>): boolean {
    return this.inRoom(model);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    await sdkRoom(world, this.person, this.room).leave();
    model.people[this.person].joined.delete(this.room);
    return undefined;
  }
  toString(): string {
    return `leave(${this.person}, ${this.room})`;
  }
}

/** `@eva` in a step's name: whom it mentions. */
const at = (mention: Person | undefined): string => (mention === undefined ? '' : `, @${mention}`);

export class Send extends InRoom {
  constructor(
    person: Person,
    room: RoomKey,
    readonly mention?: Person,
  ) {
    super(person, room);
  }
  check(model: Readonly<ChatModel>): boolean {
    return this.inRoom(model);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const word = model.nextWord();
    const mentions = this.mention === undefined ? [] : [world.idOf(this.mention)];
    const sent = await sdkRoom(world, this.person, this.room).send({ text: `${COMMON_WORD} ${word}`, mentions });
    const message = modelMessage(model, sent, this.room, this.person, word, undefined, this.mention);
    model.stored(message);
    model.expect(message, world.servers.length > 1);
    return `seq ${sent.seq} ${word}`;
  }
  toString(): string {
    return `send(${this.person}, ${this.room}${at(this.mention)})`;
  }
}

export class Reply extends InRoom {
  constructor(
    person: Person,
    room: RoomKey,
    readonly pick: number,
    readonly alsoInRoom: boolean,
    readonly mention?: Person,
  ) {
    super(person, room);
  }
  #roots(model: Readonly<ChatModel>): ModelMessage[] {
    return model.rooms[this.room].messages.filter((m) => m.threadOf === undefined);
  }
  check(model: Readonly<ChatModel>): boolean {
    return this.inRoom(model) && this.#roots(model).length > 0;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const root = nth(this.#roots(model), this.pick) as ModelMessage;
    const room = sdkRoom(world, this.person, this.room);
    const followed = world.person(this.person).threads.get(room) ?? new Set<string>();
    world.person(this.person).threads.set(room, followed.add(root.id));
    const word = model.nextWord();
    const mentions = this.mention === undefined ? [] : [world.idOf(this.mention)];
    const sent = await room.thread(root.id).send({ text: `${COMMON_WORD} ${word}`, alsoInRoom: this.alsoInRoom, mentions });
    const reply = { threadOf: root.id, alsoInRoom: this.alsoInRoom };
    const message = modelMessage(model, sent, this.room, this.person, word, reply, this.mention);
    model.stored(message);
    model.expect(message, world.servers.length > 1);
    return `seq ${sent.seq} ${word} in the thread of seq ${root.seq}`;
  }
  toString(): string {
    return `reply(${this.person}, ${this.room}, #${this.pick}${this.alsoInRoom ? ', alsoInRoom' : ''}${at(this.mention)})`;
  }
}

/** A step on one of the person's own messages (replies too) that is not deleted. */
abstract class OnOwnMessage extends InRoom {
  constructor(
    person: Person,
    room: RoomKey,
    readonly pick: number,
  ) {
    super(person, room);
  }
  protected own(model: Readonly<ChatModel>): ModelMessage[] {
    return model.rooms[this.room].messages.filter((m) => m.author === this.person && !m.deleted);
  }
  check(model: Readonly<ChatModel>): boolean {
    return this.inRoom(model) && this.own(model).length > 0;
  }
}

export class Edit extends OnOwnMessage {
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const message = nth(this.own(model), this.pick) as ModelMessage;
    const word = model.nextWord();
    const before = message.word;
    const edit = sdkRoom(world, this.person, this.room).edit(message.id, `${COMMON_WORD} ${word}`);
    if (message.poll || message.question) {
      // People voted on a poll's question, upvoted a question: it is refused, and nothing changes.
      const what = message.poll ? 'poll' : 'question';
      await expect(edit, `an edit of the ${what} of seq ${message.seq}`).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      return `seq ${message.seq}: a ${what}, not edited`;
    }
    await edit;
    model.edited(message, word);
    return `seq ${message.seq}: ${before} -> ${word}`;
  }
  toString(): string {
    return `edit(${this.person}, ${this.room}, #${this.pick})`;
  }
}

export class Delete extends OnOwnMessage {
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const message = nth(this.own(model), this.pick) as ModelMessage;
    await sdkRoom(world, this.person, this.room).delete(message.id);
    const word = message.word;
    model.deleted(message);
    return `seq ${message.seq} ${word}`;
  }
  toString(): string {
    return `delete(${this.person}, ${this.room}, #${this.pick})`;
  }
}

export class React extends InRoom {
  constructor(
    person: Person,
    room: RoomKey,
    readonly pick: number,
    readonly emoji: string,
  ) {
    super(person, room);
  }
  #targets(model: Readonly<ChatModel>): ModelMessage[] {
    return model.rooms[this.room].messages.filter((m) => !m.deleted);
  }
  check(model: Readonly<ChatModel>): boolean {
    return this.inRoom(model) && this.#targets(model).length > 0;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const message = nth(this.#targets(model), this.pick) as ModelMessage;
    const room = sdkRoom(world, this.person, this.room);
    const adds = !(message.reactions.get(this.emoji) ?? []).includes(this.person);
    await (adds ? room.react(message.id, this.emoji) : room.unreact(message.id, this.emoji));
    model.toggleReaction(message, this.person, this.emoji);
    return `${adds ? 'added' : 'took back'} ${this.emoji} on seq ${message.seq}`;
  }
  toString(): string {
    return `react(${this.person}, ${this.room}, #${this.pick}, ${this.emoji})`;
  }
}

/** `read:mark` over the person's socket: a stored member marks a room (or a thread) read, joined or not. */
export class MarkRead extends InRoom {
  constructor(
    person: Person,
    room: RoomKey,
    readonly pick: number,
    readonly thread: boolean,
  ) {
    super(person, room);
  }
  #targets(model: Readonly<ChatModel>): ModelMessage[] {
    return this.thread ? model.threads(this.room) : model.mainLog(this.room);
  }
  check(model: Readonly<ChatModel>): boolean {
    const p = model.people[this.person];
    return model.alive(this.person) && p.online && model.isMember(this.person, this.room) && this.#targets(model).length > 0;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const socket = world.person(this.person).client.socket;
    const roomId = world.roomIds[this.room];
    const target = nth(this.#targets(model), this.pick) as ModelMessage;
    if (!this.thread) {
      const { seq } = okData(await request(socket, 'read:mark', { roomId, seq: target.seq }));
      model.markRead(this.person, this.room, target.seq);
      expect(seq, `${this.person}'s mark in ${this.room}`).toBe(model.people[this.person].marks.get(this.room));
      return `up to seq ${target.seq}: mark ${seq}, model ${model.people[this.person].marks.get(this.room)}`;
    }
    const last = model.replies(this.room, target.id).at(-1)?.seq ?? target.seq;
    const { seq } = okData(await request(socket, 'read:mark', { roomId, seq: last, threadOf: target.id }));
    model.markThreadRead(this.person, this.room, target.id, last);
    expect(seq, `${this.person}'s mark in the thread of seq ${target.seq}`).toBe(model.people[this.person].threadMarks.get(target.id));
    return `thread of seq ${target.seq} up to seq ${last}: mark ${seq}, model ${model.people[this.person].threadMarks.get(target.id)}`;
  }
  toString(): string {
    return `${this.thread ? 'markThreadRead' : 'markRead'}(${this.person}, ${this.room}, #${this.pick})`;
  }
}
