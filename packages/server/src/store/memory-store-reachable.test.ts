// The walk that proves a marker reached no part of a MemoryStore (test-support/reachable-text.ts):
// it must see what the store's API never returns, or a proof built on it could pass vacuously.
import { describe, expect, it } from 'vitest';
import { reachableText } from '../../../../test-support/reachable-text.js';
import { MemoryStore } from './memory-store.js';

const user = { id: 'u', name: 'U' };

describe('reachableText', () => {
  it("sees a MemoryStore's private state: rooms, messages, e2ee records", async () => {
    const store = new MemoryStore();
    await store.createRoom({ id: 'room-KEYMARK' });
    await store.appendMessage({ roomId: 'room-KEYMARK', clientId: 'CLIENT-MARK', user, text: 'TEXT-MARK', attachments: [] });
    await store.e2ee.publishKeyPackages({ userId: 'u', deviceId: 'DEVICE-MARK' }, ['S0VZUEFDS0FHRQ=='], 10);

    const all = (await reachableText(store)).join('\n');
    for (const mark of ['KEYMARK', 'CLIENT-MARK', 'TEXT-MARK', 'DEVICE-MARK', 'S0VZUEFDS0FHRQ==']) expect(all).toContain(mark);
    expect(all).not.toContain('NEVER-SENT');
  });

  it('decodes bytes as UTF-8 (typed arrays, Buffers, ArrayBuffers), enters private fields and cycles, and not functions', async () => {
    class Holder {
      readonly #bytes = new TextEncoder().encode('BYTES-MARK');
      readonly #set = new Set([Buffer.from('BUFFER-MARK'), new TextEncoder().encode('BUFFER-IN-SET').buffer]);
      self: Holder = this;
      readonly code = () => 'CODE-MARK';
      size(): number {
        return this.#bytes.length + this.#set.size;
      }
    }
    const all = (await reachableText({ holder: new Holder(), list: [{ deep: [{ deeper: 'DEEP-MARK' }] }] })).join('\n');
    for (const mark of ['BYTES-MARK', 'BUFFER-MARK', 'BUFFER-IN-SET', 'DEEP-MARK']) expect(all).toContain(mark);
    expect(all).not.toContain('CODE-MARK');
  });
});
