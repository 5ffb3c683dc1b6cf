// Files uploaded but not (yet) sent in a message: each has a marker in `<dir>/unsent/<user key>/`
// named `<id>.<size>`, made before the file is stored and removed when a message carries it. The
// sweep takes a marker by renaming it into `<dir>/unsent/removing/`, and a send takes it by
// unlinking it: one file name, two atomic operations, so exactly one of the two wins.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { builtInError, type Attachment } from '@chat/protocol';
import { parseStoredName, storedNameOfUrl } from './file-names.js';
import { readMeta, type StoredMeta } from './serve-upload.js';

/** A marker without a description this old was left by an upload that stopped (a crash): it goes. */
const STALE_MARKER_MS = 3_600_000;
/** The folder of the markers, inside the uploads folder. */
const UNSENT = 'unsent';
/** Where the sweep moves a marker it took, until the file and its description are gone. */
const REMOVING = 'removing';

/**
 * What a stored upload costs the quota besides its bytes: two files (it and its description),
 * each at least a block on disk, so that many tiny files cannot fill far more disk than the
 * quota says.
 */
export const STORED_FILE_OVERHEAD_BYTES = 8 * 1024;

/** A user's folder of markers: a hash, since user ids may hold any character. */
function userKey(userId: string): string {
  return createHash('sha256').update(userId).digest('hex').slice(0, 32);
}

function markerOf(dir: string, meta: Pick<StoredMeta, 'userId' | 'size'>, id: string): string {
  return join(dir, UNSENT, userKey(meta.userId), `${id}.${meta.size}`);
}

/** Marks an upload as not sent yet: before its description and file are written, so none is ever missed. */
export async function markUnsent(dir: string, userId: string, id: string, size: number): Promise<void> {
  const path = markerOf(dir, { userId, size }, id);
  // A sweep may remove an empty folder between the two steps: make it again.
  for (let attempt = 0; ; attempt++) {
    await mkdir(join(dir, UNSENT, userKey(userId)), { recursive: true });
    try {
      await writeFile(path, '', { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

/** Removes an upload's marker, if it has one (its file is being removed, or was never stored). */
export async function unmark(dir: string, meta: Pick<StoredMeta, 'userId' | 'size'>, id: string): Promise<void> {
  await unlink(markerOf(dir, meta, id)).catch(ignoreMissing);
}

/** Removes a user's folder of markers (`chat.eraseUser`, once their files are gone). */
export async function unmarkUser(dir: string, userId: string): Promise<void> {
  await rm(join(dir, UNSENT, userKey(userId)), { recursive: true, force: true });
  await rmdir(join(dir, UNSENT)).catch(() => undefined);
}

/**
 * A message carrying these attachments is about to be stored: the uploads among them are sent,
 * never swept. Throws `VALIDATION_FAILED` for an upload of this server that is gone (swept,
 * erased) or being swept right now, so that no message is stored with a file that no longer exists.
 * `isOurs` tells whether an attachment's URL is one this server's uploads would serve.
 */
export async function attachFiles(dir: string, attachments: readonly Attachment[], isOurs: (url: string) => boolean): Promise<void> {
  for (const attachment of attachments) {
    const parsed = storedNameOfUrl(attachment.url);
    if (!parsed || !isOurs(attachment.url)) continue;
    const meta = await readMeta(dir, parsed.id);
    let gone = meta === undefined;
    if (meta) {
      try {
        await unlink(markerOf(dir, meta, parsed.id));
      } catch (error) {
        ignoreMissing(error as NodeJS.ErrnoException);
        // No marker: sent before (fine), or the sweep took it (its removal marker is there until
        // the description is gone, so one of the two is seen).
        gone = (await exists(join(dir, UNSENT, REMOVING, parsed.id))) || (await readMeta(dir, parsed.id)) === undefined;
      }
    }
    if (gone) {
      const shown = attachment.name ?? `${parsed.id}.${parsed.ext}`;
      throw builtInError(
        'VALIDATION_FAILED',
        `The file "${shown}" is no longer stored (files not sent in time are removed). Upload it again.`,
      );
    }
  }
}

/** What a user's unsent uploads weigh (bytes plus the per-file overhead) and when the oldest was stored. */
export async function unsentOf(dir: string, userId: string): Promise<{ bytes: number; oldestMs: number | undefined }> {
  const folder = join(dir, UNSENT, userKey(userId));
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    ignoreMissing(error);
    return [];
  });
  let bytes = 0;
  for (const name of names) bytes += Number(name.split('.')[1] ?? 0) + STORED_FILE_OVERHEAD_BYTES;
  let oldestMs: number | undefined;
  for (const name of names) {
    const info = await stat(join(folder, name)).catch(() => undefined);
    if (info && (oldestMs === undefined || info.mtimeMs < oldestMs)) oldestMs = info.mtimeMs;
  }
  return { bytes, oldestMs };
}

/**
 * Removes up to `limit` uploads not sent and marked before `before` (ms since the epoch): the
 * marker is taken first, then the file, then its description, then the taken marker; a removal
 * cut short (a crash) is finished by the next call. Returns how many it removed.
 */
export async function removeUnsent(dir: string, before: number, limit: number): Promise<number> {
  const removing = join(dir, UNSENT, REMOVING);
  let removed = 0;
  for (const id of await listOrNone(removing)) {
    if (removed >= limit) return removed;
    await finishRemoval(dir, id);
    removed++;
  }
  for (const key of await listOrNone(join(dir, UNSENT))) {
    if (key === REMOVING) continue;
    const folder = join(dir, UNSENT, key);
    for (const name of await listOrNone(folder)) {
      if (removed >= limit) return removed;
      const info = await stat(join(folder, name)).catch(() => undefined);
      if (!info || info.mtimeMs >= before) continue;
      const id = name.split('.')[0] ?? '';
      // A marker is made before its description: one without is an upload still streaming in.
      if (!(await readMeta(dir, id)) && Date.now() - info.mtimeMs < STALE_MARKER_MS) continue;
      await mkdir(removing, { recursive: true });
      try {
        await rename(join(folder, name), join(removing, id));
      } catch (error) {
        // A send took it meanwhile: it stays.
        ignoreMissing(error as NodeJS.ErrnoException);
        continue;
      }
      await finishRemoval(dir, id);
      removed++;
    }
    // An empty folder goes (markUnsent makes it again if an upload comes meanwhile).
    await rmdir(folder).catch(() => undefined);
  }
  return removed;
}

async function finishRemoval(dir: string, id: string): Promise<void> {
  const meta = await readMeta(dir, id);
  if (meta && parseStoredName(meta.file)?.id === id) await unlink(join(dir, meta.file)).catch(ignoreMissing);
  await unlink(join(dir, `${id}.json`)).catch(ignoreMissing);
  await unlink(join(dir, UNSENT, REMOVING, id)).catch(ignoreMissing);
}

async function listOrNone(folder: string): Promise<string[]> {
  return readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
    return [];
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
