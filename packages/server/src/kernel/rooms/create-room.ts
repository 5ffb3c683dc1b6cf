import { builtInError, parsePayload, type Room } from '@chat/protocol';
import type { ServerContext } from '../context.js';
import type { CreateRoomInput } from '../../core/chat-store.js';
import { withoutUndefined } from '../../core/without-undefined.js';
import { isDirectRoomId } from '../../core/ids.js';

/** Options of `chat.createRoom`. */
export interface CreateRoomOptions {
  /**
   * What to do when a room with `input.id` exists: `'throw'` refuses with `ROOM_EXISTS`;
   * `'return'` gives back the existing room unchanged, whoever created it (only safe for ids
   * that `createRoomsOnJoin` cannot create, i.e. that only your code creates).
   * @default 'throw'
   */
  ifExists?: 'throw' | 'return';
}

/** Checks the input, then creates the room; a taken id is `ROOM_EXISTS` unless `ifExists: 'return'`. */
export async function createRoom(ctx: ServerContext, input: CreateRoomInput, options: CreateRoomOptions = {}): Promise<Room> {
  if ((input.options as { direct?: unknown } | undefined)?.direct === true) {
    throw builtInError('VALIDATION_FAILED', 'Direct rooms are opened with chat.openDirectRoom (or room:direct), not created.');
  }
  if (typeof input.id === 'string' && isDirectRoomId(input.id)) {
    throw builtInError('VALIDATION_FAILED', 'Room ids starting with "dm:" are kept for direct rooms.');
  }
  const checked = parsePayload(ctx.schemas.createRoom, {
    id: input.id,
    title: input.title,
    metadata: input.metadata,
    privateMetadata: input.privateMetadata,
    options: input.options,
  });
  const { createdBy } = input;
  // A user id: any string a store can hold (what authenticate returns is checked the same way).
  if (createdBy !== undefined && (typeof createdBy !== 'string' || createdBy === '' || /[\u0000\uD800-\uDFFF]/u.test(createdBy))) {
    throw builtInError('VALIDATION_FAILED', 'createdBy must be a user id: a non-empty string without NUL characters or broken Unicode.');
  }
  const { room, created } = await ctx.store.createRoom({
    ...withoutUndefined(checked),
    ...(input.createdBy !== undefined && { createdBy: input.createdBy }),
  });
  if (!created && options.ifExists !== 'return') {
    throw builtInError('ROOM_EXISTS', `A room with the id "${room.id}" already exists.`);
  }
  return room;
}
