import type { MessageHistoryResult, parsePayload, PayloadSchemas, Room } from '@chat/protocol';
import type { ServerContext } from '../context.js';

type HistoryRequest = ReturnType<typeof parsePayload<PayloadSchemas['message:history']>>;

/** The page a `message:history` request reads of `room` (checked and charged by the session). */
export function historyPage(ctx: ServerContext, room: Room, request: HistoryRequest): Promise<MessageHistoryResult> {
  const { roomId, before, after, changedAfter, minSeq, maxSeq, limit } = request;
  const pageSize = limit ?? ctx.limits.defaultHistoryPage;
  if (changedAfter !== undefined) {
    // Catching up changes: in an ephemeral room, from the log that holds its recent messages.
    const query = { changedAfter, limit: pageSize, ...(minSeq !== undefined && { minSeq }), ...(maxSeq !== undefined && { maxSeq }) };
    return room.options.ephemeral === true ? ctx.ephemeral.changedAfter(roomId, query) : ctx.store.listMessages(roomId, query);
  }
  const query = { limit: pageSize, ...(before !== undefined && { before }), ...(after !== undefined && { after }) };
  // A thread: `threadOf` was resolved to its top-level message when `authorize` was asked.
  return ctx.store.listMessages(roomId, request.threadOf === undefined ? query : { ...query, threadOf: request.threadOf });
}
