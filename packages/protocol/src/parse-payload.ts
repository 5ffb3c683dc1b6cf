import * as v from 'valibot';
import type { ErrorCode } from './errors.js';
import { builtInError } from './built-in-error.js';

// Exceeding a size limit is PAYLOAD_TOO_LARGE (413), any other mismatch VALIDATION_FAILED.
const SIZE_FIELDS = new Set([
  'text',
  'attachments',
  'title',
  'mentions',
  'userIds',
  'invite',
  'data.description.sdp',
  'data.candidate.candidate',
]);

/**
 * Checks `input` against `schema`; returns the typed output or throws a ChatError whose
 * message names the field and says what is wrong.
 */
export function parsePayload<TSchema extends v.GenericSchema>(schema: TSchema, input: unknown): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return result.output;
  let issue: v.BaseIssue<unknown> = result.issues[0];
  let path = v.getDotPath(issue);
  // A union that matched one of its shapes but broke a rule inside it (a call signal's SDP too
  // long) names that rule, not the union: the inner issue, with its path below the union's.
  const inner = issue.type === 'union' ? issue.issues?.find((i) => i.kind === 'validation') : undefined;
  if (inner) {
    const below = v.getDotPath(inner);
    path = path !== null && below !== null ? `${path}.${below}` : (below ?? path);
    issue = inner;
  }
  const code: ErrorCode = issue.type === 'max_length' && path !== null && SIZE_FIELDS.has(path) ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
  // valibot reports a missing key with the object's own message; name the field instead.
  const missing = issue.type === 'object' && issue.input === undefined && issue.path?.at(-1)?.origin === 'key';
  throw builtInError(code, missing && path !== null ? `${path} is missing.` : issue.message);
}
