import { builtInError } from '@chat/protocol';
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { AppendResult, MessageDraft } from '../../core/chat-store.js';
import { isSentQueryDeadline, isStorageDeadline } from '../../core/storage-unreachable.js';
import { LateAppends } from './late-appends.js';
import {
  APPEND_BATCH_SQL,
  APPEND_PLAIN_BATCH_SQL,
  appendBatchParams,
  appendBatchSql,
  appendKey,
  appendRow,
  unstorable,
  type AppendRow,
} from './append-batch-sql.js';
import { messageColumns, toMessage, type MessageRow } from './message-sql.js';

/** How {@link GroupCommit} batches: rows per statement, and statements in flight at once. */
export interface GroupCommitLimits {
  /** At most this many appends in one statement (the rest wait for the next). */
  maxRows: number;
  /** At most this many batch statements in flight at once (each on a connection of the pool). */
  maxInFlight: number;
}

interface Waiting {
  draft: MessageDraft;
  /** The id the message gets if this append stores it. */
  id: string;
  row: AppendRow;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

// `parent`: a new reply's parent after the statement changed its summary (the columns as JSON).
type AnswerRow = MessageRow & { duplicate: boolean; parent: MessageRow | null };

function answerOf({ duplicate, parent, ...row }: AnswerRow, duplicateAnswer = duplicate): AppendResult {
  return { message: toMessage(row), duplicate: duplicateAnswer, ...(parent !== null && !duplicateAnswer && { parent: toMessage(parent) }) };
}

const UNIQUE_VIOLATION = '23505';
// Taken once: a test that fakes timers must not hold back what is stored.
const nextTurn = globalThis.setImmediate;

/**
 * Group commit of `appendMessage`: the appends that are ready in the same turn of the event loop
 * (across rooms and users) go to PostgreSQL as one statement (see append-batch-sql.ts), and each
 * sender is answered with its own stored message or its own error once that statement committed.
 *
 * - Per-room order: a room's appends are stored in the order they were asked for. A room with a
 *   batch in flight is left out of the next batch until that one is answered, so two batches of
 *   this process never hold the same room.
 * - Idempotency: two appends with one (room, clientId) in a batch are stored once; the later one
 *   is answered as a duplicate of the first.
 * - A bad row never fails its neighbours: a row PostgreSQL is known to refuse is refused before it
 *   joins a batch (`VALIDATION_FAILED`); when a batch fails anyway (nothing of it is stored: it is
 *   one statement), each of its appends is tried again alone, so that only the bad one fails.
 */
export class GroupCommit {
  #pending: Waiting[] = [];
  /** Rooms with appends in a batch in flight. */
  readonly #busy = new Set<string>();
  #inFlight = 0;
  #scheduled = false;
  /**
   * Appends failed past a deadline. Such a batch may commit after all (PostgreSQL got it late),
   * with nobody told: the resend that finds that very row, or this process looking for it, has it
   * announced once after all (late-appends.ts).
   */
  readonly late: LateAppends;

  constructor(
    private readonly pool: pg.Pool,
    private readonly limits: GroupCommitLimits,
  ) {
    this.late = new LateAppends(pool);
  }

  /** Stores `draft` with the next appends of this turn; see {@link GroupCommit}. */
  append(draft: MessageDraft): Promise<AppendResult> {
    const id = randomUUID();
    const row = appendRow(draft, id);
    const problem = unstorable(row);
    if (problem) return Promise.reject(builtInError('VALIDATION_FAILED', problem));
    return new Promise((resolve, reject) => {
      this.#pending.push({ draft, id, row, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    nextTurn(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    while (this.#inFlight < this.limits.maxInFlight && this.#pending.length > 0) {
      const batch = this.#take();
      if (batch.length === 0) return;
      this.#inFlight += 1;
      void this.#commit(batch)
        // Not expected (#commit answers every append itself); an append answered already keeps its answer.
        .catch((error: unknown) => {
          for (const entry of batch) entry.reject(error);
        })
        .finally(() => {
          this.#inFlight -= 1;
          for (const entry of batch) this.#busy.delete(entry.draft.roomId);
          if (this.#pending.length > 0) this.#schedule();
        });
    }
  };

  /** The next batch: pending appends of rooms not in flight, oldest first, up to `maxRows`. */
  #take(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const taken = new Set<string>();
    for (const entry of this.#pending) {
      const room = entry.draft.roomId;
      const free = taken.has(room) || !this.#busy.has(room);
      if (free && batch.length < this.limits.maxRows) {
        batch.push(entry);
        taken.add(room);
      } else {
        rest.push(entry);
      }
    }
    for (const room of taken) this.#busy.add(room);
    this.#pending = rest;
    return batch;
  }

  async #commit(batch: Waiting[]): Promise<void> {
    // One row per (room, clientId); the later appends with the same key are answered from it.
    const first = new Map<string, Waiting>();
    const later: [Waiting, Waiting][] = [];
    for (const entry of batch) {
      const key = appendKey(entry.draft.roomId, entry.draft.clientId);
      const earlier = first.get(key);
      if (earlier) later.push([entry, earlier]);
      else first.set(key, entry);
    }
    let rows: AnswerRow[];
    try {
      rows = (await this.pool.query<AnswerRow>(batchQuery([...first.values()].map((e) => e.row)))).rows;
    } catch (error) {
      // PostgreSQL did not answer in time (the pool closed that connection), or no connection was
      // free or made in time: every sender is told now, none acked. A sent batch may still commit
      // (one statement); a resend with the same clientId then finds it, and the batch is looked for
      // (#failedLate). Each alone would only wait as long again, one after another.
      if (isStorageDeadline(error)) {
        for (const entry of first.values()) this.#failedLate(entry, error);
        for (const entry of batch) entry.reject(error);
        return;
      }
      // Nothing of the batch was stored (one statement), or all of it (a connection lost after
      // the commit): each append alone finds out which, and answers for itself.
      await this.#oneByOne(batch);
      return;
    }
    const answers = new Map<string, AppendResult>();
    for (const row of rows) {
      const key = appendKey(row.room_id, row.client_id);
      answers.set(key, answerOf(row, !this.late.storedLate(key, row.id) && row.duplicate));
    }
    for (const [key, entry] of first) {
      const answer = answers.get(key);
      if (answer) entry.resolve(answer);
      else entry.reject(builtInError('ROOM_NOT_FOUND', `There is no room "${entry.draft.roomId}".`));
    }
    for (const [entry, earlier] of later) {
      const answer = answers.get(appendKey(earlier.draft.roomId, earlier.draft.clientId));
      if (answer) entry.resolve({ message: answer.message, duplicate: true });
      else entry.reject(builtInError('ROOM_NOT_FOUND', `There is no room "${entry.draft.roomId}".`));
    }
  }

