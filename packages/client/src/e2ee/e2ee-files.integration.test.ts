// Files in encrypted rooms: encrypted in the client before the upload (WebCrypto AES-256-GCM, a
// fresh key per file), the key inside the MLS-encrypted message. Real chat servers (memory and
// PostgreSQL stores) with disk uploads, real clients, real MLS.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { sdkClient } from '../../../../test-support/servers.js';
import { expectStoredNowhere } from '../../../../test-support/stored-nowhere.js';
import { bothStores } from '../../../../test-support/stores.js';
import { chatWithUploads, diskDir } from '../../../../test-support/uploads.js';
import { waitFor } from '../../../../test-support/wait.js';

describe.each(bothStores())('files in encrypted rooms on %s', (_name, makeStore) => {
  it('the server keeps ciphertext under a neutral name; members open the file; a changed file or key is refused', async () => {
    const dir = await diskDir();
    const { url, chat, roomId } = await encryptedChat(makeStore, { uploads: diskUploads({ dir }) }, chatWithUploads);
    const tag = randomBytes(4).toString('hex');
    const ana = sdkClient(url, { auth: { token: `ana-${tag}` }, e2ee: {} });
    const bob = sdkClient(url, { auth: { token: `bob-${tag}` }, e2ee: {} });
    const anaRoom = await ana.join(roomId);
    const bobRoom = await bob.join(roomId);
    await waitFor(async () => expect(await ana.e2ee!.fingerprint(`bob-${tag}`)).toBeDefined());

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
    for (const stored of await readdir(dir)) {
      const bytes = await readFile(join(dir, stored), 'latin1');
      for (const secret of [marker, nameMarker, attachment.e2ee!.key]) expect(bytes, stored).not.toContain(secret);
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
});
