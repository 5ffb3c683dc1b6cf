import { readdir } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { toChatError, type Attachment } from '@chat/protocol';
import { MemoryStore, type ChatStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { sdkClient, track } from '../../../../../test-support/servers.js';
import { chatWithDisk, clusterOf, diskDir } from '../../../../../test-support/uploads.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { freshPrefix } from '../../../../../test-support/redis.js';
import { diskUploads } from './disk-uploads.js';
import { PNG } from './upload-fixtures.js';

// Files uploaded but never sent in a message: removed (file, description, marker) once older than
// `unattachedTtlMs`, by the server's own timer; a send racing the sweep either keeps its file or
// is refused, never stored without its bytes. Real servers, real disk folders, both stores.

const bot = { id: 'bot', name: 'Bot' };

/** Uploads a PNG as a new guest (who joins `lobby` first, so that its id is known). */
async function upload(url: string, name: string, roomId?: string): Promise<{ attachment: Attachment; userId: string }> {
  const client = sdkClient(url, { auth: { name } });
  await client.join('lobby');
  const attachment = await client.upload(
    new File([PNG.bytes], `${name}.png`, { type: 'image/png' }),
    roomId === undefined ? {} : { roomId },
  );
  return { attachment, userId: client.user?.id ?? '' };
}

const status = async (attachment: Attachment) => (await fetch(attachment.url, { method: 'HEAD' })).status;
/** Every name under the folder, markers included. */
const everything = async (dir: string) => (await readdir(dir, { recursive: true })).sort();

function unsentSuite(makeStore: () => ChatStore | Promise<ChatStore>): void {
  it("removes a file never sent once older than unattachedTtlMs (bytes, description, marker), an encrypted room's too; a sent one stays", async () => {
    const dir = await diskDir();
    // Old enough after 2 s: the sent file's send, and the check that the other one is served, come
    // well before (at 300 ms, a busy machine could be slower than the sweep, and fail either).
    const { chat, url } = await chatWithDisk(await makeStore(), dir, { unattachedTtlMs: 2000 });
    await chat.createRoom({ id: 'secret', options: { encrypted: true } });
    // Encrypted messages name their files in \`uploads\`: one never named is not sent.
    const hidden = await upload(url, 'Eve', 'secret');
    const sent = await upload(url, 'Ana');
    await chat.sendMessage('lobby', { user: bot, text: 'here', attachments: [sent.attachment] });
    const unsent = await upload(url, 'Ben');
    expect(await status(unsent.attachment)).toBe(200);

    await waitFor(async () => expect(await status(unsent.attachment)).toBe(404));
    await waitFor(async () => expect(await status(hidden.attachment)).toBe(404));
    expect(await status(sent.attachment)).toBe(200);
    // Nothing of the removed one is left, and no marker of the kept ones.
    const id = (a: Attachment) => a.url.split('/').at(-1)?.split('.')[0] ?? '';
    const left = await everything(dir);
    expect(left.filter((n) => n.includes(id(unsent.attachment)))).toEqual([]);
    expect(left.filter((n) => n.startsWith('unsent/') && !/^unsent\/[0-9a-f]{32}$/u.test(n) && n !== 'unsent/removing')).toEqual([]);
    // Sending it now is refused, and nothing is stored.
    await expect(chat.sendMessage('lobby', { user: bot, text: 'late', attachments: [unsent.attachment] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `The file "Ben.png" is no longer stored (files not sent in time are removed). Upload it again.`,
    });
    expect((await chat.store.listMessages('lobby', { limit: 10 })).messages.map((m) => m.text)).toEqual(['here']);
  });

  it('a send racing the sweep either keeps its file or is refused: no message is stored without its bytes', async () => {
    const dir = await diskDir();
    // Every file is old enough at once: the test's own sweeps race the sends (and the timer's, every 100 ms).
    const { chat, url, uploads } = await chatWithDisk(await makeStore(), dir, { unattachedTtlMs: 1 });
    const uploaded = await Promise.all(Array.from({ length: 16 }, (_, i) => upload(url, `u${i}`)));
    const outcomes = await Promise.all(
      uploaded.map(async ({ attachment }, i) => {
        const send = chat.sendMessage('lobby', { user: bot, clientId: `race-${i}`, text: `m${i}`, attachments: [attachment] }).then(
          () => 'stored' as const,
          (error: unknown) => toChatError(error).code,
        );
        const [outcome] = await Promise.all([send, uploads.removeUnattached(2, () => Promise.resolve(true))]);
        return { attachment, outcome, text: `m${i}` };
      }),
    );
    // Whatever is left unsent goes too, then every stored message's file must still be there.
    await waitFor(async () => expect((await everything(dir)).filter((n) => /^unsent\/[0-9a-f]{32}\//u.test(n))).toEqual([]));
    const stored = new Set((await chat.store.listMessages('lobby', { limit: 100 })).messages.map((m) => m.text));
    for (const { attachment, outcome, text } of outcomes) {
      expect(['stored', 'VALIDATION_FAILED']).toContain(outcome);
      expect(stored.has(text)).toBe(outcome === 'stored');
      expect(await status(attachment)).toBe(outcome === 'stored' ? 200 : 404);
    }
  });

  it("chat.eraseUser removes the person's files not sent too, markers included", async () => {
    const dir = await diskDir();
    const { chat, url } = await chatWithDisk(await makeStore(), dir, { unattachedTtlMs: 3_600_000 });
    const { attachment, userId } = await upload(url, 'Ana');
    expect((await everything(dir)).some((n) => n.startsWith('unsent/'))).toBe(true);
    await chat.eraseUser(userId);
    expect(await status(attachment)).toBe(404);
    expect(await everything(dir)).toEqual([]);
  });
}

describe('unsent uploads (MemoryStore)', () => {
  unsentSuite(() => new MemoryStore());

  it('counts files not sent against bytesPerUserPerHour until they are sent, after the hourly quota refilled', async () => {
    // Only Date is faked, from before the first upload, so that the quota's clock is the test's.
    vi.useFakeTimers({ toFake: ['Date'] });
    track(() => void vi.useRealTimers());
    const start = Date.now();
    const dir = await diskDir();
    const perFile = PNG.bytes.length + 8 * 1024;
    const { chat, url } = await chatWithDisk(new MemoryStore(), dir, { bytesPerUserPerHour: 2 * perFile });
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    await client.join('lobby');
    const png = () => new File([PNG.bytes], 'dot.png', { type: 'image/png' });
    const first = await client.upload(png());
    await client.upload(png());
    // Two hours on, the hourly quota is full again, but the two files not sent still count.
    vi.setSystemTime(start + 2 * 3_600_000);
    const refused = client.upload(png());
    await expect(refused).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    await expect(refused).rejects.toThrow(/files you have not sent yet/u);
    await chat.sendMessage('lobby', { user: bot, text: 'one sent', attachments: [first] });
    await expect(client.upload(png())).resolves.toMatchObject({ type: 'image/png' });
  });

  it('keeps no file sent only in an ephemeral room (its messages are never stored): it goes after the grace period', async () => {
    const dir = await diskDir();
    // Old enough after 2 s: its send comes well before (at 300 ms, a busy machine could be slower than the sweep).
    const { chat, url } = await chatWithDisk(new MemoryStore(), dir, { unattachedTtlMs: 2000 });
    await chat.createRoom({ id: 'meeting', options: { ephemeral: true } });
    const { attachment } = await upload(url, 'Ana');
    await expect(chat.sendMessage('meeting', { user: bot, text: 'slides', attachments: [attachment] })).resolves.toMatchObject({
      attachments: [attachment],
    });
    await waitFor(async () => expect(await status(attachment)).toBe(404));
  });

  it('refuses a bad unattachedTtlMs with a TypeError that says what is wrong', () => {
    for (const unattachedTtlMs of [0, -1, 1.5, 2 ** 31, Number.NaN]) {
      expect(() => diskUploads({ dir: '/tmp/x', unattachedTtlMs })).toThrow(
        'diskUploads: unattachedTtlMs must be a whole number of milliseconds from 1 to 2147483647.',
      );
    }
  });
});

describe.skipIf(skipWithoutPostgres())('unsent uploads (PostgresStore)', () => {
  const schema = useTestSchema();
  unsentSuite(() => new PostgresStore({ pool: schema.pool() }));

  it('sweeps on one process of a cluster at a time: none while another holds the lock, then one does', async () => {
    const dir = await diskDir();
    const keyPrefix = freshPrefix();
    const processes = [];
    // How many times each process has tried to take the sweep's lock.
    const tries = [0, 0];
    for (let i = 0; i < 2; i++) {
      const store = new PostgresStore({ pool: schema.pool() });
      const exclusive = store.exclusive.bind(store);
      store.exclusive = (name, task) => {
        if (name === 'uploads-unsent') tries[i]! += 1;
        return exclusive(name, task);
      };
      processes.push(await chatWithDisk(store, dir, { unattachedTtlMs: 100 }, clusterOf(keyPrefix)));
    }
    // A third holder of the sweep's lock (as a process busy sweeping would be).
    const holder = new PostgresStore({ pool: schema.pool() });
    await holder.init();
    let release!: () => void;
    let held!: () => void;
    const locked = new Promise<void>((resolve) => (held = resolve));
    // The processes sweep as soon as they start: the holder tries again while one of them has the lock.
    const hold = (): Promise<boolean> =>
      holder
        .exclusive('uploads-unsent', async () => {
          held();
          await new Promise<void>((resolve) => (release = resolve));
        })
        .then((got) => got || new Promise<boolean>((resolve) => setTimeout(() => resolve(hold()), 20)));
    const holding = hold();
    await locked;
    const files = [await upload(processes[0]?.url ?? '', 'Ana'), await upload(processes[1]?.url ?? '', 'Ben')];
    // Both processes' timers try the lock several times meanwhile (every 100 ms); neither may sweep.
    const before = [...tries];
    await waitFor(() => expect(tries.every((n, i) => n >= before[i]! + 3)).toBe(true));
    for (const { attachment } of files) expect(await status(attachment)).toBe(200);
    release();
    expect(await holding).toBe(true);
    for (const { attachment } of files) await waitFor(async () => expect(await status(attachment)).toBe(404));
  });
});
