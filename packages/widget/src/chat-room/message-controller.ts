import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatError, ChatRoom, Message } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import type { LazyPart, LazyPartHost } from '../lazy-part.js';
import { callLines } from '../call-lines/loader.js';
import { messageTools } from '../message-tools/loader.js';
import type { MessageTools } from '../message-tools/message-tools.js';
import { clip, highlight, type MessageMode, type MessageUi } from '../parts/message-list.js';
import { shownName } from '../parts/shown-name.js';
import { moveFocus, RovingFocus } from './roving-focus.js';

/** The element the controller works in. */
export interface MessageHost extends ReactiveControllerHost {
  readonly renderRoot: ParentNode;
}

/** What the controller asks of the room view. */
export interface MessageView {
  /** The room shown now. */
  room(): ChatRoom | undefined;
  strings(): ChatStrings;
  /** Fires `chat-error`, and shows it in the banner unless `line` is false. */
  fail(error: ChatError, line?: boolean): void;
  /** Draws the loaded messages from `index` (of `room.messages`) on, and stops following the newest. */
  _reveal(index: number): void;
  /** Shows more of the older messages, as scrolling to the top does. */
  _loadOlder(): Promise<void>;
  /** Says something short on the status line. */
  note(text: string): void;
  /** Opens the thread of a message. */
  _openThread(message: Message): void;
}

/** Where focus goes after the next render: a message, a control in it (`selector`), or the composer. */
type FocusTarget = { id: string; selector?: string } | 'composer';

const ARTICLE = '[role=article]';
const articleOf = (node: EventTarget | null) => (node instanceof Element ? node.closest<HTMLElement>(ARTICLE) : null);

/**
 * What the user does with messages in the log: the roving tab stop and its keys, the actions of
 * a message (reply, react, edit, delete) and what each opens, and showing the message a reply
 * answers. The log's listeners are its `keydown`, `focusin`, `focusout` and `contextmenu`.
 */
export class MessageController implements ReactiveController, MessageUi {
  active: string | undefined;
  /** The message a search went to: marked until another room is shown. */
  found: string | undefined;
  mode: MessageMode | undefined;
  /** The message the composer answers. */
  replyTo: Message | undefined;
  readonly #host: MessageHost;
  readonly #view: MessageView;
  readonly #roving = new RovingFocus();
  #focus: FocusTarget | undefined;
  /** Reactions you toggled whose requests are under way: what you asked for last, by message and emoji. */
  readonly #wanted = new Map<string, boolean>();
  readonly #tools: LazyPart<MessageTools>;
  readonly #lines: ReturnType<typeof callLines>;

  /** `part`: where the message tools' and call lines' chunks report (a failed load, a recovery). */
  constructor(host: MessageHost, part: LazyPartHost, view: MessageView) {
    this.#host = host;
    this.#view = view;
    this.#tools = messageTools(host, part);
    this.#lines = callLines(part);
    host.addController(this);
  }

  /** What opens on a message, once its chunk is in. */
  get _tools(): MessageTools | undefined {
    return this.#tools.module;
  }

  /** A call's line in the widget's language, once chat-room.call-lines.js is here (loaded by the first one drawn); its text before. */
  _line(message: Message, strings: ChatStrings): unknown {
    const lines = this.#lines.module;
    if (!lines) void this.#lines.load();
    return lines ? lines.systemLine(message, strings) : message.text;
  }

