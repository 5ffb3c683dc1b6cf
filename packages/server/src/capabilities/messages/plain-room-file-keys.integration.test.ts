import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatStore } from '../../core/chat-store.js';
import { MemoryStore } from '../../store/memory-store.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { request, startChat } from '../../../../../test-support/servers.js';
import { byHandshake, connect, join } from '../conversations/conversation-fixtures.js';

// An encrypted room's file (an attachment with `e2ee`, its key) sent in a plain room: refused with
// a sentence, on both stores, rather than stored without its key (a file nobody could open).

const schema = skipWithoutPostgres() ? undefined : useTestSchema();
const STORES: Array<[string, () => ChatStore]> = [['MemoryStore', () => new MemoryStore()]];
if (schema) STORES.push(['PostgresStore', () => new PostgresStore({ pool: schema.pool() })]);

const sealed = {
  url: 'https://files.example/chat/uploads/abc.bin',
  type: 'image/png',
  name: 'scan.png',
  size: 1200,
  e2ee: {
    key: 'a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=',
    iv: 'aXZpdml2aXZpdml2',
    sha256: 'c2hhc2hhc2hhc2hhc2hhc2hhc2hhc2hhc2hhc2hhc2g=',
  },
};
const refusal = {
  code: 'VALIDATION_FAILED',
  message:
    "This attachment carries an encrypted room's file key (e2ee), which goes only inside that room's encrypted messages: this message is not encrypted, so the key would be lost. Send the file in its encrypted room, or upload it again here.",
};

describe.each(STORES)('%s: an encrypted room’s file key in a plain room', (_name, makeStore) => {
  it('a message carrying it is refused with VALIDATION_FAILED and a sentence, from a socket and from chat.sendMessage; nothing is stored', async () => {
    const { url, chat } = await startChat({ store: makeStore(), authenticate: byHandshake });
    const roomId = `plain-${randomUUID().slice(0, 8)}`;
    const ana = await connect(url, 'ana', 'Ana');
    await join(ana, roomId);

    const answer = await request(ana, 'message:send', { roomId, clientId: randomUUID(), text: 'the scan', attachments: [sealed] });
    expect(answer).toEqual({ ok: false, error: expect.objectContaining(refusal) });
    await expect(
      chat.sendMessage(roomId, { user: { id: 'ana', name: 'Ana' }, text: 'the scan', attachments: [sealed] }),
    ).rejects.toMatchObject(refusal);
    // Without the key the same file goes as any other.
    const { e2ee: _key, ...plain } = sealed;
    const sent = await request(ana, 'message:send', { roomId, clientId: randomUUID(), text: 'a link', attachments: [plain] });
    expect(sent).toMatchObject({ ok: true, data: { message: { attachments: [plain] } } });
    const stored = await chat.store.listMessages(roomId, { limit: 10 });
    expect(stored.messages.map((m) => m.text)).toEqual(['a link']);
    expect(JSON.stringify(stored)).not.toContain(sealed.e2ee.key);
  });
});
