// `tools.repeat` as a host's plugin meets it: a task run at start and again after each run,
// failures reported and tried again, a close that waits for a run under way, and one process of a
// cluster at a time on PostgreSQL (retention and the sweep of uploads never sent use it too).
import { createServer } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { createChatServer, definePlugin, type PluginTools } from '../index.js';
import { PostgresStore } from '../postgres.js';
import { startChat } from '../../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../test-support/postgres.js';
import { waitFor } from '../../../../test-support/wait.js';

describe('tools.repeat', () => {
  it('runs the task at start, then again after each run; a failed run is reported and the next one runs', async () => {
    let runs = 0;
    const ticker = definePlugin({
      name: 'ticker',
      start: (tools) =>
        tools.repeat(10, async () => {
          runs++;
          if (runs === 2) throw new Error('the feed was down');
        }),
    });
    const { chat } = await startChat({ plugins: [ticker] });
    const reported = vi.fn();
    chat.on('error', reported);
    await chat.ready();
    await waitFor(() => expect(runs).toBeGreaterThanOrEqual(4));
    expect(reported).toHaveBeenCalledTimes(1);
    expect(reported).toHaveBeenCalledWith(expect.objectContaining({ code: 'INTERNAL' }), { event: 'plugin:ticker' });
  });

  it('close() waits for a run under way, which sees closing() and stops between its steps (a plugin without close too)', async () => {
    const seen: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = definePlugin({
      name: 'slow',
      start: (tools) =>
        tools.repeat(10, async (closing) => {
          seen.push('run');
          started();
          // Step after step until the server closes.
          while (!closing()) await new Promise((resolve) => setTimeout(resolve, 5));
          seen.push('closing');
        }),
    });
    const chat = createChatServer(createServer(), { plugins: [slow] });
    await chat.ready();
    await running;
    await chat.close();
    seen.push('server closed');
    expect(seen).toEqual(['run', 'closing', 'server closed']);
  });

  it('the first run waits for the server to be ready: none when a later plugin fails to start', async () => {
    let runs = 0;
    const ticker = definePlugin({ name: 'ticker', start: (tools) => tools.repeat(5, async () => void runs++) });
    // It fails a timer's turn later: a run the ticker armed at its start (not waiting for ready) would have come first.
    const broken = definePlugin({
      name: 'broken-start',
      start: async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        throw new Error('no license key');
      },
    });
    const chat = createChatServer(createServer(), { plugins: [ticker, broken] });
    chat.on('error', () => undefined);
    await expect(chat.ready()).rejects.toThrow('no license key');
    await chat.close();
    expect(runs).toBe(0);
  });

  it('a plugin whose start comes after close() starts nothing: no plugin starts once the server is closing', async () => {
    let release!: () => void;
    let waiting!: () => void;
    const started = new Promise<void>((resolve) => (waiting = resolve));
    const slow = definePlugin({
      name: 'slow-start',
      start: async () => {
        waiting();
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    const later = vi.fn();
    const ticker = definePlugin({ name: 'ticker', start: (tools) => void (later(), tools.repeat(5, async () => {})) });
    const chat = createChatServer(createServer(), { plugins: [slow, ticker] });
    await started;
    const closed = chat.close();
    release();
    await closed;
    expect(later).not.toHaveBeenCalled();
  });

  it('refuses, naming the plugin: a repeat before start, an everyMs that is no whole number of ms', async () => {
    const early = definePlugin({
      name: 'early',
      raw: (tools: PluginTools) => (tools.repeat(1000, async () => {}), { prefix: 'early', handle: () => undefined }),
    });
    expect(() => createChatServer(createServer(), { plugins: [early] })).toThrow(
      'The plugin "early" called tools.repeat before its start: call it in start(tools).',
    );
    for (const everyMs of [0, -5, 1.5, Number.NaN, 2 ** 31]) {
      const odd = definePlugin({ name: 'odd', start: (tools) => tools.repeat(everyMs, async () => {}) });
      const chat = createChatServer(createServer(), { plugins: [odd] });
      chat.on('error', () => undefined);
      await expect(chat.ready()).rejects.toThrow(`The plugin "odd" called tools.repeat(${everyMs}, ...): everyMs is a whole number of ms`);
      await chat.close();
    }
  });

  it('a plugin repeats one task: a second call is refused with a sentence', async () => {
    const twice = definePlugin({
      name: 'twice',
      start: (tools) => {
        tools.repeat(1000, async () => {});
        tools.repeat(1000, async () => {});
      },
    });
    const chat = createChatServer(createServer(), { plugins: [twice] });
    chat.on('error', () => undefined);
    await expect(chat.ready()).rejects.toThrow('The plugin "twice" called tools.repeat twice: a plugin repeats one task.');
    await chat.close();
  });
});

describe.skipIf(skipWithoutPostgres())('tools.repeat on PostgreSQL', () => {
  const schema = useTestSchema();

  it('two processes sharing the store never run the task at once: the lock is named after the plugin', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    // How many times each process asked for the lock.
    const asked = [0, 0];
    for (let i = 0; i < 2; i++) {
      const store = new PostgresStore({ pool: schema.pool() });
      const exclusive = store.exclusive.bind(store);
      store.exclusive = (name, task) => {
        if (name === 'digest') asked[i]! += 1;
        return exclusive(name, task);
      };
      const digest = definePlugin({
        name: 'digest',
        start: (tools) =>
          tools.repeat(20, async () => {
            active++;
            runs++;
            most = Math.max(most, active);
            // The first run holds the lock until both processes asked for it again several times.
            if (runs === 1) await hold;
            active--;
          }),
      });
      const { chat } = await startChat({ store, plugins: [digest] });
      await chat.ready();
    }
    // The process whose run holds the lock asks again only after it; the other keeps asking meanwhile.
    const before = [...asked];
    try {
      await waitFor(() => expect(Math.max(...asked.map((n, i) => n - before[i]!))).toBeGreaterThanOrEqual(3));
      expect(runs).toBe(1);
    } finally {
      release();
    }
    await waitFor(() => expect(runs).toBeGreaterThanOrEqual(3));
    expect(most).toBe(1);
  });
});
