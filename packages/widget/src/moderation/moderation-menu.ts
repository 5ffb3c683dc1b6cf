import { html, nothing, type TemplateResult } from 'lit';
import type { Member, PublicRoom } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { SLOW_MODES, type Duration, type ModerationController } from './moderation-controller.js';
import type { ModerationStrings } from './moderation-strings.js';
import { escapeCloses } from '../parts/escape.js';

/**
 * A moderator's actions on a person, in their card: mute or lift a mute, remove, ban; owners
 * also make them moderator or member. Kick, ban and mute ask first, in the card: a group named
 * by its question, with how long (ban, mute) and why, Escape or Cancel closing it.
 */
export function renderMemberModeration(
  member: Member,
  mod: ModerationController,
  strings: ModerationStrings,
  chat: ChatStrings,
  owner: boolean,
): TemplateResult {
  const form = mod.form?.userId === member.id ? mod.form : undefined;
  if (form) {
    const label = { kick: strings.kick, ban: strings.ban, mute: strings.muteMember }[form.action];
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const data = new FormData(event.target as HTMLFormElement);
      mod.confirm((data.get('duration') as Duration | null) ?? 'ever', (data.get('reason') as string | null) ?? '');
    };
    const durations: Array<[Duration, string]> = [
      ['hour', strings.forHour],
      ['day', strings.forDay],
      ['ever', strings.forEver],
    ];
    return html`<form class="moderate-form" aria-labelledby="moderate-q" @submit=${submit} @keydown=${escapeCloses(() => mod.cancel())}>
      <span id="moderate-q">${strings.confirmAction(label, member.name)}</span>
      ${
        form.action === 'kick'
          ? nothing
          : html`<fieldset>
              <legend>${strings.duration}</legend>
              ${durations.map(
                ([value, text]) =>
                  html`<label><input type="radio" name="duration" value=${value} ?checked=${value === 'hour'} /> ${text}</label>`,
              )}
            </fieldset>`
      }
      <label>${strings.reason} <input name="reason" maxlength="500" /></label>
      <div>
        <button type="submit" class="danger">${label}</button>
        <button type="button" class="cancel" @click=${() => mod.cancel()}>${chat.cancel}</button>
      </div>
    </form>`;
  }
  const button = (text: string, name: string, onClick: () => void) =>
    html`<button type="button" class=${name} @click=${onClick}>${text}</button>`;
  return html`<div class="moderate" role="group" aria-label=${chat.moderation}>
    ${
      member.muted
        ? button(strings.unmuteMember, 'act-unmute', () => mod.unmute(member))
        : button(strings.muteMember, 'act-mute', () => mod.ask(member, 'mute'))
    }
    ${button(strings.kick, 'act-kick', () => mod.ask(member, 'kick'))} ${button(strings.ban, 'act-ban', () => mod.ask(member, 'ban'))}
    ${
      owner
        ? member.role === 'moderator'
          ? button(strings.makeMember, 'act-role', () => mod.setRole(member, 'member'))
          : member.role !== 'owner'
            ? button(strings.makeModerator, 'act-role', () => mod.setRole(member, 'moderator'))
            : nothing
        : nothing
    }
  </div>`;
}

/**
 * The room menu of moderators (opened from the header): "Only moderators can write" (freeze),
 * slow mode (off, 10 s, 30 s, 1 min, 5 min), and the people banned from this widget, with Lift
 * ban. Escape closes it.
 */
export function renderRoomModeration(
  room: PublicRoom,
  mod: ModerationController,
  strings: ModerationStrings,
  chat: ChatStrings,
): TemplateResult {
  const slow = room.options.slowModeMs ?? 0;
  return html`<div id="moderation" class="menu" role="group" aria-label=${chat.moderation} @keydown=${escapeCloses(() => mod.closeMenu())}>
    <label
      ><input
        type="checkbox"
        .checked=${room.options.frozen === true}
        @change=${(e: Event) => mod.setFrozen((e.target as HTMLInputElement).checked)}
      />
      ${strings.freeze}</label
    >
    <fieldset>
      <legend>${strings.slowMode}</legend>
      ${SLOW_MODES.map(
        (ms) =>
          html`<label
            ><input type="radio" name="slow" .checked=${slow === ms} @change=${() => mod.setSlowMode(ms)} />
            ${ms === 0 ? strings.slowOff : strings.everySeconds(ms / 1000)}</label
          >`,
      )}
    </fieldset>
    ${
      mod.banned.size
        ? html`<h3>${strings.bannedHere}</h3>
            <ul>
              ${[...mod.banned].map(
                ([id, name]) =>
                  html`<li>${name} <button type="button" class="act-unban" @click=${() => mod.unban(id)}>${strings.unban}</button></li>`,
              )}
            </ul>`
        : nothing
    }
  </div>`;
}
