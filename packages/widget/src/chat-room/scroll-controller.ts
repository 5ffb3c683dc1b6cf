import type { ReactiveControllerHost } from 'lit';
import type { ChatError, ChatRoom, Message, MessageWindow } from '@chat/client';

/** How many more messages are drawn each time the reader reaches the top. */
export const RENDER_STEP = 150;
const NEAR_EDGE_PX = 40;
/** The id of the first message drawn in the log (older ones drawn above it change it). */
const firstDrawn = (log: HTMLElement): string | undefined => log.querySelector<HTMLElement>('[role=article]')?.dataset['id'];

/** The element whose log scrolls: the state it draws the log with. */
export interface ScrollHost extends ReactiveControllerHost {
  readonly renderRoot: ParentNode;
  /** Messages that came below while the reader was up in the log. */
  _newBelow: number;
  /** How many of the loaded messages are drawn. */
  _renderLimit: number;
  _loadingOlder: boolean;
}

/** What the log draws now ({@link ScrollController._shown}). */
export interface LogShown {
  /** The history around a message found, when that is drawn instead of the newest messages. */
  window: MessageWindow | undefined;
  all: readonly Message[];
  /** The last `_renderLimit` of `all`: what is drawn. */
  messages: readonly Message[];
  /** Older messages can be loaded. */
  more: boolean;
  atBeginning: boolean;
}

/** What scrolling asks of the room view. */
export interface ScrollView {
  /** The room shown now. */
  room(): ChatRoom | undefined;
  fail(error: ChatError): void;
}

/**
 * The log's scrolling: it follows the newest messages while the reader is at the bottom, keeps
 * what the reader looks at in place when older messages are drawn above, draws (and loads) older
 * messages at the top, and leaves the bottom to show an older message. The element calls
 * `measure` before a render and `restore` after it (in that order with its own steps).
 */
export class ScrollController {
  /** The log is scrolled to its newest messages. */
  _atBottom = true;
  /** The next render goes to the bottom (the user sent, the room was joined). */
  _stick = false;
  readonly #host: ScrollHost;
  readonly #view: ScrollView;
  readonly #reads: { sync(): void };
  #anchor: { height: number; top: number; first: string | undefined } | undefined;
  /** An older message is being shown (a quote's original): its focus scrolls the list, which stays there. */
  #revealing = false;
  /** A part of the history away from the newest (around a message found), drawn instead of the room's until it reaches them. */
  #window: MessageWindow | undefined;

  constructor(host: ScrollHost, view: ScrollView, reads: { sync(): void }) {
    this.#host = host;
    this.#view = view;
    this.#reads = reads;
  }

  log(): HTMLElement | null {
    return this.#host.renderRoot?.querySelector<HTMLElement>('.log') ?? null;
  }

  /** The window drawn in `room` (see `_show`), if any. */
  _windowOf(room: ChatRoom | undefined): MessageWindow | undefined {
    return this.#window?.roomId === room?.id ? this.#window : undefined;
  }

  /**
   * What the log draws: the window around a message found, else the room's messages; of them the
   * last `_renderLimit`; whether older ones can be loaded, and whether the history's start is drawn.
   */
  _shown(room: ChatRoom | undefined): LogShown {
    const window = this._windowOf(room);
    const held = (window ?? room)?.messages ?? [];
    // A question a moderator hid (the questions() plugin) still comes, flagged: readers' logs leave it out.
    const all = room?.canModerate || !held.some((m) => m.question?.hidden) ? held : held.filter((m) => !m.question?.hidden);
    const limit = this.#host._renderLimit;
    const messages = all.length > limit ? all.slice(all.length - limit) : all;
    const more = window ? window.hasOlder : room?.hasMoreHistory === true;
    return { window, all, messages, more, atBeginning: room !== undefined && !more && messages.length === all.length };
  }

