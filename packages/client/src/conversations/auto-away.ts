import type { PresenceStatus } from '@chat/protocol';
import { uuid } from '../core/uuid.js';

/** Options of the automatic `away` status (`ChatClientOptions.autoAway`). */
export interface AutoAwayOptions {
  /** A tab without keyboard, pointer or touch input for this long is idle. @default 300000 (5 minutes) */
  idleMs?: number;
  /** A tab hidden (another tab in front, the window minimized) for this long is idle too. @default 60000 */
  hiddenMs?: number;
  /** The page to watch, for tests or hosts without a global `document`. @default the page's document, window and BroadcastChannel */
  environment?: AwayEnvironment;
}

/** What auto-away needs of `document` (visibility, and the events of the user's input). */
export interface AwayDocument {
  readonly visibilityState: string;
  addEventListener(type: string, listener: () => void, options?: AddEventListenerOptions): void;
  removeEventListener(type: string, listener: () => void, options?: AddEventListenerOptions): void;
}

/** What auto-away needs of a `BroadcastChannel`. */
export interface AwayChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** Where auto-away runs: a page's document and a way to talk to the user's other tabs. */
export interface AwayEnvironment {
  document: AwayDocument;
  /** Where `pagehide` is heard (a closing tab says goodbye). */
  window?: Pick<AwayDocument, 'addEventListener' | 'removeEventListener'>;
  /** Opens a channel shared by the tabs of one user on one server; none: this tab decides alone. */
  channel?: (name: string) => AwayChannel | undefined;
}

/** A status the user chose, and when (the latest choice in any tab wins). */
interface Choice {
  status: PresenceStatus;
  text?: string;
  at: number;
}

/** What one tab tells the user's other tabs. */
type TabMessage =
  | { kind: 'hello'; tab: string }
  | { kind: 'state'; tab: string; active: boolean; chosen?: Choice }
  | { kind: 'bye'; tab: string }
  | { kind: 'chose'; tab: string; chosen: Choice };

/** What auto-away tells its owner. */
export interface AutoAwayHooks {
  /** Every tab of the user is idle or hidden (`true`), or one is in use again (`false`). */
  inactive(inactive: boolean): void;
  /** The user chose a status in another tab. */
  _chosenElsewhere(status: PresenceStatus, text: string | undefined): void;
}

const DEFAULT_IDLE_MS = 5 * 60_000;
const DEFAULT_HIDDEN_MS = 60_000;
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'scroll'] as const;
const LISTEN: AddEventListenerOptions = { capture: true, passive: true };

/**
 * Tells when every tab of the user is idle or hidden, and when one is in use again. Each tab
 * watches its own page (visibility, input) and, once it knows the user, shares its state with
 * the user's other tabs on a BroadcastChannel; a tab that stops saying it is active (closed,
 * crashed) is forgotten after a few heartbeats. Every tab tells its owner the same thing.
 */
export class AutoAway {
  readonly #tab = uuid();
  readonly #env: AwayEnvironment;
  readonly #hooks: AutoAwayHooks;
  readonly #idleMs: number;
  readonly #hiddenMs: number;
  readonly #beatMs: number;
  #lastInput = Date.now();
  #hiddenSince: number | undefined;
  /** This tab is in use (visible, recent input): its own part of the answer. */
  #active = true;
  /** What was last told: every tab is idle or hidden. */
  #inactive = false;
  /** Other tabs of the user, active or not, each until it is forgotten. */
  readonly #tabs = new Map<string, { active: boolean; until: number }>();
  #channel: AwayChannel | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #beat: ReturnType<typeof setInterval> | undefined;
  #stopped = false;
  #chosen: Choice | undefined;

