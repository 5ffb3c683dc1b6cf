import type { PresenceDelta } from '@chat/protocol';
import { describe, expect, it } from 'vitest';
import type { MemberCount } from '../../core/presence-registry.js';
import { LocalPresence } from '../../local/local-presence.js';
import { Gate } from '../../../../../test-support/gate.js';
import { PresenceCoalescer } from './presence-coalescer.js';

// A promise and the function that resolves it: a step the code under test reached.
function signal(): { reached: Promise<void>; reach: () => void } {
  let reach: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return { reached, reach };
}

// Every callback and I/O already queued has run (no time passes): what could settle has settled.
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

// A registry whose count waits at a gate.
class HeldPresence extends LocalPresence {
  readonly gate = new Gate();
  readonly counting = signal();

  override async count(roomId: string): Promise<MemberCount> {
    this.counting.reach();
    await this.gate.wait();
    return super.count(roomId);
  }
}

// A graceful close flushes, then closes the registry and the adapter (a cluster's Redis client): a
// delta whose window ended just before, still reading the registry or being sent, would be lost.
describe('PresenceCoalescer.flush', () => {
  it('waits for a delta whose window ended before it and that still reads the registry', async () => {
    const registry = new HeldPresence();
    registry.gate.close();
    const sent: PresenceDelta[] = [];
    const coalescer = new PresenceCoalescer(
      registry,
      (delta) => void sent.push(delta),
      0,
      (error) => expect.fail(String(error)),
    );
    coalescer.changed('town', 'ana');
    await registry.counting.reached;

    let flushed = false;
    const flushing = coalescer.flush().then(() => (flushed = true));
    await settled();
    expect(flushed).toBe(false);
    registry.gate.open();
    await flushing;
    expect(sent).toEqual([{ roomId: 'town', joined: [], left: ['ana'], updated: [] }]);
  });

  it('waits for a delta that is still being sent', async () => {
    const sending = new Gate();
    sending.close();
    const publishing = signal();
    const sent: PresenceDelta[] = [];
    const coalescer = new PresenceCoalescer(
      new LocalPresence(),
      async (delta) => {
        publishing.reach();
        await sending.wait();
        sent.push(delta);
      },
      0,
      (error) => expect.fail(String(error)),
    );
    coalescer.changed('town', 'ana');
    await publishing.reached;

    let flushed = false;
    const flushing = coalescer.flush().then(() => (flushed = true));
    await settled();
    expect(flushed).toBe(false);
    sending.open();
    await flushing;
    expect(sent).toEqual([{ roomId: 'town', joined: [], left: ['ana'], updated: [] }]);
  });
});
