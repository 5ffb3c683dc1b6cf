import { ChatError, type ChatErrorOptions, type ErrorCode } from './errors.js';

/**
 * An error in the toolkit's own words, which are English: it carries `lang: 'en'`, so that a client
 * showing another language may say its code in its own words (the widget's `strings.errors`).
 * Errors a host's hooks throw are the host's, in its language (`lang` as it gives it), and are sent
 * as they are.
 * @example throw builtInError('ROOM_NOT_FOUND', `There is no room "${id}".`);
 */
export function builtInError(code: ErrorCode, message: string, options: ChatErrorOptions = {}): ChatError {
  return new ChatError(code, message, { lang: 'en', ...options });
}
