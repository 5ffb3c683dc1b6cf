// How people come and go: their client goes away (disconnects and stays away for any number of
// steps), comes back (the SDK re-joins and catches up), loses its transport for a moment (and
// reconnects by itself), and subscribes a push device.
import { expect } from 'vitest';
import { okData, request } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import { ROOMS, type ChatModel, type Person } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { Step } from './model-step-fixtures.js';

abstract class PersonStep extends Step {
  constructor(readonly person: Person) {
    super();
  }
  protected online(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person) && model.people[this.person].online;
  }
}

/**
 * Waits until the person's client is connected again after `before` connects, every room the
 * model keeps them in is joined (re-joined and caught up), every other room of the client is
 * left, and the server counts them online.
 */
async function backIn(model: ChatModel, world: ModelWorld, person: Person, before: number): Promise<void> {
  const handle = world.person(person);
  await waitFor(() => {
    expect(handle.connects, `${person} reconnected`).toBeGreaterThan(before);
    for (const room of ROOMS) {
      const state = handle.client.getRoom(world.roomIds[room])?.state;
      if (model.people[person].joined.has(room)) expect(state, `${person} back in ${room}`).toBe('joined');
      else expect(state === undefined || state === 'left', `${person} not back in ${room} (${state})`).toBe(true);
    }
  });
  await world.presence(person, true);
}

export class GoAway extends PersonStep {
  check(model: Readonly<ChatModel>): boolean {
    return this.online(model);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    world.person(this.person).client.socket.disconnect();
    await world.presence(this.person, false);
    model.people[this.person].online = false;
    return undefined;
  }
  toString(): string {
    return `goAway(${this.person})`;
  }
}

export class ComeBack extends PersonStep {
  check(model: Readonly<ChatModel>): boolean {
    return model.alive(this.person) && !model.people[this.person].online;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const handle = world.person(this.person);
    const p = model.people[this.person];
    // The client re-joins the rooms it was in: those it may still join take it back (a public room
    // makes it a member again), the others refuse it.
    const refused = [...p.joined].filter((room) => !model.mayJoin(this.person, room));
    for (const room of refused) p.joined.delete(room);
    for (const room of p.joined) model.addMember(this.person, room);
    p.online = true;
    const before = handle.connects;
    handle.client.socket.connect();
    await backIn(model, world, this.person, before);
    return refused.length > 0 ? `not let back into ${refused.join(', ')}` : 'back';
  }
  toString(): string {
    return `comeBack(${this.person})`;
  }
}

/** The transport drops and the client reconnects by itself at once (a reconnect of no length). */
export class Blip extends PersonStep {
  check(model: Readonly<ChatModel>): boolean {
    return this.online(model);
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    const handle = world.person(this.person);
    const before = handle.connects;
    handle.client.socket.io.engine.close();
    await backIn(model, world, this.person, before);
    return undefined;
  }
  toString(): string {
    return `blip(${this.person})`;
  }
}

export class SubscribePush extends PersonStep {
  check(model: Readonly<ChatModel>): boolean {
    return this.online(model) && !model.people[this.person].device;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<undefined> {
    const handle = world.person(this.person);
    okData(await request(handle.client.socket, 'push:subscribe', { subscription: handle.device.subscription }));
    model.people[this.person].device = true;
    return undefined;
  }
  toString(): string {
    return `subscribePush(${this.person})`;
  }
}
