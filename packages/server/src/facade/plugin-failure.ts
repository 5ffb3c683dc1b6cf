// What a plugin threw, as the server reports it on chat.on('error'): in words an operator reads in
// a log, not "Something went wrong" with the reason hidden in `cause`.
import { builtInError, ChatError } from '@chat/protocol';
import { storageBusy, storageUnreachable } from '../core/storage-unreachable.js';

/**
 * A `ChatError` as it is, a storage that is busy or cannot be reached in the server's words for it,
 * anything else `INTERNAL` naming the plugin, what failed (`failed to start`) and the error's own
 * words; the error is kept as the cause.
 */
export function pluginFailure(name: string, what: string, error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  const storage = storageBusy(error) ?? storageUnreachable(error);
  if (storage) return storage;
  let words = '';
  try {
    words = error instanceof Error ? error.message : typeof error === 'string' ? error : (JSON.stringify(error) ?? '');
  } catch {
    // A value JSON cannot write (a BigInt, a cycle): the cause still holds it.
  }
  return builtInError('INTERNAL', `The plugin "${name}" ${what}${words ? `: ${words}` : '.'}`, { cause: error });
}
