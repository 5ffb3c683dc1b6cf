// Live reactions (the liveReactions() plugin) in a model run: never stored and carrying no words,
// so what they are held to is who gets a room's bursts (model-checks-fixtures.ts, burstLeak).
import { ChatError } from '@chat/protocol';
import type { ChatModel } from './chat-model-fixtures.js';
import type { ModelWorld } from './model-world-fixtures.js';
import { sdkRoom } from './model-step-fixtures.js';
import { InRoomStep } from './question-steps-fixtures.js';

/** `room.liveReactions.send`: a reaction of a person in the room, counted in the room's next burst. */
export class LiveReact extends InRoomStep {
  async act(model: ChatModel, world: ModelWorld): Promise<string> {
    try {
      await sdkRoom(world, this.person, this.room).liveReactions.send('👏');
    } catch (error) {
      // Past a person's reactions a second: refused, and counted in no burst.
      if (error instanceof ChatError && error.code === 'RATE_LIMITED') return 'rate limited';
      throw error;
    }
    model.liveReactions.push({ room: this.room, step: model.step });
    return 'sent';
  }
  toString(): string {
    return `liveReact(${this.person}, ${this.room})`;
  }
}
