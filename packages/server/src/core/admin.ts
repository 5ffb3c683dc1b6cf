import type { ChatUser } from '@chat/protocol';

/** Whether the user has the `admin` role (from `authenticate`): moderates every room, and may manage people's data. */
export function isAdmin(user: Pick<ChatUser, 'roles'>): boolean {
  return Array.isArray(user.roles) && user.roles.includes('admin');
}
