// The voice recorder above a composer's text box, the room's or a thread's (chat-room.recorder.js,
// fetched by the first press of a microphone button): it asks for the microphone, records (take.ts)
// while it shows the time, and sends the recording with `room.sendVoice` or `thread.sendVoice`
// (through the outbox, like any file) or throws it away.
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ChatError, ChatRoom } from '@chat/client';
import { addStyles } from '../add-styles.js';
import type { ChatStrings } from '../i18n/strings.js';
import { escapeCloses } from '../parts/escape.js';
import { recorderStrings } from './recorder-strings.js';
import { recorderStyles } from './recorder-styles.js';
import { squeeze, startTake, type Take } from './take.js';

/** What the recorder asks of the composer it belongs to. */
export interface RecorderView {
  room(): ChatRoom | undefined;
  /** A thread's composer: the id of the message whose thread is open (the recording is a reply there). */
  threadOf?: () => string | undefined;
  /** Fires `chat-error` and shows it (a recording that could not be sent). */
  fail(error: ChatError): void;
}

type Element = ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode };

/** Off, asking for the microphone, recording, stopped (at the longest recording, or by the microphone), or the microphone refused. */
type RecorderState = 'off' | 'asking' | 'on' | 'stopped' | 'refused';

/** The longest recording (the server's default `limits.maxVoiceMs`): the recorder stops there, ready to send. */
const MAX_RECORDING_MS = 300_000;
/** A Send sooner than this after the recording started is a key held or pressed twice: it is not taken. */
const SHORTEST_MS = 500;
/** How often the loudness is measured and the time drawn. */
const TICK_MS = 100;

/** `ms` as m:ss. */
const clock = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * Off, asking for the microphone, recording (the time and Cancel, Send), stopped at
 * {@link MAX_RECORDING_MS} (Cancel, Send), or telling that the microphone could not be used.
 */
export class VoiceRecorder {
  readonly #element: Element;
  readonly #view: RecorderView;
  #state: RecorderState = 'off';
  #take: Take | undefined;
  /** The room shown when recording started, and the thread open then in a thread's composer: the recording goes there. */
  #room: ChatRoom | undefined;
  #threadOf: string | undefined;
  #elapsed = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Counts the presses and cancels: a microphone granted for an earlier one is let go. */
  #attempt = 0;
  /** Focus goes into the recorder once drawn (it opened, or said the microphone was refused). */
  #focus = false;

  constructor(element: Element, view: RecorderView) {
    this.#element = element;
    this.#view = view;
    addStyles(element, recorderStyles);
  }

