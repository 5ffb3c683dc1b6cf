import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTestSchema } from '../../../../../test-support/postgres.js';
import { freePort, startNodeProcess } from '../../../../../test-support/process.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../../test-support/redis.js';
import { okData, rawSocket, request } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { ids, joinCall, record, startCall } from './call-fixtures.js';

const script = fileURLToPath(new URL('../../../../../test-support/fixtures/cluster-chat-process.mjs', import.meta.url));

// Two server processes (the built packages) on Redis and PostgreSQL; one is killed with SIGKILL
// mid-call. Its participants never hang up: the other process finds the process silent (the
// fixture's staleAfterMs is 1 s) and drops them, so nobody stays in a call with a ghost.
describe.skipIf(skipWithoutRedis())('calls when a server process dies', () => {
  const schema = useTestSchema();

  it('SIGKILL the process of some participants: a two-person call ends, a bigger one goes on without them', async () => {
    const env = { DATABASE_URL: schema.connectionString, REDIS_URL: REDIS_URL as string, KEY_PREFIX: freshPrefix() };
    const [doomed, survivor] = await Promise.all(
      [await freePort(), await freePort()].map((port) => startNodeProcess(script, { ...env, PORT: String(port) })),
    );
    if (!doomed || !survivor) throw new Error('two processes expected');
    const connect = (url: string, name: string) => rawSocket(url, { name });

    // Two calls: Al (on the doomed process) with Ben; Ana (doomed) with Cy and Dee.
    const [al, ana] = await Promise.all([connect(doomed.url, 'Al'), connect(doomed.url, 'Ana')]);
    const [ben, cy, dee] = await Promise.all([connect(survivor.url, 'Ben'), connect(survivor.url, 'Cy'), connect(survivor.url, 'Dee')]);
    for (const [socket, roomId] of [
      [al, 'pair'],
      [ben, 'pair'],
      [ana, 'group'],
      [cy, 'group'],
      [dee, 'group'],
    ] as const) {
      okData(await request(socket, 'room:join', { roomId }));
    }
    const [benLog, cyLog] = [record(ben), record(cy)];
    const benId = okData(await request(ben, 'room:join', { roomId: 'pair' })).self.id;
    const [cyId, deeId] = [
      okData(await request(cy, 'room:join', { roomId: 'group' })).self.id,
      okData(await request(dee, 'room:join', { roomId: 'group' })).self.id,
    ];
    const pair = (await startCall(al, 'pair', [benId])).call;
    await joinCall(ben, pair.id);
    const group = (await startCall(ana, 'group', [cyId, deeId])).call;
    await joinCall(cy, group.id);
    await joinCall(dee, group.id);
    await waitFor(() => expect(ids(cyLog.latest(group.id))).toHaveLength(3));

    doomed.child.kill('SIGKILL');

    await waitFor(() => expect(benLog.latest(pair.id)?.endedAt).toBeDefined());
    await waitFor(() => expect(ids(cyLog.latest(group.id))).toEqual([cyId, deeId]));
    expect(cyLog.latest(group.id)?.endedAt).toBeUndefined();
    // The survivors still signal each other; the dead participant is no one to signal.
    okData(await request(cy, 'call:signal', { callId: group.id, to: deeId, data: { description: { type: 'offer', sdp: 'v=0' } } }));
    const ghost = group.startedBy.id; // Ana, gone with her process
    expect(
      await request(cy, 'call:signal', { callId: group.id, to: ghost, data: { description: { type: 'offer', sdp: 'v=0' } } }),
    ).toMatchObject({
      ok: false,
    });
    // The ended call's line is in the pair's history, once.
    await waitFor(() =>
      expect(benLog.messages.filter((m) => m.system?.type === 'call:ended').map((m) => m.system)).toEqual([
        expect.objectContaining({ callId: pair.id }),
      ]),
    );
    expect(survivor.child.exitCode).toBeNull();
  });
});