  /**
   * Picks the log's tab stop among the messages drawn now (while rendering). The first messages
   * drawn fetch the message tools (their actions are drawn once it is in): after the first view,
   * before a hand or a key reaches them; not while the browser is offline (a page reloaded offline
   * says it is offline, not that a file is missing), but at the first render after.
   */
  track(drawn: readonly Message[]): void {
    this.active = this.#roving.current(drawn.map((m) => m.id));
    if (drawn.length > 0 && !this.#tools.module && navigator.onLine) void this.#tools.load();
  }

  hostUpdated(): void {
    const target = this.#focus;
    this.#focus = undefined;
    if (!target) return;
    const root = this.#host.renderRoot;
    if (target === 'composer') return root.querySelector<HTMLElement>('#input')?.focus();
    const article = Array.from(root.querySelectorAll<HTMLElement>(ARTICLE)).find((a) => a.dataset['id'] === target.id);
    const el = target.selector ? article?.querySelector<HTMLElement>(target.selector) : article;
    el?.focus();
    // The emoji choice opens below the message: all of it in view, not only the button focused (the log's last messages).
    el?.closest('.emoji-choice')?.scrollIntoView({ block: 'nearest' });
    if (el instanceof HTMLTextAreaElement) el.selectionStart = el.value.length;
  }

  /** Forgets everything open (another room is shown). */
  reset(): void {
    this.mode = this.replyTo = this.found = undefined;
    this.#roving.set(undefined);
  }

  /**
   * A message changed (`messageUpdated`): the quote above the composer shows it as it is now
   * (edited, or deleted), and what was open on it closes if it was deleted meanwhile.
   */
  changed(message: Message): void {
    if (this.replyTo?.id === message.id) this.replyTo = message;
    if (message.deletedAt === undefined) return;
    if (this.mode?.id === message.id) this.mode = undefined;
    // Its controls go with it: focus that was in them goes back to the message (its placeholder now).
    const root = this.#host.renderRoot as ShadowRoot;
    const article = root.activeElement ? articleOf(root.activeElement) : null;
    if (article?.dataset['id'] === message.id && root.activeElement !== article) this.#focusOn({ id: message.id });
  }

  // The log's listeners -------------------------------------------------------------------------

  keydown = (event: KeyboardEvent): void => {
    const article = articleOf(event.target);
    const id = article?.dataset['id'];
    if (!article || id === undefined) return;
    if (event.target !== article) {
      // Escape in a message's controls closes them (the editor, emoji choice and question close themselves).
      if (event.key === 'Escape') this.#set(id);
      return;
    }
    const articles = Array.from((event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(ARTICLE));
    const first = articles[0] === article;
    if (moveFocus(event, articles)) {
      if (first && (event.key === 'ArrowUp' || event.key === 'PageUp')) void this.#view._loadOlder();
    } else if (event.key === 'Enter' || event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      this.#openActions(id);
    } else if (event.key === 'Escape' && this.mode) this.#set(id);
  };

  focusin = (event: FocusEvent): void => {
    if (this.#roving.set(articleOf(event.target)?.dataset['id'] ?? this.active)) this.#host.requestUpdate();
  };

  /**
   * Focus left a message: its controls, emoji choice or question close (an edit stays open).
   * Checked once the render that may have moved focus on purpose is done (a control that
   * had focus can be replaced by another one in the same message).
   */
  focusout = (event: FocusEvent): void => {
    const article = articleOf(event.target);
    if (!article) return;
    setTimeout(() => {
      if (article.contains((this.#host.renderRoot as ShadowRoot).activeElement)) return;
      if (this.mode?.id === article.dataset['id'] && this.mode?.kind !== 'edit') {
        this.mode = undefined;
        this.#host.requestUpdate();
      }
    });
  };

  /** The context-menu key (or a right click on the message itself, not on its text) opens the actions. */
  contextmenu = (event: MouseEvent): void => {
    const article = articleOf(event.target);
    if (!article || event.target !== article) return;
    event.preventDefault();
    this.#openActions(article.dataset['id'] ?? '');
  };

  // Actions ---------------------------------------------------------------------------------------

  /** What the composer answers, as the line above it says it ("Ana: hello"; a deleted message; an erased person's name in the widget's language). */
  _replying(strings: ChatStrings): string | undefined {
    const reply = this.replyTo;
    return reply && `${shownName(reply.user, strings)}: ${reply.deletedAt === undefined ? clip(reply.text, 60) : strings.deletedMessage}`;
  }

  reply(message: Message): void {
    this.mode = undefined;
    this.replyTo = message;
    this.#focusOn('composer');
  }

  cancelReply(): void {
    this.replyTo = undefined;
    this.#focusOn('composer');
  }

  choose(message: Message): void {
    if (this.mode?.kind === 'choose' && this.mode.id === message.id) this.#set(message.id, 'open', '.act-react');
    else this.#open(message.id, 'choose', '.emoji-choice button');
  }

  /**
   * Toggles your reaction. The chip shows what you asked for at once (see {@link pressed}); the
   * requests go one after another until the room has it, so two quick clicks end where they
   * started (the second one is not read against the state before the first one's answer).
   */
  react(message: Message, emoji: string, mine: boolean): void {
    const key = `${message.id} ${emoji}`;
    const busy = this.#wanted.has(key);
    this.#wanted.set(key, !(this.#wanted.get(key) ?? mine));
    this.#set(message.id);
    if (!busy) void this.#settle(message.id, emoji, key, mine);
  }

  /** What you last asked for a reaction while its requests are under way; undefined otherwise. */
  pressed(message: Message, emoji: string): boolean | undefined {
    return this.#wanted.get(`${message.id} ${emoji}`);
  }

  async #settle(messageId: string, emoji: string, key: string, has: boolean): Promise<void> {
    const room = this.#view.room();
    try {
      for (let wanted = this.#wanted.get(key); room && wanted !== undefined && wanted !== has; wanted = this.#wanted.get(key)) {
        await (wanted ? room.react(messageId, emoji) : room.unreact(messageId, emoji));
        has = wanted;
      }
    } catch (error) {
      this.#view.fail(error as ChatError);
    } finally {
      this.#wanted.delete(key);
      this.#host.requestUpdate();
    }
  }

  edit(message: Message): void {
    this.#open(message.id, 'edit', '.edit-box');
  }

  save(message: Message, text: string): void {
    const room = this.#view.room();
    const trimmed = text.trim();
    if (!room || trimmed === message.text) return this.cancel(message);
    room.edit(message.id, trimmed, { mentions: this.#keptMentions(message, trimmed) }).then(
      () => {
        if (this.mode?.id === message.id) this.#set(message.id);
      },
      (error: ChatError) => {
        if (this.mode?.id === message.id) this.mode = { id: message.id, kind: 'edit', error };
        this.#host.requestUpdate();
        this.#view.fail(error, false); // the editor shows it
      },
    );
  }

  cancel(message: Message): void {
    this.#set(message.id);
  }

  _askDelete(message: Message): void {
    this.#open(message.id, 'confirm', '.confirm .cancel');
  }

  delete(message: Message): void {
    this.#set(message.id);
    this.#view
      .room()
      ?.delete(message.id)
      .catch((error: ChatError) => this.#view.fail(error));
  }

  _askReport(message: Message): void {
    this.#open(message.id, 'report', '.report-form input');
  }

  /** Reports `message`; once done, the status line shows `thanks`. */
  report(message: Message, reason: string, thanks: string): void {
    this.#set(message.id);
    this.#view
      .room()
      ?.report(message.id, reason)
      .then(
        () => this.#view.note(thanks),
        (error: ChatError) => this.#view.fail(error),
      );
  }

  jump(id: string): void {
    void this.#jump(id);
  }

  thread(message: Message): void {
    this.mode = undefined;
    this.#view._openThread(message);
  }

  // Inside ----------------------------------------------------------------------------------------

  async #jump(id: string): Promise<void> {
    const room = this.#view.room();
    if (!room) return;
    const find = () => room.messages.findIndex((m) => m.id === id);
    try {
      while (find() < 0 && room.hasMoreHistory) {
        await room.history();
        if (room !== this.#view.room()) return;
      }
    } catch (error) {
      return this.#view.fail(error as ChatError);
    }
    const index = find();
    if (index < 0) return this.#view.note(this.#view.strings().originalMissing);
    this.#view._reveal(index);
    this._focus(id);
  }

  /** Moves focus (and the log's tab stop) to message `id` once drawn; `found`: marks it as the one a search went to. */
  _focus(id: string, found?: boolean): void {
    if (found) this.found = id;
    this.#roving.set(id);
    this.#focusOn({ id });
  }

  #openActions(id: string): void {
    const live = () => this.#view.room()?.messages.find((m) => m.id === id)?.deletedAt === undefined;
    const root = this.#host.renderRoot as ShadowRoot;
    const from = root.activeElement;
    // Once the actions are in (at once, but the first time): only if focus is still where the key was pressed.
    if (live()) this.#tools.use(() => root.activeElement === from && live() && this.#set(id, 'open', '.actions button'));
  }

  /** Opens a message tool (`kind`) on message `id` once their chunk is in (at once after the first). */
  #open(id: string, kind: MessageMode['kind'], selector: string): void {
    this.#tools.use(() => this.#set(id, kind, selector));
  }

  /** Opens `kind` on message `id` (nothing: closes what was open) and moves focus there. */
  #set(id: string, kind?: MessageMode['kind'], selector?: string): void {
    this.mode = kind && { id, kind };
    this.#focusOn(selector ? { id, selector } : { id });
  }

  #focusOn(target: FocusTarget): void {
    this.#focus = target;
    this.#host.requestUpdate();
  }

  /** Names of the users the widget knows: senders of loaded messages, and the people here. */
  names(): Map<string, string> {
    const room = this.#view.room();
    const names = new Map<string, string>();
    for (const m of room?.messages ?? []) names.set(m.user.id, m.user.name);
    for (const m of room?.members ?? []) names.set(m.id, m.name);
    return names;
  }

  /** An edit replaces the mentions: keep those whose `@Name` is still in the text (and those of unknown names). */
  #keptMentions(message: Message, text: string): string[] {
    const names = this.names();
    return (message.mentions ?? []).filter((id) => {
      const name = names.get(id);
      return name === undefined || highlight(text, `@${name}`).length > 1; // @Luisa does not keep Luis
    });
  }
}
