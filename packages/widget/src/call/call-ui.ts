import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Call, CallState, ChatError, ChatRoom, Member } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { shownLanguage } from '../i18n/locales.js';
import { callStyles } from './call-styles.js';
import { callStrings, names, type CallStrings } from './call-strings.js';
import { saidDevices } from './device-error.js';
import { renderCallBanner, renderCallButtons, renderCallView, renderMemberCall } from './call-view.js';

/** What the call UI needs from `<chat-room>`. */
export interface CallHost {
  /** The element: its shadow root gets the call styles, and its updates draw the call. */
  element: ReactiveControllerHost & HTMLElement;
  /** The room shown now, once joined. */
  room(): ChatRoom | undefined;
  /** The element's texts (call texts among them when the host set some). */
  strings(): Partial<CallStrings>;
  lang(): string;
  /** Shows an error in the widget's banner and fires `chat-error`. */
  fail(error: ChatError): void;
}

/** Where `<chat-room>` draws a part of the call UI. */
export type CallSlotName = 'header' | 'member' | 'banner' | 'view';

/** The parts of the call UI the element places in its template. */
export interface CallUi {
  render(slot: CallSlotName, member?: Member): unknown;
}

/** A call the UI follows: what it listens to, who was in it, and its state when last seen. */
interface Watched {
  off: Array<() => void>;
  people: Set<string>;
  state: CallState;
  /** Declined here: its end is not a missed call. */
  declined: boolean;
}

/** Most wanted first: the call you are in, one that rings you, one going on. */
const RANK: Record<CallState, number> = { active: 0, ringing: 1, available: 2, ended: 3 };

/**
 * The call UI of one `<chat-room>`: follows the calls of the room it shows, draws the buttons,
 * the incoming call banner and the call view, says what happens in a live region, and moves the
 * focus where the buttons that had it went.
 */
export class CallController implements ReactiveController, CallUi {
  readonly #host: CallHost;
  #room: ChatRoom | undefined;
  #roomOff: (() => void) | undefined;
  readonly #watched = new Map<Call, Watched>();
  /** The last thing said in the live region, and a counter so that the same words are said again. */
  #said = '';
  #busy = false;
  #focus: string | undefined;

  constructor(host: CallHost) {
    this.#host = host;
    host.element.addController(this);
    addStyles(host.element, callStyles);
  }

