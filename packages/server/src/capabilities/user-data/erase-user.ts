import { userRoom } from '../../core/ids.js';
import type { FilesPort } from '../../core/ports.js';
import type { PersonalSource } from '../../core/plugin.js';
import type { CapabilityContext } from '../capability-context.js';
import { askEverywhere } from '../../kernel/ask-everywhere.js';
import { checkUserDataKept, checkUserId } from './user-id.js';
import { checkFilesKnown } from './files-known.js';

/** Sent to every process: disconnect the user's sockets and answer once their requests in flight are done. */
export const ERASE_SIGNAL = 'chat:erase-user';
const MESSAGES_PAGE = 200;

/** What erasing needs beside the context. */
export interface EraseParts {
  files: FilesPort;
  /** What the plugins keep about people (their `personalData`). */
  plugins: readonly PersonalSource[];
}

/**
 * Erases a user (`chat.eraseUser`). Each step may run again without harm, so a run cut short (a
 * crash, PostgreSQL gone) is finished by running it again. A server without `uploads` refuses
 * when their messages carry files (it could not remove them). The sockets go first (no new sends),
 * then every message becomes a deleted placeholder naming `ERASED_USER` (the summaries of the
 * threads they replied in name it too) and every reaction is taken back through the change path
 * (members get `message:updated`), then the files, then the rest of the records, then
 * what encrypted rooms keep of their devices; the rooms they left are announced as any removal is
 * (`members:removed`: an encrypted room's members are asked to commit their devices' removal).
 */
export async function eraseUser(ctx: CapabilityContext, parts: EraseParts, userId: string): Promise<void> {
  checkUserId(userId);
  checkUserDataKept(ctx.store);
  await checkFilesKnown(ctx, parts.files, userId, 'erase');
  await disconnectEverywhere(ctx, userId);
  let after: string | undefined;
  for (;;) {
    const page = await ctx.store.userMessages(userId, { limit: MESSAGES_PAGE, ...(after !== undefined && { after }) });
    // Deleted ones too: each placeholder names `ERASED_USER` from then on, and leaves `userMessages`.
    for (const message of page) await ctx.messages.change(message.roomId, message.id, { type: 'delete' }, { erasing: true });
    if (page.length < MESSAGES_PAGE) break;
    after = page.at(-1)?.id;
  }
  const { reactions, memberships } = await ctx.store.userRecords(userId);
  for (const { roomId, messageId, emoji } of reactions)
    await ctx.messages.change(roomId, messageId, { type: 'unreact', emoji, userId }, {});
  await parts.files.removeFilesOf(userId);
  await ctx.store.eraseUserRecords(userId);
  for (const source of parts.plugins) await source.erase(userId);
  // After the memberships: a commit can no longer add their devices, and their groups' members are
  // asked to remove them. The groups still hold them until that commit, so a run cut short finds them again.
  const groups = (await ctx.store.e2ee?.eraseUser(userId)) ?? [];
  for (const roomId of new Set([...memberships.map((m) => m.roomId), ...groups])) {
    ctx.members.forget(roomId);
    ctx.bus.emit('members:removed', roomId, [userId]);
  }
}

/** On this process: the user's sockets are disconnected, then their requests in flight finish (bounded by the request timeout). */
export async function disconnectHere(ctx: CapabilityContext, userId: string): Promise<void> {
  ctx.nsp.in(userRoom(userId)).local.disconnectSockets(true);
  const until = Date.now() + ctx.requestTimeoutMs;
  // A send already past its checks stores its message: the pass over the messages comes after it.
  while (ctx.budget(userId).inFlight > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function disconnectEverywhere(ctx: CapabilityContext, userId: string): Promise<void> {
  await disconnectHere(ctx, userId);
  if (!ctx.clustered()) return;
  // A process that did not answer in the adapter's time (or within 5 s while Redis is away):
  // reported; its sockets' sends may still land.
  await askEverywhere(ctx, ERASE_SIGNAL, userId);
}