  /** Asks for the microphone and records in the room shown (nothing if it already does, or none is). */
  async start(): Promise<void> {
    if (this.#state !== 'off' && this.#state !== 'refused') return;
    this.#room = this.#view.room();
    this.#threadOf = this.#view.threadOf?.();
    if (!this.#room) return;
    const attempt = ++this.#attempt;
    const current = () => attempt === this.#attempt && this.#state === 'asking';
    this.#elapsed = 0;
    this.#set('asking');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      // Refused by the person or the page's permissions policy, or no microphone at all.
      if (current()) this.#set('refused', true);
      return;
    }
    if (!current()) return stream.getTracks().forEach((track) => track.stop()); // cancelled meanwhile
    let take: Take;
    try {
      take = startTake(stream, () => this.#take === take && this.#stop());
    } catch {
      // No recorder for this stream in this browser.
      stream.getTracks().forEach((track) => track.stop());
      this.#set('refused', true);
      return;
    }
    this.#take = take;
    this.#timer = setInterval(() => {
      // The bar is no longer drawn (the element lost its uploads): the microphone goes with it.
      if (!this.#bar()) return this.cancel();
      take.measure();
      this.#elapsed = performance.now() - take.startedAt;
      if (this.#elapsed >= MAX_RECORDING_MS) this.#stop();
      else this.#element.requestUpdate();
    }, TICK_MS);
    this.#set('on', true);
  }

  /** Throws the recording away (and lets the microphone go). */
  cancel(): void {
    this.#attempt++;
    this.#halt();
    this.#take = undefined;
    this.#set('off');
  }

  /** Stops recording and sends what was recorded as a voice message. */
  async send(): Promise<void> {
    const take = this.#take;
    const room = this.#room;
    if (!take || !room || (this.#state !== 'on' && this.#state !== 'stopped')) return;
    if (this.#state === 'on') {
      this.#elapsed = Math.min(performance.now() - take.startedAt, MAX_RECORDING_MS);
      if (this.#elapsed < SHORTEST_MS) return;
    }
    const durationMs = Math.max(1, Math.round(this.#elapsed));
    this.#halt();
    this.#take = undefined;
    this.#set('off');
    this.#textBox()?.focus();
    const recording = await take.done;
    if (recording.size === 0) return; // nothing came from the microphone: nothing to send
    room
      .sendVoice(recording, { durationMs, waveform: squeeze(take.levels), threadOf: this.#threadOf })
      .catch((error: ChatError) => this.#view.fail(error));
  }

  /** The recorder's bar above the text box, or nothing while it is off. */
  render(strings: ChatStrings): TemplateResult | typeof nothing {
    if (this.#state === 'off') return nothing;
    const own = recorderStrings(strings);
    if (this.#focus) {
      this.#focus = false;
      void this.#element.updateComplete.then(() => this.#bar()?.querySelector<HTMLElement>('button:last-child')?.focus());
    }
    const close = () => {
      this.cancel();
      this.#textBox()?.focus();
    };
    if (this.#state === 'refused') {
      return html`<div class="recorder" part="recorder" @keydown=${escapeCloses(close)}>
        <p role="alert">${own.micRefused}</p>
        <button type="button" @click=${close}>${strings.close}</button>
      </div>`;
    }
    const recording = this.#state === 'on';
    return html`<div class="recorder" part="recorder" role="group" aria-label=${own.recordingVoice} @keydown=${escapeCloses(close)}>
      <span class="dot ${recording ? 'live' : ''}" aria-hidden="true"></span>
      <span class="elapsed" role="timer">${clock(this.#elapsed)}</span>
      ${this.#state === 'stopped' ? html`<span class="visually-hidden" role="status">${own.recordingStopped}</span>` : nothing}
      <button type="button" @click=${close}>${strings.cancel}</button>
      <button
        type="button"
        class="primary"
        aria-label=${own.sendRecording}
        ?disabled=${this.#state === 'asking'}
        @click=${() => void this.send()}
      >
        ${strings.send}
      </button>
    </div>`;
  }

  /** Lets the microphone go, what was recorded thrown away (the element left the page, or another room is shown). */
  release(): void {
    if (this.#state !== 'off') this.cancel();
  }

  #set(state: RecorderState, focus = false): void {
    this.#state = state;
    this.#focus ||= focus;
    this.#element.requestUpdate();
  }

  /** The recording ends here (the longest one, or the microphone went): the time stops, Send and Cancel stay. */
  #stop(): void {
    if (this.#state !== 'on' || !this.#take) return;
    this.#elapsed = Math.min(performance.now() - this.#take.startedAt, MAX_RECORDING_MS);
    this.#halt();
    this.#set('stopped');
  }

  /** Stops the clock, the recorder and the microphone. */
  #halt(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#take?.stop();
  }

  #textBox(): HTMLElement | null {
    // The composer's text box: focus goes back there, and the bar is drawn in its `.composer`.
    return this.#element.renderRoot.querySelector<HTMLElement>(this.#view.threadOf ? '#thread-input' : '#input');
  }

  /** This recorder's bar, in its composer (the room's and a thread's may both record). */
  #bar(): Element | null | undefined {
    return this.#textBox()?.closest('.composer')?.querySelector('.recorder');
  }
}

/** The recorder of one composer of a `<chat-room>` (the room's, or a thread's). */
export const createRecorder = (element: Element, view: RecorderView): VoiceRecorder => new VoiceRecorder(element, view);
