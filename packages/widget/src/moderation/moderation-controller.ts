import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatError, ChatRoom, Member, MemberRole } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';

/** What a moderator does to a person after a question: kick, ban or mute. */
export type MemberAction = 'kick' | 'ban' | 'mute';

/** How long a ban or mute lasts. */
export type Duration = 'hour' | 'day' | 'ever';

/** The question open in a person's card. */
export interface ModerationForm {
  userId: string;
  name: string;
  action: MemberAction;
}

const HOUR_MS = 3_600_000;

/** When a ban or mute of `duration` chosen at `now` ends (absent: until lifted). */
export function untilFor(duration: Duration, now = Date.now()): Date | undefined {
  return duration === 'ever' ? undefined : new Date(now + (duration === 'hour' ? HOUR_MS : 24 * HOUR_MS));
}

/** Slow mode choices in the room menu, in milliseconds (0: off). */
export const SLOW_MODES = [0, 10_000, 30_000, 60_000, 300_000] as const;

/** What moderation needs of `<chat-room>`. */
export interface ModerationHost {
  element: ReactiveControllerHost & { readonly renderRoot: ParentNode };
  room(): ChatRoom | undefined;
  strings(): ChatStrings;
  lang(): string;
  fail(error: ChatError): void;
}

/**
 * What a moderator does in the widget: a person's actions (their card's "Moderation"), the question before a kick, ban or mute (in the person's
 * card), lifting a mute or a ban, roles (owners), and the room menu (freeze, slow mode). Every
 * request's refusal goes to `fail` (a `chat-error` and the banner).
 */
export class ModerationController implements ReactiveController {
  /** The question open in a card. */
  form: ModerationForm | undefined;
  /** The room menu is open. */
  menuOpen = false;
  /** The person whose actions are shown. */
  card: string | undefined;
  /** People banned from this widget since it joined, who can be let back from the room menu. */
  readonly banned = new Map<string, string>();
  readonly #host: ModerationHost;
  #focus: string | undefined;

  constructor(host: ModerationHost) {
    this.#host = host;
    host.element.addController(this);
  }

  hostUpdated(): void {
    const selector = this.#focus;
    this.#focus = undefined;
    if (selector) this.#host.element.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** Shows or hides the actions on `member`. */
  toggleCard(member: Member): void {
    this.form = undefined;
    this.card = this.card === member.id ? undefined : member.id;
    this.#refocus(this.card ? '.moderate button' : undefined);
  }

  /** Opens the question of `action` on `member`, focus on its first field. */
  ask(member: Member, action: MemberAction): void {
    this.form = { userId: member.id, name: member.name, action };
    this.#refocus('.moderate-form input, .moderate-form button');
  }

  /** Closes the question, focus back on the action that opened it. */
  cancel(): void {
    const action = this.form?.action;
    this.form = undefined;
    this.#refocus(action ? `.act-${action}` : undefined);
  }

  /** Does what the question asked. */
  confirm(duration: Duration, reason: string): void {
    const form = this.form;
    const room = this.#host.room();
    if (!form || !room) return;
    this.form = undefined;
    const why = reason.trim() ? { reason: reason.trim() } : {};
    const until = untilFor(duration);
    const options = { ...why, ...(until && { until }) };
    const done =
      form.action === 'kick'
        ? room.kick(form.userId, why)
        : form.action === 'ban'
          ? room.ban(form.userId, options).then(() => void this.banned.set(form.userId, form.name))
          : room.mute(form.userId, options);
    this.#run(done);
  }

  unmute(member: Member): void {
    this.#run(this.#host.room()?.unmute(member.id));
  }

  unban(userId: string): void {
    this.#run(
      this.#host
        .room()
        ?.unban(userId)
        .then(() => void this.banned.delete(userId)),
    );
  }

  setRole(member: Member, role: MemberRole): void {
    this.#run(this.#host.room()?.setRole(member.id, role));
  }

  toggleMenu(): void {
    this.menuOpen = !this.menuOpen;
    this.#refocus(this.menuOpen ? '#moderation input' : '.moderate-room');
  }

  closeMenu(): void {
    this.menuOpen = false;
    this.#refocus('.moderate-room');
  }

  setFrozen(frozen: boolean): void {
    this.#run(this.#host.room()?.moderate({ frozen }));
  }

  setSlowMode(slowModeMs: number): void {
    this.#run(this.#host.room()?.moderate({ slowModeMs }));
  }

  /** Another room is shown: nothing stays open, and its bans are not this room's. */
  reset(): void {
    this.form = undefined;
    this.menuOpen = false;
    this.card = undefined;
    this.banned.clear();
  }

  #run(request: Promise<unknown> | undefined): void {
    this.#host.element.requestUpdate();
    request?.then(
      () => this.#host.element.requestUpdate(),
      (error: ChatError) => this.#host.fail(error),
    );
  }

  #refocus(selector: string | undefined): void {
    this.#focus = selector;
    this.#host.element.requestUpdate();
  }
}
