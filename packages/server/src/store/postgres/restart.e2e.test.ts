import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { PostgresStore } from './postgres-store.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { freePort, startNodeProcess } from '../../../../../test-support/process.js';
import { sdkClient } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

const script = fileURLToPath(new URL('../../../../../test-support/fixtures/postgres-chat-process.mjs', import.meta.url));
const fast = { socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 300 } };

// Runs the built packages in child processes: `npm test` builds first.
describe.skipIf(skipWithoutPostgres())('a hard-killed server loses nothing it acknowledged', () => {
  const schema = useTestSchema();

  it('SIGKILL after acks, restart on the same database: history has every acked message once; a connected client misses nothing', async () => {
    const port = String(await freePort());
    const env = { DATABASE_URL: schema.connectionString, PORT: port };
    const first = await startNodeProcess(script, env);

    const ana = sdkClient(first.url, { auth: { name: 'Ana' }, ...fast });
    const luis = sdkClient(first.url, { auth: { name: 'Luis' }, ...fast });
    const anaRoom = await ana.join('durable');
    const luisRoom = await luis.join('durable');

    const acked: Message[] = [];
    for (let i = 0; i < 20; i++) acked.push(await anaRoom.send(`before ${i}`));
    // Some in flight as the process dies: their acks may never come; they are resent.
    const inFlight = Array.from({ length: 5 }, (_, i) => anaRoom.send(`in flight ${i}`));
    first.child.kill('SIGKILL');
    await waitFor(() => expect(ana.state).toBe('reconnecting'));
    const offline = Array.from({ length: 5 }, (_, i) => luisRoom.send(`offline ${i}`));

    await startNodeProcess(script, env);
    const late = [...(await Promise.all(inFlight)), ...(await Promise.all(offline))];
    const all = [...acked, ...late];

    const store = new PostgresStore({ pool: schema.pool() });
    const history = await store.listMessages('durable', { limit: 100 });
    for (const message of acked) expect(history.messages.find((m) => m.id === message.id)).toEqual(message);
    expect(history.messages).toHaveLength(all.length);
    expect(history.messages.map((m) => m.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(new Set(history.messages.map((m) => m.clientId)).size).toBe(all.length);

    for (const room of [anaRoom, luisRoom]) {
      await waitFor(() => expect(room.messages.map((m) => m.id)).toEqual(history.messages.map((m) => m.id)));
    }
  });
});
