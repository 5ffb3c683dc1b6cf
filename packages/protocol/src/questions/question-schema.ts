// The payloads of the questions plugin's events, checked before it runs (a mismatch is
// `VALIDATION_FAILED` naming the field). Each schema is made when asked, not when the module
// loads: a bundle that never checks a question (the widget's) leaves them out.
import * as v from 'valibot';
import { ID_LIMITS } from '../limits.js';
import { CONTROL, idSchema, plainObject, seqSchema, storable } from '../schema-parts.js';
import { QUESTION_LIMITS } from './question.js';

const message = (event: string) => `The payload of ${event} must be an object.`;
const target = () => ({ roomId: idSchema('roomId', ID_LIMITS.roomId), messageId: idSchema('messageId', ID_LIMITS.messageId) });

/** Schema of `QuestionAskPayload` (a valibot schema, so a Standard Schema too). */
export function questionAskPayloadSchema() {
  return plainObject(
    {
      roomId: idSchema('roomId', ID_LIMITS.roomId),
      clientId: idSchema('clientId', ID_LIMITS.clientId),
      text: questionText('text'),
    },
    message('question:ask'),
  );
}

/** A question's or an answer's text: not blank, at most `QUESTION_LIMITS.text`, line breaks but no other control characters. */
function questionText(field: string) {
  return v.pipe(
    v.string(`${field} must be a string.`),
    v.check((s) => s.trim().length > 0, `${field} must not be empty.`),
    v.maxLength(QUESTION_LIMITS.text, `${field} must be at most ${QUESTION_LIMITS.text} characters.`),
    // Line breaks are allowed; other control characters are not.
    v.check((s) => !CONTROL.test(s.replaceAll('\n', '')), `${field} must not contain control characters other than line breaks.`),
    storable(field),
  );
}

/** Schema of `QuestionVotePayload` (`question:upvote`, `question:unvote`). */
export function questionVotePayloadSchema() {
  return plainObject(target(), message('question:upvote and question:unvote'));
}

/** Schema of `QuestionAnswerPayload`: `clientId` goes with `reply`, and a reply marks the question answered. */
export function questionAnswerPayloadSchema() {
  return v.pipe(
    plainObject(
      {
        ...target(),
        answered: v.optional(v.boolean('answered must be true or false.')),
        reply: v.optional(questionText('reply')),
        clientId: v.optional(idSchema('clientId', ID_LIMITS.clientId)),
      },
      message('question:answer'),
    ),
    v.check((p) => p.reply === undefined || p.clientId !== undefined, 'clientId is required with reply (it makes a resend safe).'),
    v.check((p) => p.reply === undefined || p.answered !== false, 'A reply answers the question: it cannot come with answered: false.'),
  );
}

/** Schema of `QuestionHidePayload`. */
export function questionHidePayloadSchema() {
  return plainObject({ ...target(), hidden: v.optional(v.boolean('hidden must be true or false.')) }, message('question:hide'));
}

/** Schema of `QuestionListPayload`. */
export function questionListPayloadSchema() {
  return plainObject(
    {
      roomId: idSchema('roomId', ID_LIMITS.roomId),
      sort: v.optional(v.picklist(['top', 'new'], "sort must be 'top' or 'new'.")),
      limit: v.optional(v.pipe(seqSchema('limit', 1), v.maxValue(QUESTION_LIMITS.list, `limit must be at most ${QUESTION_LIMITS.list}.`))),
      offset: v.optional(seqSchema('offset', 0)),
    },
    message('question:list'),
  );
}

/** Schema of `QuestionPendingPayload`. */
export function questionPendingPayloadSchema() {
  return plainObject({ roomId: idSchema('roomId', ID_LIMITS.roomId) }, message('question:pending'));
}

/** Schema of `QuestionReviewPayload`. */
export function questionReviewPayloadSchema() {
  return plainObject(
    {
      roomId: idSchema('roomId', ID_LIMITS.roomId),
      questionId: idSchema('questionId', ID_LIMITS.messageId),
      approve: v.boolean('approve must be true or false.'),
    },
    message('question:review'),
  );
}
