// Files uploaded but not (yet) sent in a message: each has a marker in `<dir>/unsent/<user key>/`
// named `<id>.<size>`, made before the file is stored and removed when a message carries it. The
// sweep takes a marker by renaming it into `<dir>/unsent/removing/`, and a send takes it by
// unlinking it: one file name, two atomic operations, so exactly one of the two wins. Deleting a
// message marks its files again, noting the message, before the row changes: a file a crash left
// behind is then swept once the store says the message is gone (`stillSent` false).
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { builtInError, VOICE_TYPES, type Attachment } from '@chat/protocol';
import { parseStoredName, storedNameOfUrl } from './file-names.js';
import { readMeta, type StoredMeta } from './serve-upload.js';
import type { MessageKey } from '../../core/ports.js';
import { keyOf, listFiles, recordSent, unlistFiles, unrecordSent } from './sent-files.js';

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

/** The message a marker made by a deletion names: the sweep asks the store whether it is still there. */
export interface DeletedFrom {
  roomId: string;
  messageId: string;
  /** The message's key (`keyOf`): its list of files goes with them. */
  key: string;
}

/**
 * Marks an upload as not sent yet: before its description and file are written, so none is ever
 * missed. With `from`, the mark of a message being deleted (kept if one is there already).
 */
export async function markUnsent(dir: string, userId: string, id: string, size: number, from?: DeletedFrom): Promise<void> {
  const path = markerOf(dir, { userId, size }, id);
  // A sweep may remove an empty folder between the two steps, or while mkdir makes the folders
  // one after the other (its parent gone: ENOENT from mkdir itself): make them again.
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(join(dir, UNSENT, userKey(userId)), { recursive: true });
      await writeFile(path, from ? JSON.stringify(from) : '', { flag: 'wx' });
      return;
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (from && code === 'EEXIST') return;
      if (code !== 'ENOENT' || attempt >= 3) throw error;
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

/** The files a message about to be stored carries, and the message. */
export interface SendingFiles {
  attachments: readonly Attachment[];
  /** An encrypted message's uploads (stored names, `<id>.bin`), which the sender declares in clear. */
  uploads: readonly string[];
  message: MessageKey;
}

/**
 * A message is about to be stored: the uploads it carries are sent, never swept, and recorded as
 * its own (listed under its key first). Throws `VALIDATION_FAILED` for an upload of this server that
 * is gone (swept, erased) or being swept right now, or that another message carries already, and
 * `FORBIDDEN` for a declared upload of another user or room; the uploads taken before are then
 * unsent again. `isOurs` tells whether an attachment's URL is one this server's uploads would serve.
 */
export async function attachFiles(dir: string, sending: SendingFiles, isOurs: (url: string) => boolean): Promise<void> {
  const files: { id: string; shown: string; declared: boolean; voice?: boolean }[] = [];
  for (const attachment of sending.attachments) {
    const parsed = storedNameOfUrl(attachment.url);
    if (parsed && isOurs(attachment.url)) {
      const voice = attachment.kind === 'voice';
      files.push({ id: parsed.id, shown: attachment.name ?? `${parsed.id}.${parsed.ext}`, declared: false, ...(voice && { voice }) });
    }
  }
  for (const name of sending.uploads) {
    const parsed = parseStoredName(name);
    if (!parsed) throw builtInError('VALIDATION_FAILED', `"${name}" is not the name of a file uploaded to this server.`);
    files.push({ id: parsed.id, shown: name, declared: true });
  }
  if (files.length === 0) return;
  const key = keyOf(sending.message);
  await listFiles(
    dir,
    key,
    files.map((f) => f.id),
  );
  const taken: StoredMeta[] = [];
  try {
    for (const file of files) {
      const meta = await readMeta(dir, file.id);
      if (!meta) throw noLongerStored(file.shown);
      if (file.declared) checkDeclared(meta, sending.message, file.shown);
      // A voice attachment plays what its bytes are: only audio found by a voice upload's sniffing.
      if (file.voice && !(VOICE_TYPES as readonly string[]).includes(meta.type)) {
        throw builtInError('VALIDATION_FAILED', `The file "${file.shown}" is not a voice recording: send it with room.sendVoice().`);
      }
      if ((await recordSent(dir, file.id, key)) !== undefined) {
        throw builtInError(
          'VALIDATION_FAILED',
          `The file "${file.shown}" is sent in another message already. Upload it again to send it again.`,
        );
      }
      const took = await takeMarker(dir, meta, file.id);
      if (took === 'gone') {
        await unrecordSent(dir, file.id);
        throw noLongerStored(file.shown);
      }
      if (took === 'taken') taken.push(meta);
    }
  } catch (error) {
    for (const meta of taken) {
      const id = parseStoredName(meta.file)?.id ?? '';
      await markUnsent(dir, meta.userId, id, meta.size).catch(() => undefined);
      await unrecordSent(dir, id).catch(() => undefined);
    }
    throw error;
  }
}

// The send takes the marker before the sweep does ('taken'), or the upload was sent before
// ('sent'), or it is gone or being swept ('gone').
async function takeMarker(dir: string, meta: StoredMeta, id: string): Promise<'taken' | 'sent' | 'gone'> {
  const marker = markerOf(dir, meta, id);
  // A deletion's mark (not empty): the message's own send again, answered as the deleted message.
  if (((await stat(marker).catch(() => undefined))?.size ?? 0) > 0) return 'sent';
  try {
    await unlink(marker);
    return 'taken';
  } catch (error) {
    ignoreMissing(error as NodeJS.ErrnoException);
    // No marker: sent before (fine), or the sweep took it (its removal marker is there until the
    // description is gone, so one of the two is seen).
    const gone = (await exists(join(dir, UNSENT, REMOVING, id))) || (await readMeta(dir, id)) === undefined;
    return gone ? 'gone' : 'sent';
  }
}

// An encrypted message's declared upload: the sender's own, for this room (a file uploaded before
// uploads kept their room is taken if it is ciphertext, `.bin`).
function checkDeclared(meta: StoredMeta, message: MessageKey, shown: string): void {
  if (meta.userId !== message.userId) {
    throw builtInError('FORBIDDEN', `The file "${shown}" was uploaded by someone else: a message can carry only its sender's uploads.`);
  }
  if (meta.roomId === undefined ? !meta.file.endsWith('.bin') : meta.roomId !== message.roomId) {
    throw builtInError('FORBIDDEN', `The file "${shown}" was not uploaded for this room. Upload it again here.`);
  }
}

function noLongerStored(shown: string) {
  return builtInError(
    'VALIDATION_FAILED',
    `The file "${shown}" is no longer stored (files not sent in time are removed). Upload it again.`,
  );
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
export async function removeUnsent(
  dir: string,
  before: number,
  limit: number,
  stillSent: (from: DeletedFrom) => Promise<boolean>,
): Promise<number> {
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
      // A deletion's mark, left by a crash: the file goes only if its message is gone.
      const from = info.size > 0 ? await deletedFrom(join(folder, name)) : undefined;
      if (from && (await stillSent(from))) {
        await unlink(join(folder, name)).catch(ignoreMissing);
        continue;
      }
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
  const taken = join(dir, UNSENT, REMOVING, id);
  const meta = await readMeta(dir, id);
  if (meta && parseStoredName(meta.file)?.id === id) await unlink(join(dir, meta.file)).catch(ignoreMissing);
  await unlink(join(dir, `${id}.json`)).catch(ignoreMissing);
  await unrecordSent(dir, id);
  const from = await deletedFrom(taken);
  if (from) await unlistFiles(dir, from.key);
  await unlink(taken).catch(ignoreMissing);
}

/** What a deletion's marker notes, or undefined for a plain one (empty) or one that is gone. */
async function deletedFrom(path: string): Promise<DeletedFrom | undefined> {
  try {
    const note = JSON.parse(await readFile(path, 'utf8')) as Partial<DeletedFrom>;
    const { roomId, messageId, key } = note;
    return typeof roomId === 'string' && typeof messageId === 'string' && typeof key === 'string' ? { roomId, messageId, key } : undefined;
  } catch {
    return undefined;
  }
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
