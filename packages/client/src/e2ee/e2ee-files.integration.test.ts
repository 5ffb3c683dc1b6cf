// Files in encrypted rooms: encrypted in the client before the upload (WebCrypto AES-256-GCM, a
// fresh key per file), the key inside the MLS-encrypted message. Real chat servers (memory and
// PostgreSQL stores) with disk uploads, real clients, real MLS.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskUploads, type ChatStore, type DiskUploadsOptions } from '@chat/server';
import { anaAndBob, encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { expectStoredNowhere } from '../../../../test-support/stored-nowhere.js';
import { bothStores } from '../../../../test-support/stores.js';
import { chatWithUploads, diskDir } from '../../../../test-support/uploads.js';
import { waitFor } from '../../../../test-support/wait.js';

/** A chat server with disk uploads and an encrypted room in which Ana and Bob each know the other's devices. */
async function clinic(makeStore: () => ChatStore, disk: DiskUploadsOptions) {
  const { url, chat, roomId } = await encryptedChat(makeStore, { uploads: diskUploads(disk) }, chatWithUploads);
  return { chat, roomId, ...(await anaAndBob(url, roomId)) };
}

describe.each(bothStores())('files in encrypted rooms on %s', (_name, makeStore) => {
  it('the server keeps ciphertext under a neutral name; members open the file; a changed file or key is refused', async () => {
    const dir = await diskDir();
    const { chat, roomId, tag, ana, bob, anaRoom, bobRoom } = await clinic(makeStore, { dir });

    const marker = `MARKER${randomBytes(6).toString('hex')}`;
    const nameMarker = `NAME${randomBytes(6).toString('hex')}`;
    const content = `lab results: ${marker}\n`;
    // Text, which the default types would refuse: the server cannot see what an encrypted file is.
    const file = new File([content], `results ${nameMarker}.txt`, { type: 'text/plain' });
    const attachment = await anaRoom.upload(file);
    expect(attachment).toEqual({
      url: expect.stringMatching(/\/chat\/uploads\/[A-Za-z0-9_-]{22}\.bin$/u),
      type: 'text/plain',
      name: `results ${nameMarker}.txt`,
      size: file.size,
      e2ee: { key: expect.any(String), iv: expect.any(String), sha256: expect.any(String) },
    });
    const served = await fetch(attachment.url);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');
    expect(new TextDecoder().decode(await served.arrayBuffer())).not.toContain(marker);

    const sent = await anaRoom.send({ text: 'the results', attachments: [attachment] });
    expect(sent.attachments).toEqual([attachment]);
    await waitFor(() => expect(bobRoom.messages[0]?.attachments).toEqual([attachment]));
    const opened = await bob.e2ee!.openFile(bobRoom.messages[0]!.attachments[0]!);
    expect(opened.type).toBe('text/plain');
    expect(await opened.text()).toBe(content);

    // An edit keeps the message's files.
    await anaRoom.edit(sent.id, 'the results, corrected');
    await waitFor(() => expect(bobRoom.messages[0]?.text).toBe('the results, corrected'));
    expect(bobRoom.messages[0]?.attachments).toEqual([attachment]);

    // The server never had the bytes in clear, the real name or the key.
    for (const stored of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!stored.isFile()) continue;
      const bytes = await readFile(join(stored.parentPath, stored.name), 'latin1');
      for (const secret of [marker, nameMarker, attachment.e2ee!.key]) expect(bytes, stored.name).not.toContain(secret);
    }
    expect((await chat.store.getMessage(roomId, sent.id))?.attachments).toEqual([]);
    for (const secret of [nameMarker, attachment.e2ee!.key, attachment.e2ee!.sha256]) {
      await expectStoredNowhere(chat, secret, [`ana-${tag}`, `bob-${tag}`]);
    }

    // A file that is not the one sent, or a wrong key, is not opened; nor is a file without a key.
    const other = await anaRoom.upload(new File(['another file'], 'other.txt', { type: 'text/plain' }));
    await expect(bob.e2ee!.openFile({ ...attachment, url: other.url })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'This file is not the one that was sent (its SHA-256 differs), so it was not opened.',
    });
    await expect(bob.e2ee!.openFile({ ...attachment, e2ee: { ...attachment.e2ee!, key: other.e2ee!.key } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'This file could not be decrypted with the key its message gave, so it was not opened.',
    });
    await expect(bob.e2ee!.openFile({ url: attachment.url, type: 'text/plain' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    ana.close();
    bob.close();
  });

  it("the message names its uploads in clear: they count as sent, unsent ones are swept, another user's is refused, and deleting the message deletes them", async () => {
    const { chat, roomId, ana, bob, anaRoom, bobRoom } = await clinic(makeStore, { dir: await diskDir(), unattachedTtlMs: 2000 });
    const file = (name: string) => new File([`${name} ${randomBytes(8).toString('hex')}`], `${name}.txt`, { type: 'text/plain' });
    const status = async (a: { url: string }) => (await fetch(a.url, { method: 'HEAD' })).status;

    const sentFile = await anaRoom.upload(file('sent'));
    const sent = await anaRoom.send({ text: 'the results', attachments: [sentFile] });
    const neverSent = await anaRoom.upload(file('draft'));
    await waitFor(async () => expect(await status(neverSent)).toBe(404));
    expect(await status(sentFile)).toBe(200);

    // Bob's file (sent by him, so never swept meanwhile), declared by Ana's message: refused, nothing stored.
    const bobs = await bobRoom.upload(file('bob'));
    const bobsMessage = await bobRoom.send({ text: 'mine', attachments: [bobs] });
    const stored = bobs.url.split('/').at(-1);
    await expect(anaRoom.send({ text: 'not mine', attachments: [bobs] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `The file "${stored}" was uploaded by someone else: a message can carry only its sender's uploads.`,
    });
    expect((await chat.store.listMessages(roomId, { limit: 10 })).messages.map((m) => m.id)).toEqual([sent.id, bobsMessage.id]);

    // A file of another room of hers, one that was swept, and a name that is no upload: refused too.
    const otherId = `${roomId}-b`;
    await chat.createRoom({ id: otherId, options: { encrypted: true } });
    const otherRoom = await ana.join(otherId);
    const elsewhere = await otherRoom.upload(file('elsewhere'));
    // Sent there first, so that it is not swept meanwhile.
    await otherRoom.send({ text: 'there', attachments: [elsewhere] });
    await expect(anaRoom.send({ text: 'wrong room', attachments: [elsewhere] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `The file "${elsewhere.url.split('/').at(-1)}" was not uploaded for this room. Upload it again here.`,
    });
    await expect(anaRoom.send({ text: 'swept', attachments: [neverSent] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const made = { ...sentFile, url: sentFile.url.replace(/[^/]+$/u, 'not-an-upload.bin') };
    await expect(anaRoom.send({ text: 'made up', attachments: [made] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '"not-an-upload.bin" is not the name of a file uploaded to this server.',
    });
    expect((await chat.store.listMessages(roomId, { limit: 10 })).messages).toHaveLength(2);

    await anaRoom.delete(sent.id);
    expect(await status(sentFile)).toBe(404);
    ana.close();
    bob.close();
  });
});
