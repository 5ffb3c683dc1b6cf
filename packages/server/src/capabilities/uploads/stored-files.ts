import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attachment, Message } from '@chat/protocol';
import type { FilesRelease, UploadedFile } from '../../core/ports.js';
import { parseStoredName, storedNameOfUrl } from './file-names.js';
import { readMeta, type StoredMeta } from './serve-upload.js';
import { filesListed, keyOf, sentWith, unlistFiles, unrecordSent } from './sent-files.js';
import { markUnsent, unmark, unmarkUser } from './unsent-files.js';

/**
 * Removes the stored files of these attachments that `ownerId` uploaded (an attachment may name
 * another user's file: that one stays). The description goes last: a file is served only with
 * both, so a crash between the two leaves nothing served, and a second run finishes the job.
 */
export async function removeAttachedFiles(dir: string, attachments: readonly Attachment[], ownerId: string): Promise<void> {
  for (const attachment of attachments) {
    const parsed = storedNameOfUrl(attachment.url);
    if (!parsed) continue;
    const meta = await readMeta(dir, parsed.id);
    if (!meta || meta.userId !== ownerId) continue;
    await removeStored(dir, parsed.id, meta);
  }
}

/** What is stored of the files a user uploaded (their descriptions), oldest first. */
export async function filesOf(dir: string, userId: string): Promise<UploadedFile[]> {
  const found: UploadedFile[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    const meta = await readMeta(dir, name.slice(0, -'.json'.length));
    if (meta?.userId === userId)
      found.push({ file: meta.file, type: meta.type, name: meta.name, size: meta.size, createdAt: meta.createdAt });
  }
  return found.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** Removes every file the user uploaded, sent or not. */
export async function removeFilesOf(dir: string, userId: string): Promise<void> {
  for (const file of await filesOf(dir, userId)) {
    const parsed = parseStoredName(file.file);
    if (parsed) await removeStored(dir, parsed.id, { ...file, userId });
  }
  await unmarkUser(dir, userId);
}

/**
 * A message is being deleted: the files it carries (listed for it, or its attachments; not one
 * another message carries, and of a message sent before the lists only its author's uploads) are
 * marked as not sent, noting the message, before its row changes. `remove()` after the row
 * change removes them, the marker last: a crash in between leaves the marker, and the sweep removes
 * the file once the store no longer has the message.
 */
export async function releaseMessageFiles(dir: string, message: Message): Promise<FilesRelease> {
  const key = keyOf({ roomId: message.roomId, clientId: message.clientId, userId: message.user.id });
  const ids = new Set(await filesListed(dir, key));
  for (const attachment of message.attachments) {
    const parsed = storedNameOfUrl(attachment.url);
    if (parsed) ids.add(parsed.id);
  }
  const files: { id: string; meta: StoredMeta }[] = [];
  for (const id of ids) {
    const meta = await readMeta(dir, id);
    if (!meta || parseStoredName(meta.file)?.id !== id) continue;
    const recorded = await sentWith(dir, id);
    if (recorded !== undefined ? recorded !== key : meta.userId !== message.user.id) continue;
    await markUnsent(dir, meta.userId, id, meta.size, { roomId: message.roomId, messageId: message.id, key });
    files.push({ id, meta });
  }
  return {
    remove: async () => {
      for (const { id, meta } of files) {
        await unlink(join(dir, meta.file)).catch(ignoreMissing);
        await unlink(join(dir, `${id}.json`)).catch(ignoreMissing);
        await unrecordSent(dir, id);
        await unmark(dir, meta, id);
      }
      await unlistFiles(dir, key);
    },
  };
}

// The marker of a file not sent goes first: the sweep then never meets a half-removed upload.
async function removeStored(dir: string, id: string, meta: Pick<StoredMeta, 'file' | 'userId' | 'size'>): Promise<void> {
  await unmark(dir, meta, id);
  await unlink(join(dir, meta.file)).catch(ignoreMissing);
  await unlink(join(dir, `${id}.json`)).catch(ignoreMissing);
  await unrecordSent(dir, id);
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
