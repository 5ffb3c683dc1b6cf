// One device of the e2ee-100 bench in a worker thread of its own (bench/e2ee.mjs): its own V8 heap,
// holding this device's group alone, as on the device's own machine, so that a timed encrypt or
// decrypt pays for this device's garbage only, not for the 99 other devices' states kept in the
// bench's main thread. The timed work is the SDK's path as `E2eeSession` runs it (seal, readContent),
// on a memory store: `MlsGroup.encrypt` then `GroupKeep.save` of what moved; for a decrypt also the
// store's reads of what it kept of the message, the epoch, the signer and the opened content's write.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { loadE2eeSdk } from './e2ee-sdk.mjs';
import { opTimer, stats } from './op-timing.mjs';

const { room, userId, state, trial } = workerData;
const sdk = await loadE2eeSdk({ transpile: false });
// An A/B trial's module (bench/e2ee-per-device.mjs), given the SDK's ciphersuite before any use of it.
if (trial !== undefined) await (await import(trial)).default(await sdk.mlsSuite());
// As the SDK does while a page's first encrypted room loads (mls-warm-up.ts); E2EE_NO_WARM_UP=1 times a cold start.
if (process.env.E2EE_NO_WARM_UP !== '1') await sdk.warmUpMls();
const deviceKeep = sdk.deviceKeep(sdk.memoryE2eeStore(), 'bench', userId);
const keep = new sdk.GroupKeep(deviceKeep);
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
  // As `E2eeSession.seal`: the MLS encrypt, then the moved ratchet kept before the ciphertext goes out.
  async encrypt({ text }) {
    return timed('encrypt', async () => {
      const sealed = await group.encrypt(sdk.sealPlaintext(userId, { text, attachments: [] }));
      const k = performance.now();
      await keep.save(room, group);
      keepWrite.encrypt.push(performance.now() - k);
      return sealed;
    });
  },
  // As `E2eeSession.readContent` reads a new message: what the device kept of it (nothing yet),
  // its epoch (read once), the MLS decrypt, the signer against the user the server names, the
  // sealed plaintext, the moved ratchet kept, then the opened content kept before it shows.
  async decrypt({ ciphertext, from, messageId }) {
    const content = await timed('decrypt', async () => {
      if ((await deviceKeep.get(`open:${room}:${messageId}`)) ?? (await deviceKeep.get(`text:${room}:${messageId}`))) return undefined;
      const encrypted = sdk.readEncrypted(ciphertext);
      if (encrypted === undefined || encrypted.epoch > group.epoch) return undefined;
      const { plaintext, sender } = await group.decryptFrom(encrypted);
      if (sdk.parseIdentity(sender)?.userId !== from) return undefined;
      const opened = sdk.openPlaintext(plaintext, from);
      const k = performance.now();
      await keep.save(room, group);
      keepWrite.decrypt.push(performance.now() - k);
      if (opened !== undefined) await deviceKeep.set(`open:${room}:${messageId}`, JSON.stringify({ content: opened }));
      return opened;
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