  /** Each append of a failed batch alone: rooms side by side, each room's appends in order. */
  async #oneByOne(batch: Waiting[]): Promise<void> {
    const byRoom = new Map<string, Waiting[]>();
    for (const entry of batch) {
      const room = byRoom.get(entry.draft.roomId);
      if (room) room.push(entry);
      else byRoom.set(entry.draft.roomId, [entry]);
    }
    await Promise.all(
      [...byRoom.values()].map(async (entries) => {
        // Past a deadline, the room's next appends are told the same at once (no wait per append).
        let late: unknown;
        for (const entry of entries) {
          if (late !== undefined) {
            entry.reject(late);
            continue;
          }
          try {
            entry.resolve(await this.#appendAlone(entry));
          } catch (error) {
            if (isStorageDeadline(error)) {
              late = error;
              this.#failedLate(entry, error);
            }
            entry.reject(storeError(error));
          }
        }
      }),
    );
  }

  /** Remembered as possibly stored late, unless the deadline was met before the batch was sent. */
  #failedLate(entry: Waiting, error: unknown): void {
    if (!isSentQueryDeadline(error)) return;
    this.late.failed(entry.draft.roomId, entry.draft.clientId, entry.id);
  }

  async #appendAlone(entry: Waiting): Promise<AppendResult> {
    const { roomId, clientId } = entry.draft;
    try {
      const { rows } = await this.pool.query<AnswerRow>(batchQuery([entry.row]));
      const found = rows[0];
      if (!found) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
      // Found with the id this append gave it: stored by the failed batch (its answer was lost).
      const key = appendKey(roomId, clientId);
      return answerOf(found, !this.late.storedLate(key, found.id) && found.duplicate && found.id !== entry.id);
    } catch (error) {
      // Stored meanwhile by another process with the same clientId: that one is the message.
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      const { rows } = await this.pool.query<MessageRow>(
        `SELECT ${messageColumns('m')} FROM chat_messages m WHERE m.room_id = $1 AND m.client_id = $2`,
        [roomId, clientId],
      );
      if (!rows[0]) throw error;
      return { message: toMessage(rows[0]), duplicate: true };
    }
  }
}

// Named statements: each connection plans each once (planning the batch costs about as much as
// running a batch of ten). The name changes with the SQL: pg refuses one name for two texts.
const statementName = (sql: string): string => `chat_append_batch_${createHash('sha256').update(sql).digest('hex').slice(0, 12)}`;
const STATEMENT_NAMES = new Map([APPEND_BATCH_SQL, APPEND_PLAIN_BATCH_SQL].map((sql) => [sql, statementName(sql)]));
const batchQuery = (rows: readonly AppendRow[]): pg.QueryConfig => {
  const text = appendBatchSql(rows);
  return { name: STATEMENT_NAMES.get(text), text, values: appendBatchParams(rows) };
};

// PostgreSQL's refusals of a value (data exceptions, class 22; a value too large for an index,
// 54000) are the sender's bad input; anything else is passed on as it is.
function storeError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('22') || code === '54000'))
    return builtInError('VALIDATION_FAILED', `The message cannot be stored: ${(error as Error).message}`);
  return error;
}
