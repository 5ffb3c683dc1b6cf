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
    },
    'Each attachment must be an object with url and type.',
  );
}
