import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Attachment } from '@chat/protocol';
import { createChatServer, diskUploads, MemoryStore, type ChatServer, type ChatStore, type DiskUploads } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { PNG } from '../uploads/upload-fixtures.js';
import { sdkClient, track } from '../../../../../test-support/servers.js';
import { chatWithDisk, diskDir } from '../../../../../test-support/uploads.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// A person's export and erase from a script beside the app, as docs/server.md shows it: with the
// app's store alone (no `uploads`), the script could neither list nor remove the person's files,
// so it refuses rather than answer success with their image still served; with the app's
// `uploads`, it lists them and removes them. Real servers, real disk folders, both stores.

/** The app's store and the script's: one MemoryStore shared, or two PostgresStores on one schema (two processes). */
type StorePair = () => { app: ChatStore; script: ChatStore };

/** A chat server as a script makes it: not listening, closed after the test. */
async function script(store: ChatStore, uploads?: DiskUploads): Promise<ChatServer> {
  const chat = createChatServer(createServer(), { store, ...(uploads && { uploads }) });
  track(() => chat.close());
  await chat.ready();
  return chat;
}

async function exported(chunks: AsyncIterable<string>): Promise<{ uploads: Array<{ name: string }>; messages: unknown[] }> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return JSON.parse(text) as { uploads: Array<{ name: string }>; messages: unknown[] };
}

const status = async (attachment: Attachment) => (await fetch(attachment.url, { method: 'HEAD' })).status;

function eraseFilesSuite(stores: StorePair): void {
  it("refuses without `uploads` while the person's messages carry files (nothing erased, the file still served); with the app's uploads it removes them", async () => {
    const dir = await diskDir();
    const { app, script: scriptStore } = stores();
    const { url } = await chatWithDisk(app, dir);
    const lobby = `lobby-${randomBytes(4).toString('hex')}`;
    const ana = sdkClient(url, { auth: { name: 'Ana' } });
    const room = await ana.join(lobby);
    const file = await room.upload(new File([PNG.bytes], 'ana.png', { type: 'image/png' }));
    const photo = await room.send({ text: 'a photo', attachments: [file] });
    const anaId = ana.user?.id ?? '';
    const ben = sdkClient(url, { auth: { name: 'Ben' } });
    await (await ben.join(lobby)).send({ text: 'no files here' });

    const bare = await script(scriptStore);
    const why = expect.stringContaining('this chat server has no `uploads`');
    await expect(bare.eraseUser(anaId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Nothing was erased.'),
    });
    await expect(bare.eraseUser(anaId)).rejects.toMatchObject({ message: why });
    await expect(exported(bare.exportUser(anaId))).rejects.toMatchObject({ code: 'FORBIDDEN', message: why });
    expect(await status(file)).toBe(200);
    expect(await app.getMessage(lobby, photo.id)).toMatchObject({ text: 'a photo', user: { id: anaId }, attachments: [file] });
    // A person without files is exported and erased there as before.
    const benId = ben.user?.id ?? '';
    expect((await exported(bare.exportUser(benId))).messages).toHaveLength(1);
    await bare.eraseUser(benId);

    // The script with the app's `uploads`: the export lists her file, the erase removes it.
    const whole = await script(scriptStore, diskUploads({ dir }));
    expect((await exported(whole.exportUser(anaId))).uploads).toMatchObject([{ name: 'ana.png' }]);
    await whole.eraseUser(anaId);
    expect(await status(file)).toBe(404);
    expect(await app.userMessages(anaId, { limit: 10 })).toEqual([]);
  });
}

describe("a person's files, from a script (MemoryStore)", () => {
  eraseFilesSuite(() => {
    const store = new MemoryStore();
    return { app: store, script: store };
  });
});

describe.skipIf(skipWithoutPostgres())("a person's files, from a script (PostgresStore)", () => {
  const schema = useTestSchema();
  eraseFilesSuite(() => ({ app: new PostgresStore({ pool: schema.pool() }), script: new PostgresStore({ pool: schema.pool() }) }));
});
