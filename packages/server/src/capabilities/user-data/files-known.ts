import { builtInError } from '@chat/protocol';
import type { FilesPort } from '../../core/ports.js';
import type { CapabilityContext } from '../capability-context.js';

/** Messages read per step of the look. */
const MESSAGES_PAGE = 500;

/**
 * Refuses an export or erase (`FORBIDDEN`, nothing done) that could not see the person's files: a
 * server without `uploads` (a script with `createChatServer` and the store alone) lists none and
 * removes none, so the files their messages carry would stay online while the erase said it was
 * done. Reads the person's messages only when there is no `uploads`.
 */
export async function checkFilesKnown(ctx: CapabilityContext, files: FilesPort, userId: string, what: 'export' | 'erase'): Promise<void> {
  if (files.configured) return;
  let after: string | undefined;
  for (;;) {
    const page = await ctx.store.userMessages(userId, { limit: MESSAGES_PAGE, ...(after !== undefined && { after }) });
    if (page.some((m) => m.deletedAt === undefined && m.attachments.length > 0)) throw filesUnknown(userId, what);
    if (page.length < MESSAGES_PAGE) return;
    after = page.at(-1)?.id;
  }
}

function filesUnknown(userId: string, what: 'export' | 'erase'): Error {
  const problem =
    what === 'export'
      ? 'this chat server has no `uploads` to list them.'
      : 'this chat server has no `uploads` to remove them, so they would stay online. Nothing was erased.';
  return builtInError(
    'FORBIDDEN',
    `Cannot ${what} user "${userId}": their messages carry files, and ${problem} ` +
      `Create the chat server with the same \`uploads\` option as your app (such as \`uploads: diskUploads({ dir: './uploads' })\`), then ${what} again.`,
  );
}
