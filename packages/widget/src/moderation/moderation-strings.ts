/**
 * The texts of moderation that only moderators see. They live in the moderation chunk, so people
 * who never moderate do not load them; a host changes them like any other text (`element.strings`,
 * or a language of `registerLocale`): `ChatStrings` lists them as optional keys.
 */
export interface ModerationStrings {
  /** A moderator's actions on a person. */
  kick: string;
  ban: string;
  unban: string;
  muteMember: string;
  unmuteMember: string;
  makeModerator: string;
  makeMember: string;
  /** The question before a kick, ban or mute ("Ban: Ana?"), its durations and the reason field. */
  confirmAction: (action: string, name: string) => string;
  duration: string;
  forHour: string;
  forDay: string;
  forEver: string;
  reason: string;
  /** The room menu: freeze, slow mode and its choices, people banned from this widget. */
  freeze: string;
  slowMode: string;
  slowOff: string;
  everySeconds: (seconds: number) => string;
  bannedHere: string;
}

/** English. */
const moderationEn: ModerationStrings = {
  kick: 'Remove from room',
  ban: 'Ban',
  unban: 'Lift ban',
  muteMember: 'Mute',
  unmuteMember: 'Lift mute',
  makeModerator: 'Make moderator',
  makeMember: 'Make member',
  confirmAction: (action, name) => `${action}: ${name}?`,
  duration: 'For how long',
  forHour: '1 hour',
  forDay: '1 day',
  forEver: 'Until lifted',
  reason: 'Reason',
  freeze: 'Only moderators can write',
  slowMode: 'Slow mode',
  slowOff: 'Off',
  everySeconds: (s) => (s < 60 ? `${s} s` : `${s / 60} min`),
  bannedHere: 'Banned',
};

/** Spanish. */
const moderationEs: ModerationStrings = {
  kick: 'Sacar de la sala',
  ban: 'Prohibir la entrada',
  unban: 'Levantar la prohibición',
  muteMember: 'Silenciar',
  unmuteMember: 'Quitar el silencio',
  makeModerator: 'Hacer moderador',
  makeMember: 'Hacer miembro',
  confirmAction: (action, name) => `¿${action}: ${name}?`,
  duration: 'Durante cuánto tiempo',
  forHour: '1 hora',
  forDay: '1 día',
  forEver: 'Hasta que se levante',
  reason: 'Motivo',
  freeze: 'Solo los moderadores pueden escribir',
  slowMode: 'Modo lento',
  slowOff: 'Desactivado',
  everySeconds: (s) => (s < 60 ? `${s} s` : `${s / 60} min`),
  bannedHere: 'Con la entrada prohibida',
};

/** The moderation texts for a language (Spanish for `es-*`, English otherwise), with the host's own on top. */
export function moderationStrings(lang: string, host: Partial<ModerationStrings>): ModerationStrings {
  const base = lang.toLowerCase().split('-')[0] === 'es' ? moderationEs : moderationEn;
  const own = Object.fromEntries(Object.entries(host).filter(([key, value]) => key in moderationEn && value !== undefined));
  return { ...base, ...own };
}
