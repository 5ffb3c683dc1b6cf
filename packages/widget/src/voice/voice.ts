// The chunk of voice messages (chat-room.voice.js): a voice attachment's player in the log and the
// thread panel. A play/pause button, the waveform the sender measured, a position slider (keyboard:
// arrows seek, Space or Enter plays; pointer: drag, or click the waveform) and the time. The audio
// is fetched only when played (`preload = 'none'`), and one audio per attachment outlives the
// message's redrawing, so it keeps its place; a voice message no longer drawn (another room shown,
// the widget taken out of the page) stops. Loaded with the first voice attachment drawn.
import { html, svg, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Attachment } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { chunkStrings } from '../i18n/chunk-strings.js';
import { icon } from '../parts/icons.js';
import { voiceEn, type VoiceStrings } from './voice-strings.js';
import { voiceStyles } from './voice-styles.js';

/** What the player needs of `<chat-room>`. */
export interface VoiceHost {
  element: HTMLElement & ReactiveControllerHost & { readonly renderRoot: ParentNode };
  strings(): Partial<VoiceStrings>;
}

/** The players, drawn in place of a voice attachment's file line. */
export interface VoiceUi {
  /** The player of `attachment` (a voice message), its controls with `tabindex` `tab`; undefined when its audio cannot be played. */
  player(attachment: Attachment, tab: number): TemplateResult | undefined;
}

/** One voice message's playing: where it is (ms), and its audio once first played. */
interface Playback {
  at: number;
  playing: boolean;
  audio?: HTMLAudioElement;
  /** The audio's own length (ms), once known: what the player goes by rather than the sender's `durationMs`. */
  duration?: number;
  /** The audio could not be played (not found, a codec this browser lacks): the file's line shows instead. */
  failed?: boolean;
}

const PLAY = 'M8 5v14l11-7z';
const PAUSE = 'M8 5v14M16 5v14';
/** How far an arrow key moves the position. */
const STEP_MS = 1000;

/** "0:07", "12:30": whole seconds, as a player shows them. */
function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The waveform as bars, those already played in the accent colour; nothing without one. */
function wave(waveform: readonly number[] | undefined, played: number, onSeek: (fraction: number) => void) {
  if (!waveform?.length) return undefined;
  const n = waveform.length;
  const seek = (event: PointerEvent) => {
    const box = (event.currentTarget as Element).getBoundingClientRect();
    const fraction = (event.clientX - box.left) / box.width;
    onSeek(getComputedStyle(event.currentTarget as Element).direction === 'rtl' ? 1 - fraction : fraction);
  };
  return html`<svg class="voice-wave" viewBox="0 0 ${n * 3} 24" preserveAspectRatio="none" aria-hidden="true" @pointerdown=${seek}>
    ${waveform.map((value, i) => {
      const height = Math.max(2, (Math.min(255, Math.max(0, value)) / 255) * 24);
      return svg`<rect class=${(i + 0.5) / n <= played ? 'played' : ''} x=${i * 3} y=${(24 - height) / 2} width="2" height=${height} />`;
    })}
  </svg>`;
}

