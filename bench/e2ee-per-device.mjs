// The e2ee-100 bench's encrypt and decrypt as a device runs them (bench/e2ee.mjs): two members of the
// room each in a worker thread of its own (bench/e2ee-device.mjs: its own heap, its group alone),
// the 98 others in the main thread. Messages alternate: one from a measured device (timed encrypt
// there, timed decrypt on the other), one from another member (encrypted untimed in the main
// thread, timed decrypt on both measured devices). One operation at a time: the main thread and
// the other worker wait while an operation is timed, as other machines would not share this one.
// The group states are copies (encoded and decoded): the devices of the one-process part of the
// bench are not moved by this one.
import { Worker } from 'node:worker_threads';
import { stats } from './op-timing.mjs';

const workerUrl = new URL('./e2ee-device.mjs', import.meta.url);

/** A device in a worker: `call(kind, args)` answers the worker's answer. */
async function deviceWorker(room, device, trial) {
  const worker = new Worker(workerUrl, { workerData: { room, userId: device.mls.userId, state: device.group.encode(), trial } });
  const pending = new Map();
  let next = 0;
  await new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', resolve);
  });
  worker.on('message', ({ id, value, error }) => {
    const { resolve, reject } = pending.get(id);
    pending.delete(id);
    if (error === undefined) resolve(value);
    else reject(new Error(error));
  });
  worker.on('error', (error) => {
    for (const { reject } of pending.values()) reject(error);
  });
  return {
    userId: device.mls.userId,
    call: (kind, args = {}) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...args, id, kind });
      }),
    close: () => worker.terminate(),
  };
}

/** p50, p99 and max of one kind of operation over both measured devices. */
function merged(summaries, kind) {
  return stats(summaries.flatMap((s) => s.walls[kind]));
}

/**
 * Sends `messages` messages as described above; answers encrypt and decrypt p50/p99 over both
 * measured devices, and each device's breakdown (`opTimer().summary()`) and keep writes. `trial`:
 * the URL of a module each worker imports first and gives the SDK's suite (an A/B of its crypto, E2EE_KDF).
 */
export async function perDeviceMessages({ sdk, room, devices, measured, messages, trial }) {
  const [a, b] = await Promise.all(measured.map((i) => deviceWorker(room, devices[i], trial)));
  const others = devices
    .filter((_, i) => !measured.includes(i))
    .map((d) => ({ userId: d.mls.userId, group: sdk.MlsGroup.decode(d.group.encode()) }));
  try {
    for (let m = 0; m < messages; m++) {
      const text = `message ${m} of the bench`;
      if (m % 2 === 0) {
        const [from, to] = m % 4 === 0 ? [a, b] : [b, a];
        const ciphertext = await from.call('encrypt', { text });
        await to.call('decrypt', { ciphertext, from: from.userId, messageId: `m${m}` });
      } else {
        const from = others[((m - 1) / 2) % others.length];
        const ciphertext = await from.group.encrypt(sdk.sealPlaintext(from.userId, { text, attachments: [] }));
        await a.call('decrypt', { ciphertext, from: from.userId, messageId: `m${m}` });
        await b.call('decrypt', { ciphertext, from: from.userId, messageId: `m${m}` });
      }
    }
    const summaries = [await a.call('summary'), await b.call('summary')];
    const counts = (kind) => summaries.reduce((n, s) => n + s.walls[kind].length, 0);
    return {
      encrypt: { ...merged(summaries, 'encrypt'), count: counts('encrypt') },
      decrypt: { ...merged(summaries, 'decrypt'), count: counts('decrypt') },
      devices: summaries.map(({ timing, keepWrite }) => ({ timing, keepWrite })),
    };
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}
