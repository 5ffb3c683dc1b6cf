// The payload of `message:pin` and `message:unpin`, checked by the pins plugin before it runs
// (a mismatch is `VALIDATION_FAILED` naming the field).
import { idSchema, plainObject } from '../schema-parts.js';
import { ID_LIMITS } from '../limits.js';

/**
 * Schema of `PinPayload` (a valibot schema, so a Standard Schema too). Made when asked, not when
 * the module loads: a bundle that never checks a pin (the widget's) leaves it out.
 */
export function pinPayloadSchema() {
  return plainObject(
    { roomId: idSchema('roomId', ID_LIMITS.roomId), messageId: idSchema('messageId', ID_LIMITS.messageId) },
    'The payload must be an object with roomId and messageId.',
  );
}
