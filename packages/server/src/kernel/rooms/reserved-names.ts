import { builtInError, type UserRef } from '@chat/protocol';
import { nameSkeleton } from '../../core/name-skeleton.js';

/** The name the server's own messages carry (a command without a bot), reserved from the start. */
export const SERVER_NAME = 'Server';

/**
 * Display names no person may take in any room: the server's own (`Server`) and the names of
 * this process's bots, compared as `NAME_TAKEN` compares names (case, look-alike letters and
 * invisible characters folded). Without it a guest could call themselves "Server", or take a
 * bot's name in a room the bot had not joined yet, and the bot's next join there would fail.
 */
export class ReservedNames {
  /** Name skeleton -> who holds it (ids of bots; `server`). */
  readonly #holders = new Map<string, Set<string>>();

  constructor() {
    this.reserve(SERVER_NAME, 'server');
  }

  /** `holder` (a bot id) uses `name`: people may not. */
  reserve(name: string, holder: string): void {
    const key = nameSkeleton(name);
    const holders = this.#holders.get(key) ?? new Set<string>();
    holders.add(holder);
    this.#holders.set(key, holders);
  }

  /** `holder` no longer uses `name` (a bot closed); it stays reserved while another holds it. */
  release(name: string, holder: string): void {
    const key = nameSkeleton(name);
    const holders = this.#holders.get(key);
    if (!holders?.delete(holder) || holders.size > 0) return;
    this.#holders.delete(key);
  }

  /** `NAME_TAKEN` for a person whose name looks like a reserved one; bots pass. */
  check(user: UserRef): void {
    if (user.bot === true || !this.#holders.has(nameSkeleton(user.name))) return;
    throw builtInError(
      'NAME_TAKEN',
      `"${user.name}" is the name of this chat's own messages or of one of its bots. Please choose another name.`,
    );
  }
}
