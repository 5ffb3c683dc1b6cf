// Message search: `message:search` and REST `GET /search` over the rooms the user may read now.
import { ClientEvent, builtInError, parsePayload, SEARCH_PAGE_DEFAULT, type ChatUser, type MessageSearchResult } from '@chat/protocol';
import type { Capability } from '../../core/capability.js';
import type { ChatHandshake } from '../../core/handshake.js';
import type { CapabilityContext } from '../capability-context.js';
import { messagesCost } from '../../limits/user-budget.js';
import { parseSearch } from '../../store/search-query.js';
import { highlight } from './highlight.js';
import { readableRooms } from './readable-rooms.js';
import { readableRoom } from '../../kernel/rooms/audience.js';

/**
 * What one search costs of the user's event budget, the event itself included: a search reads an
 * index over every room the user may read, far more than a message does. With the default limits
 * (60 events of burst, 20 a second) a user may search 6 times at once, then twice a second.
 */
const SEARCH_EVENT_COST = 10;

async function search(
  ctx: CapabilityContext,
  user: ChatUser,
  handshake: ChatHandshake | undefined,
  payload: unknown,
): Promise<MessageSearchResult> {
  const request = parsePayload(ctx.schemas['message:search'], payload);
  const budget = ctx.budget(user.id);
  // The request's own event was taken on the way in.
  const wait = budget.events.take(SEARCH_EVENT_COST - 1);
  if (wait > 0) {
    throw builtInError('RATE_LIMITED', `You are searching too fast. Try again in ${Math.ceil(wait / 1000)} s.`, { retryAfter: wait });
  }
  budget.checkRead();
  const roomIds =
    request.roomId !== undefined
      ? [(await readableRoom(ctx, request.roomId, user, handshake)).id]
      : await readableRooms(ctx, user, handshake);
  const page = await ctx.store.searchMessages({
    roomIds,
    query: request.query,
    limit: request.limit ?? SEARCH_PAGE_DEFAULT,
    ...(request.before !== undefined && { before: request.before }),
  });
  budget.readBytes.charge(messagesCost(page.messages));
  const parsed = parseSearch(request.query);
  return {
    results: page.messages.map((message) => ({ message, roomId: message.roomId, highlight: highlight(message.text, parsed) })),
    ...(page.next !== undefined && { next: page.next }),
  };
}

// A whole number in the query string stays a number; anything else goes to the schema as it is, to be refused with a sentence.
function numberOrText(value: string | null): number | string | undefined {
  if (value === null) return undefined;
  return /^\d{1,15}$/u.test(value) ? Number(value) : value;
}

/** The search capability: `message:search` and `GET /search?q=&roomId=&before=&limit=`. */
export function searchCapability(ctx: () => CapabilityContext): Capability {
  return {
    name: 'search',
    events: { [ClientEvent.MESSAGE_SEARCH]: (caller, payload) => search(ctx(), caller.user, caller.handshake, payload) },
    routes: [
      {
        prefix: 'search',
        method: 'GET',
        match: (s) => s.length === 1,
        handle: async (req) => {
          const payload = {
            query: req.query.get('q') ?? '',
            ...(req.query.has('roomId') && { roomId: req.query.get('roomId') }),
            ...(req.query.has('before') && { before: req.query.get('before') }),
            ...(req.query.has('limit') && { limit: numberOrText(req.query.get('limit')) }),
          };
          return { status: 200, body: await search(ctx(), req.user, req.handshake, payload) };
        },
      },
    ],
  };
}
