import { ERASED_USER_ID, type UserRef } from '@chat/client';

// The people of a direct room. The server's list of conversations names them (`members` of a
// direct room's summary); besides, the widget remembers who it saw there (the person a private
// conversation was opened with, senders of its messages, people present in it) for rooms the list
// does not hold yet or a server that does not name them. Kept in localStorage when it works, so a
// reload still names the room.
const KEY = 'chat-dm:';
const known = new Map<string, UserRef[]>();

/**
 * The other people of the direct room `roomId`: its `members` from the server with yourself
 * (`selfId`) left out when both are known, else those this browser has seen (none: not known).
 */
export function peopleOf(roomId: string, members?: readonly UserRef[], selfId?: string): UserRef[] {
  if (members && selfId !== undefined) {
    const others = members.filter((m) => m.id !== selfId);
    // Remembered too: the room keeps its name where the list is not at hand.
    learnPeople(roomId, others, selfId);
    return others;
  }
  return seen(roomId);
}

function seen(roomId: string): UserRef[] {
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
  const people = seen(roomId);
  let changed = false;
  for (const { id, name, avatarUrl } of users) {
    const at = people.findIndex((p) => p.id === id);
    // An erased person is nobody to name the room after (their placeholders name ERASED_USER_ID).
    if (id === selfId || id === ERASED_USER_ID || people[at]?.name === name) continue;
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
