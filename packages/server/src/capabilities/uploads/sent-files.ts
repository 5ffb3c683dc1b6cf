// Which message carries a sent upload. The send that takes an upload writes `<dir>/sent/<file id>`
// naming its message (room, clientId and sender, hashed), with `wx`: one file, one message, so
// deleting that message may delete the file. The message's own list, `<dir>/sent/messages/<key>`,
// names its files, an encrypted message's too (whose files the server cannot read from it).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageKey } from '../../core/ports.js';

const SENT = 'sent';
const MESSAGES = 'messages';

/** The message's key as the records hold it: a hash, since ids may hold any character. */
export function keyOf(message: MessageKey): string {
  return createHash('sha256').update(`${message.roomId}\0${message.clientId}\0${message.userId}`).digest('hex').slice(0, 32);
}

/**
 * Records that the message `key` carries the upload `id`; when another message already does,
 * answers that message's key (and records nothing). Answers undefined when the record is this one's.
 */
export async function recordSent(dir: string, id: string, key: string): Promise<string | undefined> {
  await mkdir(join(dir, SENT), { recursive: true });
  try {
    await writeFile(join(dir, SENT, id), key, { flag: 'wx' });
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const recorded = await sentWith(dir, id);
    return recorded === key ? undefined : (recorded ?? '');
  }
}

/** The key of the message that carries the upload `id`, or undefined when none is recorded (not sent, or sent before records). */
export async function sentWith(dir: string, id: string): Promise<string | undefined> {
  return readFile(join(dir, SENT, id), 'utf8').catch(missingAs(undefined));
}

/** Removes the record of the upload `id` (its file is gone, or the send that wrote it was refused). */
export async function unrecordSent(dir: string, id: string): Promise<void> {
  await unlink(join(dir, SENT, id)).catch(missingAs(undefined));
}

/** Lists the uploads the message `key` carries (written whole: a crash leaves the old list or the new). */
export async function listFiles(dir: string, key: string, ids: readonly string[]): Promise<void> {
  const folder = join(dir, SENT, MESSAGES);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `${key}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, JSON.stringify(ids));
  await rename(temp, join(folder, key));
}

/** The uploads listed for the message `key` (none for a message sent before the lists). */
export async function filesListed(dir: string, key: string): Promise<string[]> {
  const text = await readFile(join(dir, SENT, MESSAGES, key), 'utf8').catch(missingAs(''));
  try {
    const ids: unknown = text === '' ? [] : JSON.parse(text);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Removes the list of the message `key` (its files are gone). */
export async function unlistFiles(dir: string, key: string): Promise<void> {
  await unlink(join(dir, SENT, MESSAGES, key)).catch(missingAs(undefined));
}

function missingAs<T>(value: T): (error: NodeJS.ErrnoException) => T {
  return (error) => {
    if (error.code !== 'ENOENT') throw error;
    return value;
  };
}
