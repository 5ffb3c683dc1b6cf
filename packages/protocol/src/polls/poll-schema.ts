// The payloads of `poll:create`, `poll:vote` and `poll:close`, checked by the polls plugin before it
// runs (a mismatch is `VALIDATION_FAILED` naming the field). Each schema is made when asked, not
// when the module loads: a bundle that never checks a poll (the widget's) leaves them out.
import * as v from 'valibot';
import { ID_LIMITS } from '../limits.js';
import { CONTROL, idSchema, plainObject, storable } from '../schema-parts.js';
import { POLL_LIMITS } from './poll.js';

// ISO 8601 as `Date.prototype.toISOString` writes it, or with an offset; a date alone is refused.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/u;
/** Furthest a poll may close by itself: a year ahead. */
const MAX_AHEAD_MS = 366 * 24 * 3_600_000;

function lineSchema(field: string, max: number) {
  return v.pipe(
    v.string(`${field} must be a string.`),
    v.check((s) => s.trim().length > 0, `${field} must not be empty.`),
    v.maxLength(max, `${field} must be at most ${max} characters.`),
    v.check((s) => !CONTROL.test(s), `${field} must be one line, without control characters.`),
    storable(field),
  );
}

const message = (event: string) => `The payload of ${event} must be an object.`;

/** Schema of `PollCreatePayload` (a valibot schema, so a Standard Schema too). */
export function pollCreatePayloadSchema() {
  return plainObject(
    {
      roomId: idSchema('roomId', ID_LIMITS.roomId),
      clientId: idSchema('clientId', ID_LIMITS.clientId),
      question: lineSchema('question', POLL_LIMITS.question),
      options: v.pipe(
        v.array(lineSchema('options', POLL_LIMITS.option), 'options must be an array of texts.'),
        v.minLength(POLL_LIMITS.minOptions, `options must have at least ${POLL_LIMITS.minOptions} entries.`),
        v.maxLength(POLL_LIMITS.maxOptions, `options must have at most ${POLL_LIMITS.maxOptions} entries.`),
        v.check((texts) => new Set(texts.map((t) => t.trim())).size === texts.length, 'options must not repeat a text.'),
      ),
      multiple: v.optional(v.boolean('multiple must be true or false.')),
      anonymous: v.optional(v.boolean('anonymous must be true or false.')),
      closesAt: v.optional(
        v.pipe(
          v.string('closesAt must be an ISO 8601 time.'),
          v.check((s) => ISO_TIME.test(s) && !Number.isNaN(Date.parse(s)), 'closesAt must be an ISO 8601 time (2030-01-31T18:00:00Z).'),
          v.check((s) => Date.parse(s) > Date.now(), 'closesAt must be in the future.'),
          v.check((s) => Date.parse(s) <= Date.now() + MAX_AHEAD_MS, 'closesAt must be within a year.'),
        ),
      ),
    },
    message('poll:create'),
  );
}

/** Schema of `PollVotePayload`. Whether the ids are the poll's options is the server's check. */
export function pollVotePayloadSchema() {
  return plainObject(
    {
      roomId: idSchema('roomId', ID_LIMITS.roomId),
      messageId: idSchema('messageId', ID_LIMITS.messageId),
      optionIds: v.pipe(
        v.array(idSchema('optionIds', 8), 'optionIds must be an array of option ids ([] withdraws the vote).'),
        v.maxLength(POLL_LIMITS.maxOptions, `optionIds must have at most ${POLL_LIMITS.maxOptions} entries.`),
        v.check((ids) => new Set(ids).size === ids.length, 'optionIds must not repeat an option.'),
      ),
    },
    message('poll:vote'),
  );
}

/** Schema of `PollClosePayload`. */
export function pollClosePayloadSchema() {
  return plainObject(
    { roomId: idSchema('roomId', ID_LIMITS.roomId), messageId: idSchema('messageId', ID_LIMITS.messageId) },
    message('poll:close'),
  );
}
