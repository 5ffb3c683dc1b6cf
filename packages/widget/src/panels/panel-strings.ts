/**
 * The texts of the people panel (its person cards too) and the notifications menu. They live in the panels' chunk; a host
 * changes them like any other text (`element.strings`, or a language of `registerLocale`).
 */
export interface PanelStrings {
  /** The person card's button that opens a private conversation with them. */
  messagePrivately: string;
  /** The heading of the list of direct rooms in the people panel. */
  privateChats: string;
  /** The notifications menu's three levels, and the button that asks the browser for permission. */
  notifyAll: string;
  notifyMentions: string;
  notifyNone: string;
  enableNotifications: string;
  /** Under the levels when the browser refused notifications for the page. */
  notificationsBlocked: string;
  /** A large room's people panel: how many of everyone it shows, and the button that loads more. */
  membersShown: (shown: number, total: number) => string;
  moreMembers: string;
  /** Roles and a mute, beside a name in the people panel. */
  roleOwner: string;
  roleModerator: string;
  mutedMark: string;
  /** Above a person's fingerprint in their card, in an encrypted room. */
  fingerprint: string;
}

/** English. */
export const panelsEn: PanelStrings = {
  messagePrivately: 'Message privately',
  privateChats: 'Private conversations',
  notifyAll: 'All messages',
  notifyMentions: 'Direct messages and mentions',
  notifyNone: 'Nothing',
  enableNotifications: 'Enable notifications',
  notificationsBlocked: 'This browser blocks notifications from this page.',
  membersShown: (shown, total) => `Showing ${shown} of ${total}`,
  moreMembers: 'Show more people',
  roleOwner: 'owner',
  roleModerator: 'moderator',
  mutedMark: 'muted',
  fingerprint: 'Security fingerprint (compare it with theirs)',
};
