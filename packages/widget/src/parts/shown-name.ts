import { ERASED_USER_ID, type UserRef } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/** The name the widget shows for `user`: an erased person's ("Deleted user") in the widget's language. */
export function shownName(user: Pick<UserRef, 'id' | 'name'>, strings: Pick<ChatStrings, 'deletedUser'>): string {
  return user.id === ERASED_USER_ID ? strings.deletedUser : user.name;
}
