// What the host does through the server API (of the process `via` names, in a cluster): kick,
// ban, unban, remove from a room's members, add to them, and erase a person.
import { expect } from 'vitest';
import { waitFor } from '../../../../test-support/wait.js';
import type { ChatModel, Person, RoomKey } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { Step } from './model-step-fixtures.js';

abstract class HostStep extends Step {
  constructor(
    readonly person: Person,
    readonly room: RoomKey,
    readonly via: number,
  ) {
    super();
  }
  protected where(): string {
    return this.via === 0 ? '' : `@${this.via}`;
  }
  /** The person's client, if online in the room, is taken out of it: wait until it knows. */
  protected async takenOut(model: ChatModel, world: ModelWorld): Promise<void> {
    const p = model.people[this.person];
    if (!p.online || !p.joined.has(this.room)) return;
    p.joined.delete(this.room);
    const client = world.person(this.person).client;
    await waitFor(() => expect(client.getRoom(world.roomIds[this.room]), `${this.person} out of ${this.room}`).toBeUndefined());
  }
}

export class Kick extends HostStep {
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    await world.chat(this.via).kick(world.roomIds[this.room], world.person(this.person).id);
    // A kick takes sockets out and ends no membership: a client away re-joins when it comes back.
    await this.takenOut(model, world);
    return undefined;
  }
  toString(): string {
    return `kick(${this.person}, ${this.room})${this.where()}`;
  }
}

export class Ban extends HostStep {
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person) && !model.rooms[this.room].banned.has(this.person);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    await world.chat(this.via).ban(world.roomIds[this.room], world.person(this.person).id);
    model.rooms[this.room].banned.add(this.person);
    // A ban ends a moderator's role too: let back in, they are a member.
    model.rooms[this.room].moderators.delete(this.person);
    model.endMembership(this.person, this.room);
    await this.takenOut(model, world);
    return undefined;
  }
  toString(): string {
    return `ban(${this.person}, ${this.room})${this.where()}`;
  }
}

export class Unban extends HostStep {
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person) && model.rooms[this.room].banned.has(this.person);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    await world.chat(this.via).unban(world.roomIds[this.room], world.person(this.person).id);
    model.rooms[this.room].banned.delete(this.person);
    return undefined;
  }
  toString(): string {
    return `unban(${this.person}, ${this.room})${this.where()}`;
  }
}

/** `chat.removeMembers`: the membership ends (of the private room, or of a public one, which they may join again). */
export class Remove extends HostStep {
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person) && model.isMember(this.person, this.room);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    await world.chat(this.via).removeMembers(world.roomIds[this.room], [world.person(this.person).id]);
    model.endMembership(this.person, this.room);
    await this.takenOut(model, world);
    return undefined;
  }
  toString(): string {
    return `remove(${this.person}, ${this.room})${this.where()}`;
  }
}

/** `chat.addMembers`: a stored member again; refused with `BANNED` while a ban holds (nobody is added). */
export class Add extends HostStep {
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person) && !model.isMember(this.person, this.room);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    const { id, name } = world.person(this.person);
    const adding = world.chat(this.via).addMembers(world.roomIds[this.room], [{ id, name }]);
    if (model.rooms[this.room].banned.has(this.person)) {
      await expect(adding).rejects.toMatchObject({ code: 'BANNED' });
      return undefined;
    }
    await adding;
    model.addMember(this.person, this.room);
    return undefined;
  }
  toString(): string {
    return `add(${this.person}, ${this.room})${this.where()}`;
  }
}

/** The host blocks the person's sign-in, then `chat.eraseUser` (once a run: the others go on). */
export class Erase extends Step {
  constructor(
    readonly person: Person,
    readonly via: number,
  ) {
    super();
  }
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person) && model.erased.size === 0;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    const handle = world.person(this.person);
    world.block(this.person);
    await world.chat(this.via).eraseUser(handle.id);
    handle.client.close();
    model.erase(this.person, handle.nameTag);
    await world.presence(this.person, false);
    return undefined;
  }
  toString(): string {
    return `erase(${this.person})${this.via === 0 ? '' : `@${this.via}`}`;
  }
}
