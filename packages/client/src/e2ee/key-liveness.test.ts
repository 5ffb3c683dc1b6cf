// HeldLiveness on a real MLS device and a device keep in memory; the server's answers are given
// (the integration test e2ee-dead-keys asks real servers).
import { describe, expect, it } from 'vitest';
import { builtInError, type E2eeKeysHeldPayload } from '@chat/protocol';
import { deviceKeep } from './device-keep.js';
import { memoryE2eeStore } from './e2ee-store.js';
import { DEAD_AFTER_MS, HELD_CHECK_CHARS, HELD_SLACK, HeldLiveness } from './key-liveness.js';
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

  it(`sends at most ${HELD_CHECK_CHARS} characters; those found live go last next time, so the others get their turn`, async () => {
    const size = (await deviceHolding(1)).keyPackages[0]!.length;
    const { device, keyPackages, keep } = await deviceHolding(Math.ceil(HELD_CHECK_CHARS / size) + 5);
    // The first of a list within the characters a check may send.
    const within = (list: string[]) => {
      let total = 0;
      return list.filter((k) => (total += k.length) <= HELD_CHECK_CHARS);
    };
    const liveness = new HeldLiveness(keep, () => 0);
    const asked: string[][] = [];
    const ask = async (p: E2eeKeysHeldPayload) => (asked.push(p.keyPackages), { live: p.keyPackages.slice(0, 3) });
    await liveness.check(device, ask, 0);
    const first = asked[0]!;
    expect(first).toEqual(within(keyPackages));
    expect(first.length).toBeLessThan(keyPackages.length);
    await liveness.check(device, ask, 0);
    // The marked ones (found dead) first, then those never asked about, then the three found live.
    expect(asked[1]).toEqual(within([...first.slice(3), ...keyPackages.slice(first.length), ...first.slice(0, 3)]));
  });

  it('counts from now a mark made by a clock that has gone back since: nothing forgotten early nor kept forever', async () => {
    const { device, keyPackages, keep } = await deviceHolding(HELD_SLACK + 1);
    let now = 5 * DEAD_AFTER_MS;
    const ask = async () => ({ live: [] });
    await new HeldLiveness(keep, () => now).check(device, ask, 0);
    now = 0; // the clock went back (a marked date now lies ahead): marked again from now
    await new HeldLiveness(keep, () => now).check(device, ask, 0);
    expect(device.heldKeyPackages).toBe(HELD_SLACK + 1);
    expect(JSON.parse((await keep.get('held-dead')) ?? '{}')).toHaveProperty([keyPackages[0]!], 0);
    now = DEAD_AFTER_MS;
    await new HeldLiveness(keep, () => now).check(device, ask, 0);
    expect(device.heldKeyPackages).toBe(0);
  });
});
