import { builtInError, ID_LIMITS } from '@chat/protocol';

/** A user id as the person's-data calls take it: `VALIDATION_FAILED` for anything else. */
export function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId === '' || userId.length > ID_LIMITS.userId)
    throw builtInError('VALIDATION_FAILED', `Give a user id: a string of 1 to ${ID_LIMITS.userId} characters.`);
  return userId;
}
