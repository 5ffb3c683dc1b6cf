// Message search, a built-in written as a host writes a plugin (docs/plugins.md): `message:search`
// and REST `GET /search` over the rooms the user may read now (`tools.readableRoom`,
// `tools.readableRooms`), paid from the user's budget (`tools.budget`). The store's search is given to it.
import {
  builtInError,
  ChatError,
  parsePayload,
  SEARCH_PAGE_DEFAULT,
  type ChatUser,
  type MessageSearchPayload,
  type MessageSearchResult,
  type PayloadSchemas,
  type Room,
} from '@chat/protocol';
import type { RestRoute } from '../../core/capability.js';
import type { ChatHandshake } from '../../core/handshake.js';
import { definePlugin, type DefinedPlugin, type PluginEvent, type PluginEvents, type PluginTools } from '../../core/plugin.js';
import { parseSearch } from '../../core/search-query.js';
import type { SearchStore } from '../../core/store-parts.js';
import { parsedSchema } from '../../core/parsed-schema.js';
import { highlight } from './highlight.js';

/**
 * What one search costs of the user's event budget, the event itself included: a search reads an
 * index over every room the user may read, far more than a message does. With the default limits
 * (60 events of burst, 20 a second) a user may search 6 times at once, then twice a second.
 */
const SEARCH_EVENT_COST = 10;

/** The search plugin over the store's search (read when used). */
export function searchPlugin(store: () => Pick<SearchStore, 'searchMessages'>, schema: PayloadSchemas['message:search']): DefinedPlugin {
  // The protocol's schema, refusing with the protocol's own sentences.
  const payload = parsedSchema<MessageSearchPayload>((value) => parsePayload(schema, value));
  const search = async (tools: PluginTools, user: ChatUser, handshake: ChatHandshake | undefined, request: MessageSearchPayload) => {
    const budget = tools.budget(user.id);
    // The request's own event was taken on the way in.
    const wait = budget.takeEvents(SEARCH_EVENT_COST - 1);
    if (wait > 0) {
      throw builtInError('RATE_LIMITED', `You are searching too fast. Try again in ${Math.ceil(wait / 1000)} s.`, { retryAfter: wait });
    }
    budget.checkRead();
    const roomIds =
      request.roomId !== undefined
        ? [(await readable(tools, user, request.roomId, handshake)).id]
        : await tools.readableRooms(user, handshake);
    const page = await store().searchMessages({
      roomIds,
      query: request.query,
      limit: request.limit ?? SEARCH_PAGE_DEFAULT,
      ...(request.before !== undefined && { before: request.before }),
    });
    budget.chargeRead(page.messages);
    const parsed = parseSearch(request.query);
    const result: MessageSearchResult = {
      results: page.messages.map((message) => ({ message, roomId: message.roomId, highlight: highlight(message.text, parsed) })),
      ...(page.next !== undefined && { next: page.next }),
    };
    return result;
  };
  const event: PluginEvent<'message:search', undefined> = {
    payload,
    // A room named is one the user may read, not one this socket joined: the handler checks it.
    requireJoined: false,
    handle: ({ user, handshake, payload: request }, tools) => search(tools, user, handshake, request),
  };
  const routes = (tools: PluginTools): RestRoute[] => [
    {
      prefix: 'search',
      method: 'GET',
      match: (segments) => segments.length === 1,
      handle: async (req) => {
        const raw = {
          query: req.query.get('q') ?? '',
          ...(req.query.has('roomId') && { roomId: req.query.get('roomId') }),
          ...(req.query.has('before') && { before: req.query.get('before') }),
          ...(req.query.has('limit') && { limit: numberOrText(req.query.get('limit')) }),
        };
        return { status: 200, body: await search(tools, req.user, req.handshake, parsePayload(schema, raw)) };
      },
    },
  ];
  return definePlugin({
    name: 'search',
    // A built-in event, typed by the protocol's own map (a host's plugin types CustomClientEvents').
    events: { 'message:search': event } as PluginEvents<undefined>,
    routes,
  });
}

// The room searched: the audience rule's answer, an ended room's in search's own words (a
// refusal `authorize` words itself, ROOM_ENDED too, stays the host's).
async function readable(tools: PluginTools, user: ChatUser, roomId: string, handshake: ChatHandshake | undefined): Promise<Room> {
  try {
    return await tools.readableRoom(user, roomId, handshake);
  } catch (error) {
    if (error instanceof ChatError && error.code === 'ROOM_ENDED' && (await tools.getRoom(roomId))?.endedAt !== undefined) {
      throw builtInError('ROOM_ENDED', 'This room has ended: its messages are no longer searched.');
    }
    throw error;
  }
}

// A whole number in the query string stays a number; anything else goes to the schema as it is, to be refused with a sentence.
function numberOrText(value: string | null): number | string | undefined {
  if (value === null) return undefined;
  return /^\d{1,15}$/u.test(value) ? Number(value) : value;
}
