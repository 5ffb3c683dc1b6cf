import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import {
  chatErrorOf,
  isStorageDeadline,
  STORAGE_BUSY,
  STORAGE_UNREACHABLE,
  storageBusy,
  storageUnreachable,
} from './storage-unreachable.js';
import { freePort } from '../../../../test-support/process.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

// What pg answers when PostgreSQL cannot be reached, got for real where no PostgreSQL is needed.
async function refused(): Promise<unknown> {
  const client = new pg.Client({ host: '127.0.0.1', port: await freePort(), user: 'chat', database: 'chat' });
  return client.connect().then(
    () => undefined,
    (error: unknown) => error,
  );
}

const opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});

/** A server that takes the connection and never says a word: PostgreSQL frozen, or a network cut. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

describe('storageUnreachable', () => {
  it('says a refused connection in words a person understands, and keeps the error as cause', async () => {
    const error = await refused();
    const answer = storageUnreachable(error);
    expect(answer).toMatchObject({ code: 'INTERNAL', message: STORAGE_UNREACHABLE, retryable: true, lang: 'en' });
    expect(answer?.cause).toBe(error);
    expect(answer?.toJSON()).toEqual({ code: 'INTERNAL', message: STORAGE_UNREACHABLE, lang: 'en' });
  });

  it("knows pg's connect deadline, from a client and from a pool waiting for PostgreSQL", async () => {
    const port = await silentServer();
    const config = { host: '127.0.0.1', port, user: 'chat', database: 'chat', connectionTimeoutMillis: 20 };
    const fromClient = await new pg.Client(config).connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    const pool = new pg.Pool(config);
    const fromPool = await pool.query('SELECT 1').then(
      () => undefined,
      (error: unknown) => error,
    );
    await pool.end();
    expect(fromClient).toMatchObject({ message: 'timeout expired' });
    expect(fromPool).toMatchObject({ message: 'Connection terminated due to connection timeout' });
    for (const error of [fromClient, fromPool]) {
      expect(isStorageDeadline(error)).toBe(true);
      expect(storageUnreachable(error)?.message).toBe(STORAGE_UNREACHABLE);
    }
  });

  it("knows pg's query deadline and lost connections, and PostgreSQL's codes for being away or full", () => {
    const unreachable = [
      new Error('Query read timeout'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated'),
      new Error('Client has encountered a connection error and is not queryable'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('sorry, too many clients already', '53300'),
      withCode('connection failure', '08006'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      withCode('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND'),
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''),
      new Error('outer', { cause: withCode('connect ETIMEDOUT', 'ETIMEDOUT') }),
    ];
    for (const error of unreachable) expect(storageUnreachable(error), String(error)).toMatchObject({ message: STORAGE_UNREACHABLE });
    expect(isStorageDeadline(new Error('Query read timeout'))).toBe(true);
    expect(isStorageDeadline(new Error('Connection terminated unexpectedly'))).toBe(false);
  });

  it('leaves everything else alone: bad input, constraint errors, and a ChatError keeps its own words', () => {
    const others = [
      withCode('duplicate key value violates unique constraint', '23505'),
      withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021'),
      withCode('canceling statement due to lock timeout', '55P03'),
      new TypeError('Cannot read properties of undefined'),
      'a string',
      undefined,
    ];
    for (const error of others) expect(storageUnreachable(error), String(error)).toBeUndefined();
    const own = new ChatError('TIMEOUT', 'The room is busy.', { cause: new Error('Query read timeout') });
    expect(storageUnreachable(own)).toBeUndefined();
    expect(chatErrorOf(own)).toBe(own);
    expect(chatErrorOf(new TypeError('x'))).toMatchObject({
      code: 'INTERNAL',
      message: 'Something went wrong on the server. Please try again.',
    });
    expect(chatErrorOf(new Error('Query read timeout'))).toMatchObject({ code: 'INTERNAL', message: STORAGE_UNREACHABLE });
  });

  it('tells a pool with no free connection (PostgreSQL answering, the pool too small) from a storage out of reach', () => {
    // pg-pool's words when every connection stayed in use past connectionTimeoutMillis
    // (postgres-pool-busy.integration.test.ts gets them from a real pool).
    const exhausted = new Error('timeout exceeded when trying to connect');
    expect(storageUnreachable(exhausted)).toBeUndefined();
    const busy = chatErrorOf(exhausted);
    expect(busy).toMatchObject({ code: 'RATE_LIMITED', message: STORAGE_BUSY, retryAfter: 1000, retryable: true, lang: 'en' });
    expect(busy.cause).toBe(exhausted);
    expect(storageBusy(exhausted)?.toJSON()).toEqual({ code: 'RATE_LIMITED', message: STORAGE_BUSY, retryAfter: 1000, lang: 'en' });
    // A group commit that gives up on it fails its whole batch at once, as for the other deadlines.
    expect(isStorageDeadline(exhausted)).toBe(true);
    for (const other of [new Error('Query read timeout'), new Error('Connection terminated due to connection timeout'), new TypeError('x')])
      expect(storageBusy(other)).toBeUndefined();
  });
});
