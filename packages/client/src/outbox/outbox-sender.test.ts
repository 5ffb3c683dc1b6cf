import { describe, expect, it } from 'vitest';
import { builtInError, type Message } from '@chat/protocol';
import type { ServerLink } from '../core/transport.js';
import { memoryOutbox } from './memory-outbox.js';
import { draftEntry } from './outbox-entry.js';
import type { OutboxStore } from './outbox-store.js';
import { OutboxSender } from './outbox-sender.js';
import { Outbox } from './outbox.js';

const scope = { server: 'https://chat.example/', userId: 'ana', roomId: 'r' };

describe('OutboxSender', () => {
  // Found with send-at-expiry.integration.test.ts: a page that found a failed message in its kept
  // outbox at the join, and sent one at once, left it "sending" until the next reconnect.
  it('sends a message written while it reads the store to see to failed ones', async () => {
    const inner = memoryOutbox();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    let reading = (): void => undefined;
    const read = new Promise<void>((resolve) => (reading = resolve));
    const store: OutboxStore = {
      ...inner,
      load: async (s) => {
        const rows = inner.load(s); // read now, answered once released
        if (holding) {
          reading();
          await gate;
        }
        return rows;
      },
    };
    const outbox = new Outbox();
    outbox.keepIn(store, scope.server, 'r', () => undefined);
    // An earlier page's message, refused.
    const refused = draftEntry('r', 'refused');
    await inner.put(scope, { ...refused, status: 'failed', error: builtInError('VALIDATION_FAILED', 'No.').toJSON(), order: 1 });
    await outbox.attach('ana');
    const sent: string[] = [];
    const link: ServerLink = {
      connected: true,
      socketId: 's1',
      request: (async (_event: string, payload: { clientId: string; text: string }) => {
        sent.push(payload.text);
        return { message: { clientId: payload.clientId, text: payload.text } as Message };
      }) as ServerLink['request'],
    };
    const sender = new OutboxSender({
      roomId: 'r',
      link,
      outbox,
      joined: () => true,
      selfId: () => 'ana',
      held: () => undefined,
      closed: () => false,
      stored: () => undefined,
      updated: () => undefined,
    });
    holding = true;
    const flushing = sender.flush(); // nothing to send: it reads the store, held open
    await read;
    const after = outbox.add(draftEntry('r', 'after'));
    void sender.flush(); // the room's send() does this: one flush is under way already
    release();
    await flushing;
    expect(sent).toEqual(['after']);
    await expect(after).resolves.toMatchObject({ text: 'after' });
  });
});