  hostUpdate(): void {
    const room = this.#host.room();
    if (room === this.#room) return;
    this.#roomOff?.();
    for (const call of [...this.#watched.keys()]) this.#unwatch(call);
    this.#room = room;
    this.#roomOff = room?.on('call', (call) => this.#watch(call));
    for (const call of room?.calls ?? []) this.#watch(call);
  }

  hostUpdated(): void {
    const selector = this.#focus;
    if (selector === undefined) return;
    const root = this.#host.element.shadowRoot;
    const target = root?.querySelector<HTMLElement>(`${selector}:not(:disabled)`);
    // Not there yet (after a hang-up the header's call buttons come back once the server has
    // the user out of the call): wait for it while a call is still shown and focus is still in it,
    // or was lost with its view, rather than sending it to the list.
    const lost = !root?.activeElement || this.#focusIn('.call, .call-banner');
    if (!target && lost && this.#current() !== undefined) return;
    this.#focus = undefined;
    (target ?? root?.querySelector<HTMLElement>('.log'))?.focus();
  }

  /** The element left the page: a call it shows is hung up (its client may live on). */
  hostDisconnected(): void {
    for (const call of this.#watched.keys()) if (call.state === 'active') void call.hangUp().catch(() => undefined);
    this.#roomOff?.();
    this.#roomOff = undefined;
    for (const call of [...this.#watched.keys()]) this.#unwatch(call);
    this.#room = undefined;
  }

  render(slot: CallSlotName, member?: Member): unknown {
    const room = this.#room;
    const self = room?.self;
    if (!room || !self) return slot === 'banner' ? this.#live() : nothing;
    const strings = callStrings(this.#host.strings());
    const call = this.#current();
    const inCallElsewhere = call?.state === 'available' && call.participants.some((p) => p.id === self.id);
    // `void`: #start and #accept never reject, they show their own failures (fail: the banner).
    switch (slot) {
      case 'header':
        if (call?.state === 'active' || call?.state === 'ringing' || inCallElsewhere) return nothing;
        return renderCallButtons({
          strings,
          busy: this.#busy,
          join: call ? () => void this.#accept(call) : undefined,
          start: (kind) => void this.#start(room, kind, this.#invitees(room)),
        });
      case 'member':
        if (call || !member || member.id === self.id) return nothing;
        return renderMemberCall(strings, member.name, this.#busy, () => void this.#start(room, 'video', [member.id]));
      case 'banner':
        return html`${this.#live()}${
          call?.state === 'ringing'
            ? renderCallBanner(
                strings,
                call,
                this.#busy,
                () => void this.#accept(call),
                () => this.#decline(call),
              )
            : nothing
        }`;
      case 'view':
        return call?.state === 'active'
          ? renderCallView({
              strings,
              lang: shownLanguage(this.#host.lang()),
              call,
              selfId: self.id,
              selfName: self.name,
              hangUp: () => this.#hangUp(call),
            })
          : nothing;
    }
  }

  #current(): Call | undefined {
    const calls = [...this.#watched.keys()].filter((call) => call.state !== 'ended');
    return calls.sort((a, b) => RANK[a.state] - RANK[b.state])[0];
  }

  // Everyone else here rings, when a call can hold them all; otherwise nobody rings and they can join.
  #invitees(room: ChatRoom): string[] | undefined {
    if (room.room?.options.direct === true) return undefined; // the server rings the other members
    const others = room.members.filter((m) => m.id !== room.self?.id).map((m) => m.id);
    return others.length <= 3 ? others : [];
  }

  async #start(room: ChatRoom, kind: 'audio' | 'video', invite: string[] | undefined): Promise<void> {
    this.#busy = true;
    this.#update();
    try {
      const call = await room.startCall({ kind, ...(invite !== undefined && { invite }) });
      this.#watch(call);
      this.#focus = '.call-controls button';
    } catch (error) {
      this.#host.fail(saidDevices(error as ChatError, this.#strings(), kind === 'video'));
    } finally {
      this.#busy = false;
      this.#update();
    }
  }

  async #accept(call: Call): Promise<void> {
    this.#busy = true;
    this.#update();
    try {
      await call.accept();
      this.#focus = '.call-controls button';
    } catch (error) {
      this.#host.fail(saidDevices(error as ChatError, this.#strings(), call.kind === 'video'));
    } finally {
      this.#busy = false;
      this.#update();
    }
  }

  #decline(call: Call): void {
    const entry = this.#watched.get(call);
    if (entry) entry.declined = true;
    this.#focus = '.log';
    call.decline().catch((error: ChatError) => this.#host.fail(error));
  }

  #hangUp(call: Call): void {
    this.#focus = 'header .call-start';
    call.hangUp().catch((error: ChatError) => this.#host.fail(error));
  }

  #watch(call: Call): void {
    if (this.#watched.has(call) || call.roomId !== this.#room?.id || call.state === 'ended') return;
    const entry: Watched = { off: [], people: new Set(call.participants.map((p) => p.id)), state: call.state, declined: false };
    this.#watched.set(call, entry);
    entry.off.push(
      call.on('updated', () => {
        this.#peopleChanged(call, entry.people);
        this.#update();
      }),
      call.on('state', (state) => this.#stateChanged(call, entry, state)),
      call.on('error', (error) => this.#host.fail(saidDevices(error, this.#strings(), call.kind === 'video'))),
    );
    const strings = this.#strings();
    if (call.state === 'ringing') this.#say(strings.incomingCall(call.startedBy.name, call.kind === 'video'));
    else if (call.state === 'available')
      this.#say(
        strings.callGoingOn(
          names(
            call.participants.map((p) => p.name),
            shownLanguage(this.#host.lang()),
          ),
        ),
      );
    this.#update();
  }

  #unwatch(call: Call): void {
    for (const off of this.#watched.get(call)?.off ?? []) off();
    this.#watched.delete(call);
  }

  // Who joined or left the call you are in, said as it happens.
  #peopleChanged(call: Call, people: Set<string>): void {
    const now = new Set(call.participants.map((p) => p.id));
    if (call.state === 'active') {
      const strings = this.#strings();
      for (const p of call.participants) if (!people.has(p.id)) this.#say(strings.joinedCall(p.name));
      for (const id of people) {
        const gone = !now.has(id) && this.#room?.members.find((m) => m.id === id);
        if (gone) this.#say(strings.leftCall(gone.name));
      }
    }
    people.clear();
    for (const id of now) people.add(id);
  }

  #stateChanged(call: Call, entry: Watched, state: CallState): void {
    const was = entry.state;
    entry.state = state;
    const strings = this.#strings();
    // Out of the call you were in: it ended, or you left one that goes on.
    const focusInCall = this.#focusIn('.call, .call-banner');
    if (was === 'active') {
      this.#say(strings.callEnded);
      if (focusInCall) this.#focus = 'header .call-start';
    }
    if (state === 'ended') {
      this.#unwatch(call);
      if (was === 'ringing' && !entry.declined) this.#say(strings.missedCall(call.startedBy.name));
      if (focusInCall) this.#focus = 'header .call-start';
    } else if (was === 'ringing' && state === 'available' && this.#focusIn('.call-banner')) {
      this.#focus = '.log'; // answered, or declined, on another device
    }
    this.#update();
  }

  #focusIn(selector: string): boolean {
    const active = this.#host.element.shadowRoot?.activeElement;
    return active?.closest(selector) != null;
  }

  #strings(): CallStrings {
    return callStrings(this.#host.strings());
  }

  #say(text: string): void {
    // The same words again (a second call ended) must be said again: a zero-width space makes them new.
    this.#said = text === this.#said ? `${text}\u200b` : text;
    this.#update();
  }

  // Always in the page, so that what changes in it is said.
  #live(): unknown {
    return html`<div class="visually-hidden" role="status">${this.#said}</div>`;
  }

  #update(): void {
    this.#host.element.requestUpdate();
  }
}
