// The SDK says why the microphone or camera could not be used in English (the call's ChatError
// keeps getUserMedia's DOMException as its cause); the widget says it in its own language.
import type { ChatError } from '@chat/client';
import { inOwnWords } from '../i18n/error-text.js';
import type { CallStrings, DeviceFailure } from './call-strings.js';

/** getUserMedia's DOMException names, as the SDK reads them (`call-media.ts`). */
const FAILURES: Readonly<Record<string, DeviceFailure>> = {
  NotAllowedError: 'blocked',
  SecurityError: 'blocked',
  NotFoundError: 'missing',
  OverconstrainedError: 'missing',
  NotReadableError: 'busy',
  AbortError: 'busy',
};

/** `error`, said with `strings.devicesFailed` when the devices failed; other errors as they are. */
export function saidDevices(error: ChatError, strings: CallStrings, video: boolean): ChatError {
  const name = (error.cause as { name?: unknown } | undefined)?.name;
  const why = typeof name === 'string' && Object.hasOwn(FAILURES, name) ? FAILURES[name] : undefined;
  return why ? inOwnWords(error, strings.devicesFailed(video, why)) : error;
}
