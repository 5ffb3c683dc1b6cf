import type { PresenceStatus } from '@chat/protocol';

/** A status as the user shows it to others. */
export interface StatusChoice {
  status: PresenceStatus;
  /** What the user says about it ("In a meeting until 3"). */
  text?: string;
}

/** How the keeper sends a status and hears of trouble. */
export interface StatusKeeperHooks {
  /** `presence:status`. */
  send(status: StatusChoice): Promise<void>;
  /** A status the keeper sent by itself (auto-away, after a reconnect) was refused. */
  failed(error: unknown): void;
  /** What others see changed. */
  changed(status: StatusChoice): void;
}

/**
 * The user's status: the one they chose (`client.setStatus`), shown as `away` while every tab is
 * idle or hidden (auto-away) unless they chose `busy` or `away` themselves. Sent one at a time
 * (the latest wins), and again after a reconnect (the server forgets a status when the user's
 * last connection goes).
 */
export class StatusKeeper {
  #chosen: StatusChoice = { status: 'online' };
  #inactive = false;
  /** What the server has from this client on this connection (a key of {@link shown}), if known. */
  #sent: string | undefined = key({ status: 'online' });
  #queue: Promise<void> = Promise.resolve();

  readonly #hooks: StatusKeeperHooks;

  constructor(hooks: StatusKeeperHooks) {
    this.#hooks = hooks;
  }

  /** The status others see: the chosen one, or `away` while auto-away applies. */
  get shown(): StatusChoice {
    if (!this.#inactive || this.#chosen.status !== 'online') return this.#chosen;
    return this.#chosen.text === undefined ? { status: 'away' } : { status: 'away', text: this.#chosen.text };
  }

  /** The user chose a status here: sent now; a refusal puts the previous one back and rejects. */
  async choose(status: PresenceStatus, text: string | undefined): Promise<void> {
    const previous = this.#chosen;
    const chosen = choice(status, text);
    this.#set(() => (this.#chosen = chosen));
    try {
      await this.#push();
    } catch (error) {
      if (this.#chosen === chosen) this.#set(() => (this.#chosen = previous));
      throw error;
    }
  }

  /** The user chose a status in another tab, which sent it: kept here without sending. */
  adopt(status: PresenceStatus, text: string | undefined): void {
    this.#set(() => (this.#chosen = choice(status, text)));
    this.#sent = key(this.shown);
  }

  /** Auto-away: every tab is idle or hidden (or one is in use again). */
  inactive(inactive: boolean): void {
    this.#set(() => (this.#inactive = inactive));
    this.#push().catch((error: unknown) => this.#hooks.failed(error));
  }

  /** A new connection: the server knows no status from it yet. */
  connected(): void {
    this.#sent = undefined;
    // A plain `online` is what a new connection starts with.
    if (key(this.shown) === key({ status: 'online' })) this.#sent = key(this.shown);
    else this.#push().catch((error: unknown) => this.#hooks.failed(error));
  }

  #set(change: () => void): void {
    const before = key(this.shown);
    change();
    if (key(this.shown) !== before) this.#hooks.changed(this.shown);
  }

  // One send at a time; each sends what is shown when its turn comes, unless the server has it
  // (an earlier turn sent it already).
  #push(): Promise<void> {
    const turn = this.#queue.then(async () => {
      const shown = this.shown;
      if (key(shown) === this.#sent) return;
      await this.#hooks.send(shown);
      this.#sent = key(shown);
    });
    this.#queue = turn.catch(() => undefined);
    return turn;
  }
}

function choice(status: PresenceStatus, text: string | undefined): StatusChoice {
  const trimmed = text?.trim();
  return trimmed ? { status, text: trimmed } : { status };
}

function key(status: StatusChoice): string {
  return `${status.status}\n${status.text ?? ''}`;
}
