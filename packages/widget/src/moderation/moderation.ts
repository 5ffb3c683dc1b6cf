// The moderation chunk: loaded by ./loader.ts the first time a moderator opens the room menu or a
// person's moderation, never for people who do not moderate.
import type { Member } from '@chat/client';
import { ModerationController, type ModerationHost } from './moderation-controller.js';
import { renderMemberModeration, renderRoomModeration } from './moderation-menu.js';
import { moderationStrings } from './moderation-strings.js';
import { moderationStyles } from './moderation-styles.js';
import { addStyles } from '../add-styles.js';

export type { ModerationHost } from './moderation-controller.js';

/** Where the chunk draws: the room menu, or the actions on one person (in their card). */
type ModerationSlotName = 'menu' | 'card';

/** The moderation UI of one `<chat-room>`. */
export interface ModerationUi {
  /** The room menu is open. */
  readonly menuOpen: boolean;
  /** The person whose moderation actions are shown (their card's "Moderation" is expanded). */
  readonly card: string | undefined;
  toggleMenu(): void;
  /** Closes the room menu without moving focus (another header panel opens). */
  _close(): void;
  _toggleCard(member: Member): void;
  /** Forgets what is open (another room is shown). */
  reset(): void;
  render(slot: ModerationSlotName, member?: Member): unknown;
}

/** The moderation UI of one `<chat-room>`. */
export function createModerationUi(host: ModerationHost): ModerationUi {
  addStyles(host.element, moderationStyles);
  const controller = new ModerationController(host);
  return {
    get menuOpen() {
      return controller.menuOpen;
    },
    get card() {
      return controller.card;
    },
    toggleMenu: () => controller.toggleMenu(),
    _close: () => (controller.menuOpen = false),
    _toggleCard: (member) => controller.toggleCard(member),
    reset: () => controller.reset(),
    render(slot, member) {
      const room = host.room();
      const strings = host.strings();
      const s = moderationStrings(strings);
      if (!room?.canModerate) return undefined;
      if (slot === 'menu') return controller.menuOpen && room.room ? renderRoomModeration(room.room, controller, s, strings) : undefined;
      return member && controller.card === member.id
        ? renderMemberModeration(member, controller, s, strings, room.self?.role === 'owner')
        : undefined;
    },
  };
}
