import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Attachment } from '@chat/protocol';
import { MemoryStore, type ChatStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { sdkClient } from '../../../../../test-support/servers.js';
import { chatWithDisk, clusterOf, diskDir } from '../../../../../test-support/uploads.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { freshPrefix } from '../../../../../test-support/redis.js';
import { PNG } from './upload-fixtures.js';

// The files of a deleted message go with it: by its author, a moderator or the host, on any
// process of a cluster; a crash between the row change and the files' removal leaves them to the
// uploads' sweep. Real servers, real disk folders, both stores, Redis between two processes.

/** A room of its own for each test (the PostgreSQL suite shares one schema). */
const newRoom = () => `lobby-${randomBytes(4).toString('hex')}`;

/** A guest in `roomId` who uploads PNGs there. */
async function member(url: string, name: string, roomId: string) {
  const client = sdkClient(url, { auth: { name } });
  const room = await client.join(roomId);
  const upload = () => room.upload(new File([PNG.bytes], `${name}.png`, { type: 'image/png' }));
  return { client, room, upload, id: client.user?.id ?? '' };
}

const status = async (attachment: Attachment) => (await fetch(attachment.url, { method: 'HEAD' })).status;
const idOf = (attachment: Attachment) => attachment.url.split('/').at(-1)?.split('.')[0] ?? '';
/** Every file (not folder) under the uploads folder, markers and records included. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

function messageFilesSuite(makeStore: () => ChatStore | Promise<ChatStore>): void {
  it("deleting a message deletes its files, whoever deletes it (author, moderator, host); others' messages keep theirs", async () => {
    const dir = await diskDir();
    const lobby = newRoom();
    const { chat, url } = await chatWithDisk(await makeStore(), dir);
    const ana = await member(url, 'Ana', lobby);
    const ben = await member(url, 'Ben', lobby);
    await chat.setRole(lobby, ben.id, 'moderator');
    const [a1, a2, a3, b1] = [await ana.upload(), await ana.upload(), await ana.upload(), await ben.upload()];
    const own = await ana.room.send({ text: 'two files', attachments: [a1, a2] });
    const moderated = await ana.room.send({ text: 'one', attachments: [a3] });
    const kept = await ben.room.send({ text: 'mine', attachments: [b1] });
    // An edit changes text only: the files stay.
    await ana.room.edit(own.id, 'two files, edited');
    for (const a of [a1, a2, a3, b1]) expect(await status(a)).toBe(200);

    await ana.room.delete(own.id);
    expect([await status(a1), await status(a2)]).toEqual([404, 404]);
    await ben.room.delete(moderated.id);
    expect(await status(a3)).toBe(404);
    expect(await status(b1)).toBe(200);
    // Nothing is left of the deleted files: no bytes, description, marker or record.
    const left = await files(dir);
    for (const a of [a1, a2, a3]) expect(left.filter((n) => n.includes(idOf(a)))).toEqual([]);
    expect(left.filter((n) => n.startsWith('unsent/'))).toEqual([]);

    await chat.deleteMessage(lobby, kept.id);
    expect(await status(b1)).toBe(404);
    expect(await files(dir)).toEqual([]);
  });

  it('a sent file is carried by one message only: a second message is refused, so deleting the first never breaks another', async () => {
    const dir = await diskDir();
    const lobby = newRoom();
    const { chat, url } = await chatWithDisk(await makeStore(), dir);
    const ana = await member(url, 'Ana', lobby);
    const file = await ana.upload();
    const first = await ana.room.send({ text: 'first', attachments: [file] });
    // The same send again (its clientId) is the same message, not a second one.
    await expect(
      chat.sendMessage(lobby, { user: { id: ana.id, name: 'Ana' }, clientId: first.clientId, text: 'first', attachments: [file] }),
    ).resolves.toMatchObject({ id: first.id });
    await expect(ana.room.send({ text: 'again', attachments: [file] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'The file "Ana.png" is sent in another message already. Upload it again to send it again.',
    });
    expect((await chat.store.listMessages(lobby, { limit: 10 })).messages.map((m) => m.text)).toEqual(['first']);
    await ana.room.delete(first.id);
    expect(await status(file)).toBe(404);
  });

  it('a crash after the row change leaves the files to the sweep; a crash before it leaves them with their message', async () => {
    const dir = await diskDir();
    const lobby = newRoom();
    const { chat, url, uploads } = await chatWithDisk(await makeStore(), dir, { unattachedTtlMs: 2000 });
    const ana = await member(url, 'Ana', lobby);
    const [gone, stays] = [await ana.upload(), await ana.upload()];
    const deleted = await ana.room.send({ text: 'deleted', attachments: [gone] });
    const kept = await ana.room.send({ text: 'kept', attachments: [stays] });
    // What a process that stops between the steps leaves: the files marked, then the row changed
    // (or not), and no removal.
    await uploads.release((await chat.store.getMessage(lobby, deleted.id))!);
    await chat.store.changeMessage(lobby, deleted.id, { type: 'delete', at: new Date().toISOString() });
    await uploads.release((await chat.store.getMessage(lobby, kept.id))!);
    expect(await status(gone)).toBe(200);

    await waitFor(async () => expect(await status(gone)).toBe(404));
    // The mark of the message still stored is dropped, its file stays, and it is no longer unsent.
    await waitFor(async () => expect((await files(dir)).filter((n) => n.startsWith('unsent/'))).toEqual([]));
    expect(await status(stays)).toBe(200);
    expect((await chat.store.getMessage(lobby, kept.id))?.attachments).toEqual([stays]);
    expect((await files(dir)).filter((n) => n.includes(idOf(gone)))).toEqual([]);
  });
}

describe('files of deleted messages (MemoryStore)', () => {
  messageFilesSuite(() => new MemoryStore());
});

describe.skipIf(skipWithoutPostgres())('files of deleted messages (PostgresStore)', () => {
  const schema = useTestSchema();
  messageFilesSuite(() => new PostgresStore({ pool: schema.pool() }));

  it('a delete on one process of a cluster removes the files a send on another stored', async () => {
    const dir = await diskDir();
    const lobby = newRoom();
    const keyPrefix = freshPrefix();
    const processes = [];
    for (let i = 0; i < 2; i++) {
      processes.push(await chatWithDisk(new PostgresStore({ pool: schema.pool() }), dir, {}, clusterOf(keyPrefix)));
    }
    const [one, two] = processes as [(typeof processes)[0], (typeof processes)[0]];
    const ana = await member(one.url, 'Ana', lobby);
    const file = await ana.upload();
    const sent = await ana.room.send({ text: 'here', attachments: [file] });
    // A moderator on the other process deletes it through their socket there.
    const ben = await member(two.url, 'Ben', lobby);
    await two.chat.setRole(lobby, ben.id, 'moderator');
    await waitFor(() => expect(ben.room.messages.some((m) => m.id === sent.id)).toBe(true));
    expect(await status(file)).toBe(200);
    await ben.room.delete(sent.id);
    expect(await status(file)).toBe(404);
    expect(await files(dir)).toEqual([]);
    await waitFor(() => expect(ana.room.messages.find((m) => m.id === sent.id)?.deletedAt).toBeDefined());
  });
});