  constructor(env: AwayEnvironment, options: AutoAwayOptions, hooks: AutoAwayHooks) {
    this.#env = env;
    this.#hooks = hooks;
    this.#idleMs = Math.max(options.idleMs ?? DEFAULT_IDLE_MS, 1);
    this.#hiddenMs = Math.max(options.hiddenMs ?? DEFAULT_HIDDEN_MS, 0);
    this.#beatMs = Math.min(Math.max(Math.floor(this.#idleMs / 2), 1000), 60_000);
    if (env.document.visibilityState === 'hidden') this.#hiddenSince = Date.now();
    for (const type of INPUT_EVENTS) env.document.addEventListener(type, this.#onInput, LISTEN);
    env.document.addEventListener('visibilitychange', this.#onVisibility);
    env.window?.addEventListener('pagehide', this.#onPageHide);
    this.#check();
  }

  /** Every tab of the user is idle or hidden now. */
  get inactive(): boolean {
    return this.#inactive;
  }

  /** The user is known (from a join): from now on this tab agrees with the user's other tabs. */
  identify(server: string, userId: string): void {
    if (this.#channel || this.#stopped || !this.#env.channel) return;
    const channel = this.#env.channel(`chat-away:${server}#${userId}`);
    if (!channel) return;
    this.#channel = channel;
    channel.addEventListener('message', (event) => this.#onMessage(event.data));
    this.#post({ kind: 'hello', tab: this.#tab });
    this.#postState();
    this.#beat = setInterval(() => {
      this.#postState();
      this.#decide();
    }, this.#beatMs);
  }

  /** The user chose a status in this tab: the other tabs keep to it. */
  chose(status: PresenceStatus, text: string | undefined): void {
    this.#chosen = { status, ...(text !== undefined && { text }), at: Date.now() };
    this.#post({ kind: 'chose', tab: this.#tab, chosen: this.#chosen });
  }

  /** Stops watching; the other tabs forget this one. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const type of INPUT_EVENTS) this.#env.document.removeEventListener(type, this.#onInput, LISTEN);
    this.#env.document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#env.window?.removeEventListener('pagehide', this.#onPageHide);
    clearTimeout(this.#timer);
    clearInterval(this.#beat);
    this.#post({ kind: 'bye', tab: this.#tab });
    this.#channel?.close();
    this.#channel = undefined;
  }

  readonly #onInput = (): void => {
    this.#lastInput = Date.now();
    // Only a change of state costs more than a timestamp (pointermove fires often).
    if (!this.#active && this.#hiddenSince === undefined) this.#check();
  };

  readonly #onVisibility = (): void => {
    if (this.#env.document.visibilityState === 'hidden') {
      this.#hiddenSince ??= Date.now();
    } else {
      this.#hiddenSince = undefined;
      // Coming back to the page is the user's doing.
      this.#lastInput = Date.now();
    }
    this.#check();
  };

  readonly #onPageHide = (): void => {
    this.#post({ kind: 'bye', tab: this.#tab });
  };

  // Works out this tab's own state, tells the other tabs when it changed, and sets the timer
  // for the next change (the moment it would turn idle).
  #check(): void {
    if (this.#stopped) return;
    const now = Date.now();
    const idleAt = this.#lastInput + this.#idleMs;
    const hiddenAt = this.#hiddenSince === undefined ? Infinity : this.#hiddenSince + this.#hiddenMs;
    const changeAt = Math.min(idleAt, hiddenAt);
    const active = now < changeAt;
    clearTimeout(this.#timer);
    if (active) this.#timer = setTimeout(() => this.#check(), changeAt - now);
    if (active !== this.#active) {
      this.#active = active;
      this.#postState();
    }
    this.#decide();
  }

  #onMessage(data: unknown): void {
    if (this.#stopped || !isTabMessage(data) || data.tab === this.#tab) return;
    switch (data.kind) {
      case 'hello':
        this.#postState();
        break;
      case 'state':
        this.#tabs.set(data.tab, { active: data.active === true, until: Date.now() + 3 * this.#beatMs });
        this.#adopt(data.chosen);
        break;
      case 'bye':
        this.#tabs.delete(data.tab);
        break;
      case 'chose':
        this.#adopt(data.chosen);
        return;
    }
    this.#decide();
  }

  // A choice made in another tab, newer than this tab's: this tab keeps to it too.
  #adopt(chosen: Choice | undefined): void {
    if (!isChoice(chosen) || (this.#chosen && this.#chosen.at >= chosen.at)) return;
    this.#chosen = chosen;
    this.#hooks._chosenElsewhere(chosen.status, chosen.text);
  }

  #postState(): void {
    this.#post({ kind: 'state', tab: this.#tab, active: this.#active, ...(this.#chosen && { chosen: this.#chosen }) });
  }

  // The user is inactive when this tab is and no other tab heard from lately is active.
  #decide(): void {
    const now = Date.now();
    let active = this.#active;
    for (const [tab, state] of this.#tabs) {
      if (state.until <= now) this.#tabs.delete(tab);
      else if (state.active) active = true;
    }
    if (active === !this.#inactive) return;
    this.#inactive = !active;
    this.#hooks.inactive(this.#inactive);
  }

  #post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A channel closed under us (the page is going away): the others forget this tab.
    }
  }
}

function isChoice(value: unknown): value is Choice {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    (c['status'] === 'online' || c['status'] === 'away' || c['status'] === 'busy') &&
    typeof c['at'] === 'number' &&
    (c['text'] === undefined || typeof c['text'] === 'string')
  );
}

function isTabMessage(data: unknown): data is TabMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return typeof m['tab'] === 'string' && (m['kind'] === 'hello' || m['kind'] === 'state' || m['kind'] === 'bye' || m['kind'] === 'chose');
}

/**
 * The auto-away of a client's `autoAway` option (this module is loaded when the user is first
 * known, `auto-away-start.ts`): none when it is `false` or outside a browser page (no environment
 * given, no `document`).
 */
export function startAutoAway(option: boolean | AutoAwayOptions | undefined, hooks: AutoAwayHooks): AutoAway | undefined {
  if (option === false) return undefined;
  const options = typeof option === 'object' ? option : {};
  const env = options.environment ?? pageEnvironment();
  if (!env) return undefined;
  return new AutoAway(env, options, hooks);
}

/** The page's environment, or `undefined` where there is no page (Node, workers). */
function pageEnvironment(): AwayEnvironment | undefined {
  if (typeof document === 'undefined' || typeof document.addEventListener !== 'function') return undefined;
  const env: AwayEnvironment = { document };
  if (typeof window !== 'undefined') env.window = window;
  if (typeof BroadcastChannel === 'function') env.channel = (name) => new BroadcastChannel(name);
  return env;
}
