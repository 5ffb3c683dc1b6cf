import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attachment } from '@chat/protocol';
import type { UploadedFile } from '../../core/ports.js';
import { parseStoredName, storedNameOfUrl } from './file-names.js';
import { readMeta, type StoredMeta } from './serve-upload.js';
import { unmark, unmarkUser } from './unsent-files.js';

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

// The marker of a file not sent goes first: the sweep then never meets a half-removed upload.
async function removeStored(dir: string, id: string, meta: Pick<StoredMeta, 'file' | 'userId' | 'size'>): Promise<void> {
  await unmark(dir, meta, id);
  await unlink(join(dir, meta.file)).catch(ignoreMissing);
  await unlink(join(dir, `${id}.json`)).catch(ignoreMissing);
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
