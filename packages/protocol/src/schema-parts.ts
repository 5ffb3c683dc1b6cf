// The pieces the payload schemas (schemas.ts) are built of: patterns, checks and field schemas
// shared by several payloads.
import * as v from 'valibot';
import { ID_LIMITS } from './limits.js';

const ID_PATTERN = /^[A-Za-z0-9_.:@-]+$/u;
// What PostgreSQL cannot hold in text or jsonb: NUL, and half a UTF-16 pair (not valid UTF-8).
const UNSTORABLE = /[\u0000\p{Cs}]/u;
// Larger whole numbers lose precision in JavaScript (and 2**63 does not fit a bigint column).
const MAX_WHOLE = Number.MAX_SAFE_INTEGER;

/** The message of a payload that is not an object. */
export const payload = 'The payload must be an object.';

/** An object schema that refuses arrays (valibot's object() and record() accept them; no payload here is one). */
export function plainObject<const TEntries extends v.ObjectEntries>(entries: TEntries, message: string) {
  return v.pipe(notArray(message), v.object(entries, message));
}
function notArray(message: string) {
  return v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), message);
}

/** Schema of an id field: 1 to `max` letters, digits and . _ : @ -. */
export function idSchema(field: string, max: number) {
  return v.pipe(
    v.string(`${field} must be a string.`),
    v.minLength(1, `${field} must not be empty.`),
    v.maxLength(max, `${field} must be at most ${max} characters.`),
    v.regex(ID_PATTERN, `${field} may contain only letters, digits and . _ : @ -`),
  );
}

/** Schema of a whole number field from `min` up to the largest safe integer. */
export function seqSchema(field: string, min: number) {
  return v.pipe(
    v.number(`${field} must be a number.`),
    v.integer(`${field} must be a whole number.`),
    v.minValue(min, `${field} must be at least ${min}.`),
    v.maxValue(MAX_WHOLE, `${field} must be at most ${MAX_WHOLE}.`),
  );
}

/** C0 and C1 controls, line and paragraph separators, bidi overrides: not in a one-line status. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
// One emoji: pictographs, flags, keycaps, with their modifiers, variation selectors and joiners.
const EMOJI_PATTERN =
  /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|[#*0-9]\uFE0F?\u20E3|[\u200D\uFE0F\u20E3]|[\u{E0020}-\u{E007F}])+$/u;
const HAS_PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

/** Schema of a reaction emoji: one emoji, not free text. */
export function emojiSchema() {
  return v.pipe(
    v.string('emoji must be a string.'),
    v.minLength(1, 'emoji must not be empty.'),
    v.maxLength(ID_LIMITS.emoji, `emoji must be at most ${ID_LIMITS.emoji} characters (one emoji).`),
    v.check((e) => EMOJI_PATTERN.test(e) && HAS_PICTOGRAPH.test(e), 'emoji must be an emoji such as 👍, not text.'),
    v.check((e) => graphemes(e) === 1, 'emoji must be one emoji, not several.'),
  );
}

function graphemes(text: string): number {
  let count = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) count++;
  return count;
}

/** Refuses text a store cannot keep (NUL, unpaired surrogates); `what` starts the sentence. */
export function storable(what: string) {
  return v.check<string, string>((s) => !UNSTORABLE.test(s), `${what} cannot contain NUL characters or unpaired UTF-16 surrogates.`);
}

/** The same for every key and string inside a JSON value. */
function storableJson(what: string) {
  return v.check<Record<string, unknown>, string>(
    (m) => !hasUnstorableText(m),
    `${what} cannot contain NUL characters or unpaired UTF-16 surrogates, in keys or values.`,
  );
}

// valibot's record() drops these keys from its output (against prototype pollution): refuse
// them with a sentence instead, so that what was stored is what was given.
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];
function noReservedKeys(what: string) {
  return v.check<Record<string, unknown>, string>(
    (m) => !RESERVED_KEYS.some((key) => Object.hasOwn(m, key)),
    `${what} cannot use the keys __proto__, constructor or prototype.`,
  );
}

function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  return Object.entries(value).some(([k, item]) => UNSTORABLE.test(k) || hasUnstorableText(item));
}

/** A host's free-form JSON object (room metadata): bounded, storable, no prototype keys. */
export function jsonObjectSchema(field: string) {
  return v.pipe(
    notArray(`${field} must be a JSON object.`),
    noReservedKeys(field),
    v.record(v.string(), v.unknown(), `${field} must be a JSON object.`),
    v.check((m) => jsonSize(m) <= ID_LIMITS.metadataBytes, `${field} can be at most ${ID_LIMITS.metadataBytes} bytes of JSON.`),
    storableJson(field),
  );
}

function jsonSize(value: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(value)).length;
  } catch {
    return Number.POSITIVE_INFINITY; // cycles, BigInt: not JSON
  }
}