/** The players of `host`'s voice messages, their styles added to the element. */
export function createVoice(host: VoiceHost): VoiceUi {
  addStyles(host.element, voiceStyles);
  const playbacks = new Map<string, Playback>();
  /** The voice messages drawn by the update under way: one playing that is not drawn stops. */
  let drawn = new Set<string>();
  // A voice message no longer drawn stops and lets its audio go (another room shown: its place is
  // forgotten too), so that the players of rooms seen once do not pile up.
  const stopUndrawn = (all: boolean) => {
    for (const [url, playback] of playbacks) {
      if (!all && drawn.has(url)) continue;
      const audio = playback.audio;
      if (audio) {
        audio.pause();
        audio.removeAttribute('src');
        audio.load();
      }
      playbacks.delete(url);
    }
  };
  host.element.addController({
    hostUpdate: () => (drawn = new Set()),
    hostUpdated: () => stopUndrawn(false),
    hostDisconnected: () => stopUndrawn(true),
  });
  const update = () => host.element.requestUpdate();
  const of = (a: Attachment): Playback => {
    let playback = playbacks.get(a.url);
    if (!playback) playbacks.set(a.url, (playback = { at: 0, playing: false }));
    return playback;
  };
  const length = (a: Attachment) => Math.max(1, playbacks.get(a.url)?.duration ?? a.durationMs ?? 0);

  const audioOf = (a: Attachment, playback: Playback): HTMLAudioElement => {
    if (playback.audio) return playback.audio;
    const audio = new Audio();
    audio.preload = 'none';
    audio.src = a.url;
    // The audio's own length when it tells one (Chromium's WebM says Infinity until it was read through).
    const measured = () => {
      if (Number.isFinite(audio.duration) && audio.duration > 0) playback.duration = audio.duration * 1000;
    };
    audio.addEventListener('durationchange', measured);
    audio.addEventListener('loadedmetadata', () => {
      measured();
      // A seek made before the audio was here.
      if (Math.abs(audio.currentTime * 1000 - playback.at) > 100) audio.currentTime = playback.at / 1000;
    });
    audio.addEventListener('timeupdate', () => {
      if (playback.playing) playback.at = Math.min(audio.currentTime * 1000, length(a));
      update();
    });
    audio.addEventListener('error', () => {
      playback.failed = true;
      playback.playing = false;
      update();
    });
    audio.addEventListener('play', () => ((playback.playing = true), update()));
    audio.addEventListener('pause', () => ((playback.playing = false), update()));
    audio.addEventListener('ended', () => {
      measured();
      playback.at = length(a);
      update();
    });
    return (playback.audio = audio);
  };

  const toggle = (a: Attachment) => {
    const playback = of(a);
    const audio = audioOf(a, playback);
    if (playback.playing) return audio.pause();
    for (const other of playbacks.values()) if (other !== playback) other.audio?.pause();
    // Played to the end: again from the start.
    if (playback.at >= length(a) - 50) playback.at = 0;
    if (Math.abs(audio.currentTime * 1000 - playback.at) > 100) audio.currentTime = playback.at / 1000;
    audio.play().catch(() => {
      playback.playing = false;
      update();
    });
  };

  const seek = (a: Attachment, ms: number) => {
    const playback = of(a);
    playback.at = Math.min(Math.max(0, ms), length(a));
    if (playback.audio && playback.audio.readyState > 0) playback.audio.currentTime = playback.at / 1000;
    update();
  };

  const keydown = (event: KeyboardEvent, a: Attachment) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const rtl = getComputedStyle(event.target as Element).direction === 'rtl';
    const forward = { ArrowUp: 1, ArrowDown: -1, ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
    if (forward) seek(a, of(a).at + forward * STEP_MS);
    else if (event.key === ' ' || event.key === 'Enter') toggle(a);
    else return;
    event.preventDefault();
  };

  return {
    player(a, tab) {
      const strings = chunkStrings(voiceEn, host.strings());
      drawn.add(a.url);
      const playback = playbacks.get(a.url);
      // The file's line, with its link, for audio this browser could not play.
      if (playback?.failed) return undefined;
      const duration = length(a);
      const at = Math.min(playback?.at ?? 0, duration);
      const playing = playback?.playing ?? false;
      return html`<div class="voice" part="voice" role="group" aria-label=${strings.voiceMessage}>
        <button
          type="button"
          class="voice-play"
          tabindex=${tab}
          aria-label=${playing ? strings.pauseVoice : strings.playVoice}
          @click=${() => toggle(a)}
        >
          ${icon(playing ? PAUSE : PLAY)}
        </button>
        <div class="voice-track">
          ${wave(a.waveform, at / duration, (fraction) => seek(a, fraction * duration))}
          <input
            type="range"
            min="0"
            max=${duration}
            step="any"
            .value=${String(at)}
            tabindex=${tab}
            aria-label=${strings.voicePosition}
            aria-valuetext=${strings.voiceAt(clock(at), clock(duration))}
            @input=${(event: Event) => seek(a, Number((event.target as HTMLInputElement).value))}
            @keydown=${(event: KeyboardEvent) => keydown(event, a)}
          />
        </div>
        <span class="voice-time" aria-hidden="true">${clock(at)} / ${clock(duration)}</span>
      </div>`;
    },
  };
}
