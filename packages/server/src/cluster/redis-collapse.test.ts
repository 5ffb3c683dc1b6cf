import { describe, expect, it } from 'vitest';
import { RedisCollapseClaims } from './redis-collapse.js';
import { ScriptRunner, type RedisCommander } from './redis-commands.js';

/** A Redis client that answers each command with `reply` (a promise: it may never settle). */
const client = (reply: () => Promise<unknown>): RedisCommander => ({ sendCommand: reply });

describe('RedisCollapseClaims when Redis cannot answer', () => {
  it('answers 0 (this process sends) when Redis fails, when it does not answer in time, and for a reply that is no number', async () => {
    const failing = new RedisCollapseClaims(new ScriptRunner(client(() => Promise.reject(new Error('ECONNREFUSED')))), 'chat:');
    expect(await failing.claim('u\nr', 5000)).toBe(0);
    const silent = new RedisCollapseClaims(new ScriptRunner(client(() => new Promise(() => undefined))), 'chat:', 10);
    expect(await silent.claim('u\nr', 5000)).toBe(0);
    const odd = new RedisCollapseClaims(new ScriptRunner(client(() => Promise.resolve('OK'))), 'chat:');
    expect(await odd.claim('u\nr', 5000)).toBe(0);
  });

  it('passes the window key (under the prefix) and its length to the script, and its answer back', async () => {
    const sent: string[][] = [];
    const claims = new RedisCollapseClaims(
      new ScriptRunner({
        sendCommand: (args) => {
          sent.push(args);
          return Promise.resolve(1234);
        },
      }),
      'app:',
    );
    expect(await claims.claim('u\nr', 5000)).toBe(1234);
    expect(sent[0]?.slice(2)).toEqual(['1', 'app:push:u\nr', '5000']);
  });
});
