// The walk that proves a marker reached no part of a MemoryStore (test-support/reachable-text.ts):
// it must see what the store's API never returns, or a proof built on it could pass vacuously.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it("decodes bytes as UTF-8 (typed arrays, Buffers, ArrayBuffers), enters private fields and cycles, and not a function's code", async () => {
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

  it("enters a function's closures (a plugin's memory part), not a module's top scope, a bound this or a timer", async () => {
    const memoryPart = () => {
      const links = new Map<string, string>();
      return { put: (url: string) => void links.set(url, 'CLOSURE-MARK') };
    };
    const part = memoryPart();
    part.put('https://example.com/KEY-MARK');
    // A CommonJS module (a store built to CommonJS), loaded by Node: its top scope is the module's.
    const dir = mkdtempSync(join(tmpdir(), 'reachable-'));
    writeFileSync(join(dir, 'part.cjs'), "const top = { text: 'MODULE-MARK' };\nmodule.exports = () => top;\n");
    const wrapped = createRequire(import.meta.url)(join(dir, 'part.cjs')) as () => unknown;
    const bound = function (this: { text: string }) {
      return this.text;
    }.bind({ text: 'BOUND-MARK' });
    const timer = setTimeout(() => 'TIMER-MARK', 60_000);
    try {
      const all = (await reachableText({ part, wrapped, bound, timer })).join('\n');
      for (const mark of ['CLOSURE-MARK', 'KEY-MARK']) expect(all).toContain(mark);
      for (const mark of ['MODULE-MARK', 'BOUND-MARK', 'TIMER-MARK']) expect(all).not.toContain(mark);
    } finally {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
