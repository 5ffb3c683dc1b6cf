import { html, nothing, type TemplateResult } from 'lit';
import type { Call, UserRef } from '@chat/client';
import { avatar } from '../parts/avatar.js';
import { names, type CallStrings } from './call-strings.js';

// Icons drawn with currentColor, 20px; decorative (each button has a label). The slash of a muted
// mic or a camera that is off is in the icon's own markup, shown or not: a nested html`` template
// would make it an HTML element inside the svg, which is not drawn.
const icon = (d: string, off = false) =>
  html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
    <path d=${d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    <path d="M3 3l18 18" stroke="currentColor" stroke-width="2" stroke-linecap="round" display=${off ? 'inline' : 'none'} />
  </svg>`;
const PHONE = 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2';
const CAMERA = 'M15 10l5-3v10l-5-3M3 7h12v10H3z';
const MIC = 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3M5 11a7 7 0 0 0 14 0M12 18v3';

/** What the header offers: start an audio or a video call, or join the one going on. */
export function renderCallButtons(view: {
  strings: CallStrings;
  busy: boolean;
  join: (() => void) | undefined;
  start: (kind: 'audio' | 'video') => void;
}): TemplateResult {
  const { strings, busy } = view;
  if (view.join) {
    return html`<button type="button" class="call-start call-join primary" ?disabled=${busy} @click=${view.join}>
      ${icon(PHONE)}<span>${strings.joinCall}</span>
    </button>`;
  }
  return html`<button
      type="button"
      class="icon call-start"
      aria-label=${strings.audioCall}
      title=${strings.audioCall}
      ?disabled=${busy}
      @click=${() => view.start('audio')}
    >
      ${icon(PHONE)}</button
    ><button
      type="button"
      class="icon call-start"
      aria-label=${strings.videoCall}
      title=${strings.videoCall}
      ?disabled=${busy}
      @click=${() => view.start('video')}
    >
      ${icon(CAMERA)}
    </button>`;
}

/** "Call Ana", on a person in the list of people here. */
export function renderMemberCall(strings: CallStrings, name: string, busy: boolean, call: () => void): TemplateResult {
  const label = strings.callPerson(name);
  return html`<button type="button" class="icon call-person" aria-label=${label} title=${label} ?disabled=${busy} @click=${call}>
    ${icon(CAMERA)}
  </button>`;
}

/** The banner of a call that rings you: who calls, audio or video, accept and decline. */
export function renderCallBanner(strings: CallStrings, call: Call, busy: boolean, accept: () => void, decline: () => void): TemplateResult {
  const video = call.kind === 'video';
  return html`<div part="call-banner" class="call-banner" role="group" aria-labelledby="call-banner-text">
    ${avatar(call.startedBy)}
    <p id="call-banner-text">${strings.incomingCall(call.startedBy.name, video)}</p>
    <button type="button" class="primary" ?disabled=${busy} @click=${accept}>
      ${icon(video ? CAMERA : PHONE)}<span>${strings.accept}</span>
    </button>
    <button type="button" class="danger" @click=${decline}>${strings.decline}</button>
  </div>`;
}

/** The call you are in: a tile per person (video, or an avatar in an audio call), and the controls. */
export function renderCallView(view: {
  strings: CallStrings;
  /** The language of `strings`, for lists of names. */
  lang: string;
  call: Call;
  selfId: string;
  selfName: string;
  hangUp: () => void;
}): TemplateResult {
  const { strings, call } = view;
  const video = call.kind === 'video';
  const others = call.participants.filter((p) => p.id !== view.selfId);
  const ringing = call.ringing.filter((p) => p.id !== view.selfId).map((p) => p.name);
  // Alone: the people rung, or (nobody rung, an open call) that the others may join.
  const status = others.length ? '' : ringing.length ? strings.calling(names(ringing, view.lang)) : strings.waiting;
  return html`<section part="call" class="call ${video ? 'video' : 'audio'}" aria-label=${strings.callLabel(video)}>
    ${status ? html`<p class="call-status">${status}</p>` : nothing}
    <ul class="tiles" role="list">
      ${others.map((p) => tile(p, call.remoteStreams.get(p.id), video, strings))}
      ${tile({ id: view.selfId, name: view.selfName }, call.localStream, video && call.cameraOn, strings, true)}
    </ul>
    <div class="call-controls">
      <button
        type="button"
        class="icon"
        aria-pressed=${String(call.muted)}
        aria-label=${strings.mute}
        title=${strings.mute}
        @click=${() => call.setMuted(!call.muted)}
      >
        ${icon(MIC, call.muted)}
      </button>
      ${
        video
          ? html`<button
              type="button"
              class="icon"
              aria-pressed=${String(!call.cameraOn)}
              aria-label=${strings.camera}
              title=${strings.camera}
              @click=${() => call.setCamera(!call.cameraOn)}
            >
              ${icon(CAMERA, !call.cameraOn)}
            </button>`
          : nothing
      }
      <button type="button" class="danger hang-up" aria-label=${strings.hangUp} title=${strings.hangUp} @click=${view.hangUp}>
        ${icon(PHONE)}
      </button>
    </div>
  </section>`;
}

// One person: their picture (video) or avatar; your own tile is muted (no echo) and mirrored.
function tile(user: UserRef, stream: MediaStream | undefined, video: boolean, strings: CallStrings, self = false): TemplateResult {
  const showVideo = video && stream !== undefined && stream.getVideoTracks().length > 0;
  return html`<li part="call-tile" class="tile ${self ? 'self' : ''}" data-user=${user.id}>
    ${showVideo ? html`<video autoplay playsinline .muted=${self} .srcObject=${stream}></video>` : avatar(user)}
    ${!showVideo && stream && !self ? html`<audio autoplay .srcObject=${stream}></audio>` : nothing}
    <span class="tile-name"
      >${self ? `${user.name} (${strings.you})` : user.name}${
        stream || self ? '' : html` · <small>${strings.connectingMedia}</small>`
      }</span
    >
  </li>`;
}
