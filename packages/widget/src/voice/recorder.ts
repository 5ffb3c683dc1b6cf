// The voice recorder above the room's text box (chat-room.recorder.js, fetched by the first press of
// the microphone button): it asks for the microphone, records with MediaRecorder while it shows the
// time, measures the loudness for the waveform, and sends the recording with `room.sendVoice`
// (through the outbox, like any file) or throws it away.
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ChatError, ChatRoom } from '@chat/client';
import { addStyles } from '../add-styles.js';
import type { ChatStrings } from '../i18n/strings.js';
import { recorderStrings } from './recorder-strings.js';
import { recorderStyles } from './recorder-styles.js';

/** What the recorder asks of the composer it belongs to. */
export interface RecorderView {
  room(): ChatRoom | undefined;
  /** Fires `chat-error` and shows it (a recording that could not be sent). */
  fail(error: ChatError): void;
}

type Element = ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode };

/** Off, asking for the microphone, recording, stopped at the longest recording, or the microphone refused. */
type RecorderState = 'off' | 'asking' | 'on' | 'stopped' | 'refused';

/** The longest recording (the server's default `limits.maxVoiceMs`): the recorder stops there, ready to send. */
const MAX_RECORDING_MS = 300_000;
/** How often the loudness is measured and the time drawn. */
const TICK_MS = 100;
/** The most values a waveform has (the protocol's `VOICE_WAVEFORM_MAX`). */
const BARS = 64;
/** What is recorded: the first of these the browser can record (it picks otherwise). */
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'];

/** `ms` as m:ss. */
const clock = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** `levels` in at most {@link BARS} values, each the loudest of the stretch it stands for. */
export function squeeze(levels: readonly number[]): number[] {
  if (levels.length <= BARS) return [...levels];
  return Array.from({ length: BARS }, (_, i) =>
    Math.max(...levels.slice(Math.floor((i * levels.length) / BARS), Math.floor(((i + 1) * levels.length) / BARS))),
  );
}

/** A recording under way, from the microphone's stream to the recorder's last data. */
interface Take {
  stream: MediaStream;
  recorder: MediaRecorder;
  context: AudioContext;
  levels: number[];
  startedAt: number;
  /** Adds the loudest sample since the last call to `levels` (0-255). */
  measure: () => void;
  /** Resolves with the recording once the recorder has stopped. */
  done: Promise<Blob>;
}

/** Starts recording `stream`, with the loudness measured through Web Audio. */
function record(stream: MediaStream): Take {
  const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
  const recorder = new MediaRecorder(stream, mimeType === undefined ? {} : { mimeType });
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Uint8Array(analyser.fftSize);
  const parts: Blob[] = [];
  const levels: number[] = [];
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) parts.push(event.data);
  };
  const done = new Promise<Blob>((resolve) => (recorder.onstop = () => resolve(new Blob(parts, { type: recorder.mimeType }))));
  const measure = () => {
    analyser.getByteTimeDomainData(samples);
    let peak = 0;
    for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128));
    levels.push(Math.min(255, peak * 2));
  };
  recorder.start();
  return { stream, recorder, context, levels, startedAt: performance.now(), measure, done };
}

/**
 * Off, asking for the microphone, recording (the time and Cancel, Send), stopped at
 * {@link MAX_RECORDING_MS} (Cancel, Send), or telling that the microphone could not be used.
 */
export class VoiceRecorder {
  readonly #element: Element;
  readonly #view: RecorderView;
  #state: RecorderState = 'off';
  #take: Take | undefined;
  /** The room shown when recording started: the recording goes there. */
  #room: ChatRoom | undefined;
  #elapsed = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Focus goes into the recorder once drawn (it opened, or said the microphone was refused). */
  #focus = false;

  constructor(element: Element, view: RecorderView) {
    this.#element = element;
    this.#view = view;
    addStyles(element, recorderStyles);
  }

