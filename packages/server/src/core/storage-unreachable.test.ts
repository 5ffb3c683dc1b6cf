import { describe, expect, it } from 'vitest';
import { ChatError, builtInError } from '@chat/protocol';
import { STORAGE_UNREACHABLE_MESSAGE, isStorageUnreachable, requestError } from './storage-unreachable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('storage that cannot be reached', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ["pg's query deadline", new Error('Query read timeout')],
    ["pg-pool's connect deadline", new Error('timeout exceeded when trying to connect')],
    ["pg's connect deadline", new Error('Connection terminated due to connection timeout')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['PostgreSQL shutting down', withCode('57P01', 'terminating connection due to administrator command')],
    ['PostgreSQL starting', withCode('57P03', 'the database system is starting up')],
    ['too many connections', withCode('53300', 'sorry, too many clients already')],
    ['a connection exception (class 08)', withCode('08006', 'connection failure')],
  ])('%s is told in a sentence, its cause kept', (_, error) => {
    expect(isStorageUnreachable(error)).toBe(true);
    const answer = requestError(error);
    expect(answer).toMatchObject({ code: 'INTERNAL', message: STORAGE_UNREACHABLE_MESSAGE });
    expect(answer.cause).toBe(error);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value')],
    ['a value too long', withCode('22001', 'value too long')],
    ['a plain bug', new TypeError('x is undefined')],
    ['a ChatError', builtInError('FORBIDDEN', 'No.')],
    ['not an error', 'text'],
  ])('%s is not', (_, error) => {
    expect(isStorageUnreachable(error)).toBe(false);
  });

  it('keeps a ChatError as it is, and anything else is the generic INTERNAL', () => {
    const refused = builtInError('FORBIDDEN', 'No.');
    expect(requestError(refused)).toBe(refused);
    const bug = requestError(new TypeError('x is undefined'));
    expect(bug).toBeInstanceOf(ChatError);
    expect(bug.code).toBe('INTERNAL');
    expect(bug.message).not.toBe(STORAGE_UNREACHABLE_MESSAGE);
  });
});
