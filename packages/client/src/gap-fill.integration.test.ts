import { describe, expect, it } from 'vitest';
import { MemoryStore } from '@chat/server';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';

// The SDK's gap filler (room/gap-filler.ts) when its fetch fails: a hole is asked for again,
// not forgotten. (reconnect.integration.test.ts holds the fill and the step over a hole.)

/** A store whose history reads after a seq fail while `failing` is set (a database that hiccups). */
class Hiccup extends MemoryStore {
  failing = 0;
  asked = 0;
  override listMessages(...args: Parameters<MemoryStore['listMessages']>): ReturnType<MemoryStore['listMessages']> {
    if (args[1].after !== undefined) {
      this.asked++;
      if (this.failing > 0) {
        this.failing--;
        return Promise.reject(new Error('database hiccup'));
      }
    }
    return super.listMessages(...args);
  }
}

describe('a message lost while connected, when the fetch for it fails', () => {
  it('is asked for again, and the hole is filled', async () => {
    const store = new Hiccup();
    const { url, chat } = await startChat({ store });
    const reported: string[] = [];
    chat.on('error', (_error, where) => reported.push(where.event ?? ''));
    const room = await sdkClient(url).join('gap');
    const bot = { id: 'bot', name: 'Bot' };
    await chat.sendMessage('gap', { user: bot, text: 'one' });
    // Stored but never broadcast: what a lost broadcast looks like to a client.
    await chat.store.appendMessage({ roomId: 'gap', clientId: 'lost', user: bot, text: 'two (lost)', attachments: [] });
    store.failing = 1;
    await chat.sendMessage('gap', { user: bot, text: 'three' });
    await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['one', 'two (lost)', 'three']));
    // Once refused, once answered: no discontinuity, nothing stepped over.
    expect(store.asked).toBe(2);
    expect(reported).toEqual(['message:history']);
  });
});
