import * as v from 'valibot';
import { ID_LIMITS } from './limits.js';
import { plainObject, seqSchema, storable } from './schema-parts.js';

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

/** Schema of one attachment (built on call: nothing runs when the module loads, so bundles can drop it). */
export function createAttachmentSchema() {
  return plainObject(
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
    },
    'Each attachment must be an object with url and type.',
  );
}
