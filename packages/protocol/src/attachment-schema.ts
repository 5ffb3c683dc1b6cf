import * as v from 'valibot';
import { DEFAULT_LIMITS, ID_LIMITS } from './limits.js';
import { plainObject, seqSchema, storable } from './schema-parts.js';
import { VOICE_TYPES, VOICE_WAVEFORM_MAX } from './voice.js';

const MIME_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/iu;

function httpUrlSchema() {
  return v.pipe(
    v.string('The attachment url must be a string.'),
    v.maxLength(ID_LIMITS.url, `Attachment URLs must be at most ${ID_LIMITS.url} characters.`),
    v.check((u) => /^https?:\/\//iu.test(u), 'Attachment URLs must start with http:// or https://.'),
    storable('Attachment URLs'),
    v.url('The attachment url is not a valid URL.'),
  );
}

const E2EE_IN_CLEAR =
  "This attachment carries an encrypted room's file key (e2ee), which goes only inside that room's encrypted messages: this message is not encrypted, so the key would be lost. Send the file in its encrypted room, or upload it again here.";

const WAVEFORM = `waveform must be a list of at most ${VOICE_WAVEFORM_MAX} whole numbers from 0 to 255.`;

/**
 * Schema of one attachment (built on call: nothing runs when the module loads, so bundles can drop
 * it). A voice attachment's `durationMs` is bounded by `maxVoiceMs` (the server's `limits.maxVoiceMs`).
 */
export function createAttachmentSchema(maxVoiceMs: number = DEFAULT_LIMITS.maxVoiceMs) {
  const attachment = plainObject(
    {
      url: httpUrlSchema(),
      type: v.pipe(
        v.string('The attachment type must be a MIME type string.'),
        v.maxLength(ID_LIMITS.mimeType, 'The attachment type is too long.'),
        v.regex(MIME_PATTERN, 'The attachment type must be a MIME type such as image/png.'),
      ),
      name: v.optional(
        v.pipe(
          v.string('The attachment name must be a string.'),
          v.maxLength(ID_LIMITS.attachmentName, `Attachment names must be at most ${ID_LIMITS.attachmentName} characters.`),
          storable('Attachment names'),
        ),
      ),
      size: v.optional(seqSchema('The attachment size', 0)),
      // An encrypted room's file key travels only inside its message's ciphertext, whose files the
      // server never sees: one in clear would be dropped by the object (and the file unreadable).
      e2ee: v.optional(v.never(E2EE_IN_CLEAR)),
      kind: v.optional(v.literal('voice', "kind must be 'voice' (a voice message) or absent.")),
      durationMs: v.optional(
        v.pipe(
          seqSchema('durationMs', 1),
          v.maxValue(
            maxVoiceMs,
            `durationMs must be at most ${maxVoiceMs}: voice messages can be at most ${maxVoiceMs / 1000} seconds long (limits.maxVoiceMs).`,
          ),
        ),
      ),
      // Bounded in length before each value is checked to be a whole number 0-255.
      waveform: v.optional(
        v.pipe(
          v.array(v.number(WAVEFORM), WAVEFORM),
          v.maxLength(VOICE_WAVEFORM_MAX, WAVEFORM),
          v.check((w) => w.every((x) => Number.isInteger(x) && x >= 0 && x <= 255), WAVEFORM),
        ),
      ),
    },
    'Each attachment must be an object with url and type.',
  );
  return v.pipe(
    attachment,
    v.check((a) => a.kind !== 'voice' || a.durationMs !== undefined, 'durationMs is missing: a voice attachment gives its length in ms.'),
    v.check(
      (a) => a.kind === 'voice' || (a.durationMs === undefined && a.waveform === undefined),
      "durationMs and waveform go with kind: 'voice' (a voice message).",
    ),
    v.check(
      (a) => a.kind !== 'voice' || (VOICE_TYPES as readonly string[]).includes(a.type.toLowerCase()),
      `A voice attachment's type must be ${VOICE_TYPES.join(', ')}.`,
    ),
  );
}