  /** Still asking for the microphone (not cancelled while the browser asked). */
  get #asking(): boolean {
    return this.#state === 'asking';
  }

  /** Asks for the microphone and records (nothing if it already does). */
  async start(): Promise<void> {
    if (this.#state !== 'off' && this.#state !== 'refused') return;
    this.#room = this.#view.room();
    this.#elapsed = 0;
    this.#set('asking');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      // Refused by the person or the page's permissions policy, or no microphone at all.
      if (this.#asking) this.#set('refused', true);
      return;
    }
    if (!this.#asking) return stream.getTracks().forEach((track) => track.stop()); // cancelled meanwhile
    let take: Take;
    try {
      take = record(stream);
    } catch {
      // No recorder for this stream (a browser without one of the types, or without Web Audio).
      stream.getTracks().forEach((track) => track.stop());
      this.#set('refused', true);
      return;
    }
    this.#take = take;
    this.#timer = setInterval(() => {
      take.measure();
      this.#elapsed = performance.now() - take.startedAt;
      if (this.#elapsed >= MAX_RECORDING_MS) {
        this.#elapsed = MAX_RECORDING_MS;
        this.#halt();
        this.#set('stopped');
      } else this.#element.requestUpdate();
    }, TICK_MS);
    this.#set('on', true);
  }

  /** Throws the recording away (and lets the microphone go). */
  cancel(): void {
    this.#halt();
    this.#take = undefined;
    this.#set('off');
  }

  /** Stops recording and sends what was recorded as a voice message. */
  async send(): Promise<void> {
    const take = this.#take;
    const room = this.#room;
    if (!take || (this.#state !== 'on' && this.#state !== 'stopped')) return;
    if (this.#state === 'on') this.#elapsed = Math.min(performance.now() - take.startedAt, MAX_RECORDING_MS);
    const durationMs = Math.max(1, Math.round(this.#elapsed));
    this.#halt();
    this.#take = undefined;
    this.#set('off');
    this.#textBox()?.focus();
    const recording = await take.done;
    if (!room) return;
    room.sendVoice(recording, { durationMs, waveform: squeeze(take.levels) }).catch((error: ChatError) => this.#view.fail(error));
  }

  /** The recorder's bar above the text box, or nothing while it is off. */
  render(strings: ChatStrings): TemplateResult | typeof nothing {
    if (this.#state === 'off') return nothing;
    const own = recorderStrings(strings);
    if (this.#focus) {
      this.#focus = false;
      void this.#element.updateComplete.then(() =>
        this.#element.renderRoot.querySelector<HTMLElement>('.recorder button:last-child')?.focus(),
      );
    }
    const close = () => {
      this.cancel();
      this.#textBox()?.focus();
    };
    const keydown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      close();
    };
    if (this.#state === 'refused') {
      return html`<div class="recorder" part="recorder" @keydown=${keydown}>
        <p role="alert">${own.micRefused}</p>
        <button type="button" @click=${close}>${strings.close}</button>
      </div>`;
    }
    const recording = this.#state === 'on';
    return html`<div class="recorder" part="recorder" role="group" aria-label=${own.recordingVoice} @keydown=${keydown}>
      <span class="dot ${recording ? 'live' : ''}" aria-hidden="true"></span>
      <span class="elapsed" role="timer">${clock(this.#elapsed)}</span>
      <button type="button" @click=${close}>${strings.cancel}</button>
      <button type="button" class="primary" ?disabled=${this.#state === 'asking'} @click=${() => void this.send()}>${strings.send}</button>
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

  /** Stops the clock, the recorder and the microphone. */
  #halt(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const take = this.#take;
    if (!take) return;
    if (take.recorder.state !== 'inactive') take.recorder.stop();
    take.stream.getTracks().forEach((track) => track.stop());
    void take.context.close().catch(() => undefined);
  }

  #textBox(): HTMLElement | null {
    return this.#element.renderRoot.querySelector<HTMLElement>('#input');
  }
}

/** The recorder of one `<chat-room>`'s text box. */
export const createRecorder = (element: Element, view: RecorderView): VoiceRecorder => new VoiceRecorder(element, view);
