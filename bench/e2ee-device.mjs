// One device of the e2ee-100 bench in a worker thread of its own (bench/e2ee.mjs): its own V8 heap,
// holding this device's group alone, as on the device's own machine, so that a timed encrypt or
// decrypt pays for this device's garbage only, not for the 99 other devices' states kept in the
// bench's main thread. The timed work is the SDK's path, as in the one-process part of the bench:
// `MlsGroup.encrypt` or `decryptFrom`, then `GroupKeep.save` of what moved (a memory store), then
// for a decrypt the sealed plaintext opened and its author checked.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { loadE2eeSdk } from './e2ee-sdk.mjs';
import { opTimer, stats } from './op-timing.mjs';

const { room, userId, state } = workerData;
const sdk = await loadE2eeSdk({ transpile: false });
const keep = new sdk.GroupKeep(sdk.deviceKeep(sdk.memoryE2eeStore(), 'bench', userId));
const group = sdk.MlsGroup.decode(state);
// The device's group as kept after a join: the whole state once, untimed; a message then writes its moved ratchet.
await keep.save(room, group);

const timer = opTimer();
const keepWrite = { encrypt: [], decrypt: [] };
const walls = { encrypt: [], decrypt: [] };
/** Times `work` as one operation of `kind` (its wall time kept apart too, for p50/p99 over both devices). */
async function timed(kind, work) {
  const t = performance.now();
  const result = await timer.time(kind, work);
  walls[kind].push(performance.now() - t);
  return result;
}

const handlers = {
  async encrypt({ text }) {
    return timed('encrypt', async () => {
      const sealed = await group.encrypt(sdk.sealPlaintext(userId, { text, attachments: [] }));
      const k = performance.now();
      await keep.save(room, group);
      keepWrite.encrypt.push(performance.now() - k);
      return sealed;
    });
  },
  async decrypt({ ciphertext, from }) {
    const content = await timed('decrypt', async () => {
      const { plaintext, sender } = await group.decryptFrom(ciphertext);
      const k = performance.now();
      await keep.save(room, group);
      keepWrite.decrypt.push(performance.now() - k);
      return JSON.parse(sender)[0] === from ? sdk.openPlaintext(plaintext, from) : undefined;
    });
    if (content === undefined) throw new Error(`a message of ${from} did not open on ${userId}`);
    return true;
  },
  async summary() {
    return { timing: await timer.summary(), walls, keepWrite: { encrypt: stats(keepWrite.encrypt), decrypt: stats(keepWrite.decrypt) } };
  },
};

parentPort.on('message', ({ id, kind, ...args }) => {
  handlers[kind](args).then(
    (value) => parentPort.postMessage({ id, value }),
    (error) => parentPort.postMessage({ id, error: String(error?.stack ?? error) }),
  );
});
parentPort.postMessage({ ready: true });