  /**
   * Draws `window` (the history around a message found) instead of the room's newest messages,
   * paged both ways as the reader scrolls; without one, back to the newest. It goes once it
   * reaches the room's messages (merged), or when the log goes to the bottom.
   */
  _show(window?: MessageWindow): void {
    this.#window?.close();
    this.#window = window;
    if (window) {
      window.on('updated', () => this.#host.requestUpdate());
      this.#host._renderLimit = Math.max(RENDER_STEP, window.messages.length);
      this._atBottom = false;
      this.#revealing = true;
    }
    this.#host.requestUpdate();
  }

  /** Before a render: where the reader is, so that older messages drawn above it are stepped over after. */
  measure(): void {
    if (this._stick && this.#window) this._show();
    const log = this.log();
    if (log && !this._stick && !this._atBottom && !this.#revealing)
      this.#anchor = { height: log.scrollHeight, top: log.scrollTop, first: firstDrawn(log) };
  }

  /** After a render: to the bottom, or back to what the reader was looking at. */
  restore(): void {
    const log = this.log();
    if (!log) return;
    if (this._stick || this._atBottom) {
      log.scrollTop = log.scrollHeight;
      this._stick = false;
      this._atBottom = true;
    } else if (this.#anchor && !this.#revealing) {
      // Older messages were added above: keep what the reader was looking at in place. (Any
      // render can be the one that adds them: the page arrives while it is still loading.) New
      // messages at the bottom move nothing.
      const grown = log.scrollHeight - this.#anchor.height;
      const above = firstDrawn(log) !== this.#anchor.first;
      if (above && grown > 0 && log.scrollTop < NEAR_EDGE_PX * 2) log.scrollTop = this.#anchor.top + grown;
    }
    this.#anchor = undefined;
    this.#revealing = false; // the message shown was focused, so scrolled into view: it stays there
  }

  _onScroll = (): void => {
    const log = this.log();
    if (!log) return;
    const end = log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_EDGE_PX;
    this._atBottom = end && !this.#window;
    if (this._atBottom) this.#host._newBelow = 0;
    this.#reads.sync();
    if (log.scrollTop < NEAR_EDGE_PX) void this._loadOlder();
    if (end) void this.#newer();
  };

  /**
   * Focus moved in the log (Home, Page Up, arrows): the browser scrolled it into view at once,
   * before the scroll event; the render it asks for must not take the list back to the bottom.
   */
  focused(): void {
    const log = this.log();
    if (log && !this._stick) this._atBottom = !this.#window && log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_EDGE_PX;
  }

  async _loadOlder(): Promise<void> {
    const host = this.#host;
    const room = this.#view.room();
    if (!room || host._loadingOlder) return;
    const { window, all, more } = this._shown(room);
    if (all.length > host._renderLimit) {
      host._renderLimit += RENDER_STEP; // what is loaded but not drawn comes first
      return;
    }
    if (!more) return;
    host._loadingOlder = true;
    try {
      await (window ? window.older() : room.history());
      host._renderLimit = Math.max(host._renderLimit, (window ?? room).messages.length);
    } catch (error) {
      this.#view.fail(error as ChatError);
    } finally {
      host._loadingOlder = false;
    }
  }

  /** The window's newer messages (the reader scrolled to its bottom); merged, the room's messages are drawn from its first on. */
  async #newer(): Promise<void> {
    const window = this.#window;
    const room = this.#view.room();
    if (!window || !room) return;
    try {
      await window.newer();
      // Merged, its messages start the room's (it began older than any the room held). Either way
      // all are drawn: newer ones below must not push the reader's out at the top.
      if (window.merged && this.#window === window) this.#window = undefined;
      this.#host._renderLimit = Math.max(this.#host._renderLimit, (window.merged ? room : window).messages.length);
    } catch (error) {
      this.#view.fail(error as ChatError);
    }
    this.#host.requestUpdate();
  }

  _jumpToBottom = (): void => {
    this._stick = true;
    this.#host._newBelow = 0;
    this.#host.requestUpdate();
  };

  /** Draws the loaded messages from `index` on, and leaves the bottom (to show an older message). */
  _reveal(index: number): void {
    const room = this.#view.room();
    if (!room) return;
    this.#host._renderLimit = Math.max(this.#host._renderLimit, room.messages.length - index);
    this._atBottom = false;
    this._stick = false;
    this.#revealing = true;
  }
}
