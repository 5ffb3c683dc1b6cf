import { builtInError, ID_LIMITS } from '@chat/protocol';
import type { ChatStore } from '../../core/chat-store.js';
import { storeLacks, withoutPart } from '../../core/complete-store.js';

/** A user id as the person's-data calls take it: `VALIDATION_FAILED` for anything else. */
export function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId === '' || userId.length > ID_LIMITS.userId)
    throw builtInError('VALIDATION_FAILED', `Give a user id: a string of 1 to ${ID_LIMITS.userId} characters.`);
  return userId;
}

/** Refuses (`FORBIDDEN`, naming the part) before anything is done, when the store has no `UserDataStore`. */
export function checkUserDataKept(store: ChatStore): void {
  if (storeLacks(store, 'userData')) throw builtInError('FORBIDDEN', withoutPart('userData'));
}
