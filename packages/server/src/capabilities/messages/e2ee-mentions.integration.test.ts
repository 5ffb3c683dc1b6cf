// `mentions` stay in clear in an encrypted room, so that a mentioned member is told: the server
// counts the mention and stores it beside the ciphertext, while the words stay sealed. Real chat
// servers (memory and PostgreSQL stores), real sockets, real MLS on every device.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChatError, type Message } from '@chat/protocol';
import { device, encryptedChat, receivedBy, sameEpoch, type Device } from '../../../../../test-support/e2ee-devices.js';
import { request } from '../../../../../test-support/servers.js';
import { bothStores } from '../../../../../test-support/stores.js';
import { waitFor } from '../../../../../test-support/wait.js';

/** Sends `text` encrypted with `mentions` in clear. */
async function sealedWithMentions(from: Device, roomId: string, text: string, mentions: string[]): Promise<Message> {
  const clientId = randomBytes(8).toString('hex');
  return from.session.send(roomId, text, async (sealed) => {
    const answer = await request(from.socket, 'message:send', { roomId, clientId, mentions, ...sealed });
    if (!answer.ok) throw ChatError.fromData(answer.error);
    return answer.data.message;
  });
}

describe.each(bothStores())('mentions in an encrypted room on %s', (_name, makeStore) => {
  it('are kept in clear and counted for the mentioned member; the words are not', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const luis = await device(url, 'luis', roomId);
    const eva = await device(url, 'eva', roomId);
    await sameEpoch([ana, luis, eva], roomId);
    const marker = `MARKER${randomBytes(6).toString('hex')}`;
    const sent = await sealedWithMentions(ana, roomId, `@luis your results ${marker}`, [luis.userId]);
    expect(sent).toMatchObject({ text: '', mentions: [luis.userId] });
    expect(JSON.stringify(sent)).not.toContain(marker);
    expect(await luis.session.read(await receivedBy(luis, sent.id))).toBe(`@luis your results ${marker}`);
    // The server counts the mention for Luis alone; both have it unread.
    await waitFor(async () => {
      const [forLuis] = (await chat.conversations(luis.userId)).filter((c) => c.room.id === roomId);
      expect(forLuis).toMatchObject({ unread: 1, mentions: 1 });
    });
    const [forEva] = (await chat.conversations(eva.userId)).filter((c) => c.room.id === roomId);
    expect(forEva).toMatchObject({ unread: 1, mentions: 0 });
    const stored = await chat.store.getMessage(roomId, sent.id);
    expect(stored).toMatchObject({ text: '', mentions: [luis.userId] });
    expect(JSON.stringify(stored)).not.toContain(marker);
  });
});
