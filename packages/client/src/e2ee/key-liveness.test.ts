// HeldLiveness on a real MLS device and a device keep in memory; the server's answers are given
// (the integration test e2ee-dead-keys asks real servers).
import { describe, expect, it } from 'vitest';
import { builtInError, type E2eeKeysHeldPayload } from '@chat/protocol';
import { deviceKeep } from './device-keep.js';
import { memoryE2eeStore } from './e2ee-store.js';
import { DEAD_AFTER_MS, HELD_SLACK, HeldLiveness } from './key-liveness.js';
import { MlsDevice } from './mls-device.js';

async function deviceHolding(count: number) {
  const device = new MlsDevice('ana', 'phone');
  const keyPackages = await device.newKeyPackages(count);
  return { device, keyPackages, keep: deviceKeep(memoryE2eeStore(), 'https://chat.test/', 'ana') };
}

describe('HeldLiveness', () => {
  it('asks nothing while the device holds at most the server count + HELD_SLACK', async () => {
    const { device, keep } = await deviceHolding(HELD_SLACK + 1);
    const asked: E2eeKeysHeldPayload[] = [];
    const liveness = new HeldLiveness(keep, () => 0);
    await liveness.check(device, async (p) => (asked.push(p), { live: [] }), 1);
    expect(asked).toEqual([]);
    await liveness.check(device, async (p) => (asked.push(p), { live: [] }), 0);
    expect(asked).toHaveLength(1);
  });

  it('never asks about (nor forgets) the unanswered batch; a key package found live loses its mark', async () => {
    const { device, keyPackages, keep } = await deviceHolding(HELD_SLACK + 3);
    let now = 0;
    const liveness = new HeldLiveness(keep, () => now);
    const unanswered = keyPackages.slice(-2);
    const asked: string[][] = [];
    let live: string[] = [];
    const ask = async (p: E2eeKeysHeldPayload) => (asked.push(p.keyPackages), { live });
    await liveness.check(device, ask, 0, unanswered);
    expect(asked[0]).toEqual(keyPackages.slice(0, -2));
    // The first one is live at the second check: it stays; the others are forgotten.
    live = [keyPackages[0]!];
    now += DEAD_AFTER_MS;
    await liveness.check(device, ask, 0, unanswered);
    expect(device.heldList()).toEqual([keyPackages[0], ...unanswered]);
    expect(JSON.parse((await keep.get('held')) ?? '{}')).not.toHaveProperty(keyPackages[1]!);
    expect(await keep.get('held-dead')).toBe('{}');
  });

  it('skips quietly, and asks no more, when the server does not know the event; other failures are thrown', async () => {
    const { device, keep } = await deviceHolding(HELD_SLACK + 1);
    const liveness = new HeldLiveness(keep, () => 0);
    let asks = 0;
    // What an older server answers an event it does not know (the kernel's socket session).
    const unknown = () => {
      asks++;
      return Promise.reject(builtInError('VALIDATION_FAILED', 'Unknown event "e2ee:keys:held".'));
    };
    await liveness.check(device, unknown, 0);
    await liveness.check(device, unknown, 0);
    expect(asks).toBe(1);
    expect(device.heldKeyPackages).toBe(HELD_SLACK + 1);
    const offline = new HeldLiveness(keep, () => 0);
    const refused = builtInError('RATE_LIMITED', 'Too many requests.');
    await expect(offline.check(device, () => Promise.reject(refused), 0)).rejects.toBe(refused);
  });
});
