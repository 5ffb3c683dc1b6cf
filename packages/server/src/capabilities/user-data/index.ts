// A person's data: `chat.exportUser` and `chat.eraseUser`, and their REST routes for admins
// (`GET /users/:id/export`, `DELETE /users/:id`), with the signal that erases on every process.
import { builtInError, ERROR_CODES } from '@chat/protocol';
import type { ServerResponse } from 'node:http';
import type { Capability, RawHttp } from '../../core/capability.js';
import { isAdmin } from '../../core/admin.js';
import { chatErrorOf, isReported } from '../../core/storage-unreachable.js';
import type { CapabilityContext } from '../capability-context.js';
import { disconnectHere, ERASE_SIGNAL, eraseUser, type EraseParts } from './erase-user.js';
import { exportUserChunks } from './export-user.js';

export { eraseUser, type EraseParts } from './erase-user.js';
export { exportUserChunks } from './export-user.js';

type SignalTarget = { on(event: string, listener: (userId: string, ack?: (done: boolean) => void) => void): void };

/** The user-data capability: the REST routes, and the other processes' erase signals. */
export function userDataCapability(ctx: () => CapabilityContext, parts: EraseParts): Capability {
  return {
    name: 'user-data',
    // A turn later: the context is still being made when capabilities are asked to listen.
    listen: () =>
      queueMicrotask(() =>
        (ctx().nsp as unknown as SignalTarget).on(ERASE_SIGNAL, (userId, ack) => {
          disconnectHere(ctx(), userId).then(
            () => ack?.(true),
            () => ack?.(false),
          );
        }),
      ),
    raw: {
      prefix: 'users',
      handle(req, res, segments, http) {
        const method = req.method ?? 'GET';
        const userId = segments[0] ?? '';
        const exporting = method === 'GET' && segments.length === 2 && segments[1] === 'export';
        if (!exporting && !(method === 'DELETE' && segments.length === 1)) return http.next();
        void (async () => {
          const { user, done } = await http.signIn();
          try {
            if (!isAdmin(user)) throw builtInError('FORBIDDEN', "Only an admin may export or erase a person's data.");
            if (!exporting) {
              await eraseUser(ctx(), parts, userId);
              return http.send(200, { userId, erased: true });
            }
            await streamExport(ctx(), parts, userId, res);
          } finally {
            done();
          }
        })().catch((error: unknown) => answerError(ctx(), error, `${method} /users`, res, http));
      },
    },
  };
}

// The document is streamed: the first chunk is read before the headers go, so an error before
// anything was written still gets its JSON answer.
async function streamExport(ctx: CapabilityContext, parts: EraseParts, userId: string, res: ServerResponse): Promise<void> {
  const chunks = exportUserChunks(ctx, parts, userId);
  const first = await chunks.next();
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="user-export.json"`,
    'Cache-Control': 'no-store',
  });
  if (!first.done) res.write(first.value);
  for await (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
  }
  res.end();
}

function answerError(ctx: CapabilityContext, error: unknown, event: string, res: ServerResponse, http: RawHttp): void {
  const chatError = chatErrorOf(error);
  if (isReported(chatError)) ctx.report(chatError, { event });
  if (res.headersSent) res.destroy(chatError);
  else http.send(ERROR_CODES[chatError.code].status, { error: chatError.toJSON() });
}
