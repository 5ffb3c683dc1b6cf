import type { UserRef } from '@chat/client';

// The people of a direct room as this browser has seen them. The server's list of conversations
// says which rooms are direct, not who is in them (a direct room's id is a hash of its members),
// so the widget remembers who it saw there: the person a private conversation was opened with,
// senders of its messages, people present in it. Kept in localStorage when it works, so a reload
// still names the room.
const KEY = 'chat-dm:';
const known = new Map<string, UserRef[]>();

/** The other people of the direct room `roomId` that this browser knows (none: not known). */
export function peopleOf(roomId: string): UserRef[] {
  let people = known.get(roomId);
  if (!people) {
    try {
      people = JSON.parse(localStorage.getItem(KEY + roomId) ?? '[]') as UserRef[];
    } catch {
      people = [];
    }
    known.set(roomId, people);
  }
  return people;
}

/** Remembers `users` (yourself, `selfId`, left out) as people of the direct room `roomId`. */
export function learnPeople(roomId: string, users: readonly UserRef[], selfId?: string): void {
  const people = peopleOf(roomId);
  let changed = false;
  for (const { id, name, avatarUrl } of users) {
    const at = people.findIndex((p) => p.id === id);
    if (id === selfId || people[at]?.name === name) continue;
    people.splice(at < 0 ? people.length : at, 1, avatarUrl ? { id, name, avatarUrl } : { id, name });
    changed = true;
  }
  if (!changed) return;
  try {
    localStorage.setItem(KEY + roomId, JSON.stringify(people));
  } catch {
    /* storage off: known for this page only */
  }
}
