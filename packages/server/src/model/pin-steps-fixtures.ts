// What the host does with a room's pins (the pins() plugin, through its host API on the process
// `via` names): pin a message of the room's log, or unpin it when it is pinned. A pinned message's
// words then travel on one more path (`pins:updated`, the join answer), which the checks hold to
// the audience rule; each member's `room.pins.list` is held to the model's.
import { expect } from 'vitest';
import { DEFAULT_MAX_PINS } from '@chat/server';
import type { ChatModel, ModelMessage, RoomKey } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { nth, Step } from './model-step-fixtures.js';

/** The host pins the picked message of the room's log, or unpins it; at the most pins, it unpins the oldest pin instead. */
export class Pin extends Step {
  constructor(
    readonly room: RoomKey,
    readonly pick: number,
    readonly via: number,
  ) {
    super();
  }
  #pinnable(model: Readonly<ChatModel>): ModelMessage[] {
    return model.rooms[this.room].messages.filter((m) => !m.deleted && m.threadOf === undefined);
  }
  check(model: Readonly<ChatModel>): boolean {
    return this.#pinnable(model).length > 0;
  }
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    const room = model.rooms[this.room];
    const picked = nth(this.#pinnable(model), this.pick) as ModelMessage;
    const full = room.pinned.length >= DEFAULT_MAX_PINS;
    const target = room.pinned.includes(picked.id) || !full ? picked.id : (room.pinned.at(-1) as string);
    const unpins = room.pinned.includes(target);
    const host = world.pins(this.via);
    const { pinned } = await (unpins ? host.unpin(world.roomIds[this.room], target) : host.pin(world.roomIds[this.room], target));
    room.pinned = unpins ? room.pinned.filter((id) => id !== target) : [target, ...room.pinned];
    expect(
      pinned.map((m) => m.id),
      `the pins of ${this.room} after the host's ${unpins ? 'unpin' : 'pin'}`,
    ).toEqual(room.pinned);
    const seq = model.byId.get(target)?.seq;
    return `${unpins ? 'unpinned' : 'pinned'} seq ${seq}: ${room.pinned.length} pinned`;
  }
  toString(): string {
    return `pin(${this.room}, #${this.pick})${this.via === 0 ? '' : `@${this.via}`}`;
  }
}
