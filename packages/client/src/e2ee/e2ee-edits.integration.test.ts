// Edits in encrypted rooms: real chat servers (MemoryStore and PostgresStore), real sockets, real
// MLS. The new text travels as ciphertext sealed for its message and author; the server refuses
// plain text, and every reader refuses an edit replayed onto another message or made by another member.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  anaAndBob,
  device,
  editReceivedBy,
  encryptedChat,
  editSealed,
  inGroup,
  receivedBy,
  sameEpoch,
  sendSealed,
} from '../../../../test-support/e2ee-devices.js';
import { expectStoredNowhere } from '../../../../test-support/stored-nowhere.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { sealPlaintext } from './sealed-text.js';

describe.each(bothStores())('edits in encrypted rooms on %s', (_name, makeStore) => {
  it('room.edit changes the text every member reads; the store holds only ciphertext; plain text and others’ edits are refused', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const { tag, ana, bob, anaRoom, bobRoom } = await anaAndBob(url, roomId);
    const sent = await anaRoom.send('appointment at 9');
    await waitFor(() => expect(bobRoom.messages.map((m) => m.text)).toEqual(['appointment at 9']));

    const marker = `MARKER-${randomBytes(6).toString('hex')}`;
    const edited = await anaRoom.edit(sent.id, `appointment at 10 ${marker}`);
    expect(edited).toMatchObject({ id: sent.id, text: `appointment at 10 ${marker}`, editedAt: expect.any(String) });
    expect(edited.rev).toBeGreaterThan(sent.rev ?? 0);
    await waitFor(() => expect(bobRoom.messages.map((m) => m.text)).toEqual([`appointment at 10 ${marker}`]));
    expect(bobRoom.messages[0]?.editedAt).toBe(edited.editedAt);
    expect(anaRoom.messages.map((m) => m.text)).toEqual([`appointment at 10 ${marker}`]);
    // A second edit of the same message: a new ciphertext, read again.
    await anaRoom.edit(sent.id, 'appointment at 11');
    await waitFor(() => expect(bobRoom.messages.map((m) => m.text)).toEqual(['appointment at 11']));
    const stored = await chat.store.getMessage(roomId, sent.id);
    expect(stored).toMatchObject({ text: '', ciphertext: expect.any(String), editedAt: expect.any(String) });
    expect(stored?.ciphertext).not.toBe(sent.ciphertext);
    await expectStoredNowhere(chat, marker, [`ana-${tag}`, `bob-${tag}`]);

    // Plain text is refused with a sentence, and nothing changes.
    const plain = await ana.socket.timeout(5000).emitWithAck('message:edit', { roomId, messageId: sent.id, text: `plain ${marker}` });
    expect(plain).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'This room is end-to-end encrypted: an edit must be encrypted by the author (ciphertext), never sent as text.',
      },
    });
    await expectStoredNowhere(chat, marker, [`ana-${tag}`, `bob-${tag}`]);
    // Only the author edits an encrypted message (readers would refuse anyone else's anyway).
    await expect(bobRoom.edit(sent.id, 'bob rewrites it')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await chat.store.getMessage(roomId, sent.id))?.ciphertext).toBe(stored?.ciphertext);
    // And the host cannot edit there either: it has no keys.
    await expect(chat.editMessage(roomId, sent.id, 'from the host')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    ana.close();
    bob.close();
  });

  it('an edit sealed for another message, a message shown as an edit, an edit shown as a message, or another member’s edit: no device shows it', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await inGroup(bob, roomId);
    await sameEpoch([ana, bob], roomId);
    const first = await sendSealed(ana, roomId, 'first');
    const second = await sendSealed(ana, roomId, 'second');
    expect(await bob.session.read(await receivedBy(bob, first.id))).toBe('first');
    expect(await bob.session.read(await receivedBy(bob, second.id))).toBe('second');

    // Ana's device makes an edit of the first message and the server stores it on the second.
    const replayed = await editSealed(ana, roomId, second.id, 'meant for the first', first.id);
    expect(await bob.session.read(await editReceivedBy(bob, replayed.id))).toBeUndefined();
    // Sealed for its own message, an edit reads.
    const fixed = await editSealed(ana, roomId, first.id, 'first, fixed');
    expect(await bob.session.read(await editReceivedBy(bob, fixed.id))).toBe('first, fixed');

    // A message's ciphertext offered as an edit, and an edit's as a message.
    const third = await sendSealed(ana, roomId, 'third');
    expect(await bob.session.read({ ...(await receivedBy(bob, third.id)), editedAt: new Date().toISOString() })).toBeUndefined();
    const group = ana.session.group(roomId)!;
    const editOfFirst = await group.encrypt(sealPlaintext(ana.userId, { text: 'an edit', attachments: [] }, first.id));
    expect(await bob.session.read({ ...first, id: 'posing-as-new', ciphertext: editOfFirst })).toBeUndefined();

    // Bob's own leaf signs an edit of Ana's message: Ana's device refuses it and says why.
    const forged = await bob.session.group(roomId)!.encrypt(sealPlaintext(ana.userId, { text: 'forged edit', attachments: [] }, first.id));
    const shown = { ...first, editedAt: new Date().toISOString(), ciphertext: forged };
    expect(await ana.session.read(shown)).toBeUndefined();
    expect((ana.reported.at(-1) as Error).message).toContain(`signed by "${bob.userId}"`);
    // Nor does the server take Bob's encrypted edit of Ana's message.
    await expect(editSealed(bob, roomId, first.id, 'bob rewrites it')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
