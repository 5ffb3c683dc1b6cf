import type { CapabilityContext } from '../capability-context.js';
import type { FilesPort } from '../../core/ports.js';
import type { PersonalSource } from '../../core/plugin.js';
import { checkUserDataKept, checkUserId } from './user-id.js';
import { checkFilesKnown } from './files-known.js';

/** Messages read from the store per step of an export. */
const MESSAGES_PAGE = 500;

/**
 * Everything stored about a user as one JSON document, in chunks of text: the records first, then
 * the messages a page at a time, so that a user with a million messages never sits in memory at
 * once. Joined, the chunks parse as `UserExport` (docs/security.md).
 */
export async function* exportUserChunks(
  ctx: CapabilityContext,
  parts: { files: FilesPort; plugins: readonly PersonalSource[] },
  userId: string,
): AsyncGenerator<string, void, undefined> {
  checkUserId(userId);
  checkUserDataKept(ctx.store);
  await checkFilesKnown(ctx, parts.files, userId, 'export');
  const [records, online, uploads, e2ee, plugins] = await Promise.all([
    ctx.store.userRecords(userId),
    ctx.presence.online([userId]),
    parts.files.filesOf(userId),
    ctx.store.e2ee?.userData(userId) ?? { devices: [], welcomes: [], commits: [] },
    Promise.all(parts.plugins.map(async (source) => [source.name, await source.export(userId)] as const)).then((all) =>
      // A plugin with nothing to give (undefined: link previews keep nothing about a person) is left out.
      all.filter(([, data]) => data !== undefined),
    ),
  ]);
  const head = {
    format: 'chat-user-export/1',
    userId,
    exportedAt: new Date().toISOString(),
    profile: records.user ?? null,
    status: online.get(userId) ?? null,
    memberships: records.memberships,
    reactions: records.reactions,
    threadReads: records.threadReads,
    // Read marks kept of memberships that ended (a ban, a removal), for when one starts again.
    endedReads: records.endedReads ?? [],
    reports: records.reports,
    // The device's keys are secrets of the browser, not data about the person: left out.
    pushSubscriptions: records.pushSubscriptions.map(({ endpoint, expirationTime }) => ({
      endpoint,
      ...(expirationTime !== undefined && { expirationTime }),
    })),
    uploads,
    // Encrypted rooms: their devices with their public key packages, the welcomes waiting for
    // them, the commits they made (by epoch). Private keys never reach the server.
    e2ee,
    // What each plugin keeps about the person (its `personalData`), by plugin name.
    ...(plugins.length > 0 && { plugins: Object.fromEntries(plugins) }),
  };
  yield `${JSON.stringify(head).slice(0, -1)},"messages":[`;
  let after: string | undefined;
  let first = true;
  for (;;) {
    const page = await ctx.store.userMessages(userId, { limit: MESSAGES_PAGE, ...(after !== undefined && { after }) });
    if (page.length > 0) {
      yield (first ? '' : ',') + page.map((m) => JSON.stringify(m)).join(',');
      first = false;
    }
    if (page.length < MESSAGES_PAGE) break;
    after = page.at(-1)?.id;
  }
  yield ']}';
}
