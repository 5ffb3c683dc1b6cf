import { builtInError } from '@chat/protocol';
import type pg from 'pg';
import { isStorageDeadline } from '../../core/storage-unreachable.js';

/** A connection checked out of the pool, watched while it is out (see {@link checkOut}). */
export interface CheckedOut {
  client: pg.PoolClient;
  /** The error PostgreSQL or the network dropped the connection with while it was out, if it did. */
  lost: () => Error | undefined;
  /** Gives the connection back; one that broke while out (or `broken`) is ended, not reused. */
  release: (broken?: Error) => void;
}

/**
 * Checks a connection out of the pool with a listener for its `error` event while it is out.
 * pg's pool listens only to idle connections: a checked-out one that PostgreSQL drops between two
 * queries (a restart, `pg_terminate_backend`, a network cut) emits `error` with nobody listening,
 * which throws and ends the process. The next query on it then fails, and the caller's error path
 * runs as for any failed query; the connection is ended on release.
 */
export async function checkOut(pool: pg.Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error): void => {
    lost = error;
  };
  client.on('error', onError);
  return {
    client,
    lost: () => lost,
    release: (broken) => {
      client.removeListener('error', onError);
      client.release(broken ?? lost);
    },
  };
}

/**
 * Runs `work` in one transaction on a connection of the pool: committed if it resolves, rolled
 * back if it throws (and the error passed on; past a query deadline, by closing the connection).
 * A connection that cannot even roll back, or that PostgreSQL dropped meanwhile, is not given back
 * to the pool; a dropped one fails with `INTERNAL` (retryable) saying whether the work may have
 * been committed (only when it dropped during COMMIT).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const { client, release, lost } = await checkOut(pool);
  let broken: Error | undefined;
  let committing = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    committing = true;
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // Past a query deadline the connection still waits for that query's answer: a ROLLBACK would
    // wait behind it for a deadline more. It is closed instead, and PostgreSQL rolls back.
    if (isStorageDeadline(error)) broken = error as Error;
    else
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
    if (lost() === undefined) throw error;
    throw builtInError(
      'INTERNAL',
      committing
        ? 'The connection to the database was lost while a change was being committed: it may or may not be stored.'
        : 'The connection to the database was lost in the middle of a change: nothing of it was stored. Try again.',
      { cause: error },
    );
  } finally {
    release(broken);
  }
}
