// The header panels' chunk (chat-room.panels.js): the people panel (the people here with their
// cards, the user's private conversations) and the notifications menu, fetched the first time one
// of them opens (panels/loader.ts).
import type { TemplateResult } from 'lit';
import { ChatError, type ChatRoom, type Member } from '@chat/client';
import { addStyles } from '../add-styles.js';
import type { PrivateController } from '../chat-room/private-controller.js';
import type { ConversationsController } from '../conversations/conversations-controller.js';
import { notificationPermission } from '../conversations/notifier.js';
import { chunkStrings } from '../i18n/chunk-strings.js';
import type { ChatStrings } from '../i18n/strings.js';
import { renderMemberList } from './member-list.js';
import { renderNotificationMenu } from './notification-menu.js';
import { panelsEn } from './panel-strings.js';
import type { PanelText } from './panel-text.js';
import { panelStyles } from './panel-styles.js';
import type { PersonCardView } from './person-card.js';

/**
 * A page of members refused (a `ChatError`), or its code, chat-room.members.js, not fetched: said
 * with the file to serve; the list and its button stay as they were.
 */
function pageError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  const message = 'More people could not be loaded (chat-room.members.js must be served next to chat-room.min.js).';
  return new ChatError('INTERNAL', message, { cause: error });
}

/** What the header panels read of `<chat-room>`. */
export interface PanelHost {
  readonly element: { readonly renderRoot: ParentNode; readonly updateComplete: Promise<boolean>; requestUpdate(): void };
  /** A person's card, "Message privately", a private conversation opened. */
  readonly direct: Pick<PrivateController, 'card' | 'fingerprints' | 'toggleCard' | 'message' | 'open'>;
  readonly conversations: Pick<ConversationsController, 'list' | 'presence' | 'row' | 'get'>;
  /** The widget's own room (the `room` attribute). */
  home(): string | undefined;
  fail(error: ChatError): void;
  /** The widget's language (the panels' own texts). */
  lang(): string;
}

/** What a person's card gets besides what the panel gives it: the call button, a moderator's actions. */
export type CardActions = (member: Member) => Pick<PersonCardView, 'call' | 'moderation'>;

/** The header panels, drawn in `<chat-room>` by panels/loader.ts. */
export interface Panels {
  /**
   * The people panel: the people here (`members` of `room`), each with their card and what
   * `actions` adds to it, and the user's private conversations.
   */
  _people(
    room: ChatRoom | undefined,
    members: readonly Member[],
    strings: ChatStrings,
    when: (iso: string | undefined) => string,
    onClose: () => void,
    actions: CardActions,
  ): TemplateResult;
  /** The notifications menu of `room`: the user's level there, the button that asks the browser for permission, and `device` (Web Push). */
  _notify(room: ChatRoom, strings: ChatStrings, onClose: () => void, device: unknown): TemplateResult;
}

/** The header panels of `host.element`, their styles added to it. */
export function createPanels(host: PanelHost): Panels {
  addStyles(host.element, panelStyles);
  const { direct, conversations } = host;
  const texts = (strings: ChatStrings): PanelText => ({ ...strings, ...chunkStrings(panelsEn, strings) });
  return {
    _people: (room, members, chatStrings, when, onClose, actions) => {
      const strings = texts(chatStrings);
      return renderMemberList({
        members,
        selfId: room?.self?.id,
        strings,
        _onClose: onClose,
        card: direct.card,
        _cardView: (member) => ({
          strings,
          presence: conversations.presence.get(member.id),
          when,
          _onMessage: member.id === room?.self?.id ? undefined : () => void direct.message(member),
          fingerprint: room?.encrypted ? direct.fingerprints.get(member.id) : undefined,
          ...actions(member),
        }),
        _onCard: (member) => direct.toggleCard(member),
        chats: conversations.list.filter((s) => s.room.options.direct && s.room.id !== host.home()),
        _chatView: (summary) => conversations.row(summary, when),
        _onChat: (id) => direct.open(id),
        when,
        ...(room?.isLarge === true && {
          total: room.memberCount,
          ...(room.hasMoreMembers && { _onMore: () => void room.loadMembers().catch((e: unknown) => host.fail(pageError(e))) }),
        }),
      });
    },
    _notify: (room, strings, onClose, device) =>
      renderNotificationMenu({
        strings: texts(strings),
        level: conversations.get(room.id)?.notifications ?? 'all',
        _onLevel: (next) => void room.setNotifications(next).catch((e: ChatError) => host.fail(e)),
        permission: notificationPermission(),
        _onEnable: () => void Notification.requestPermission().then(() => host.element.requestUpdate()),
        _onClose: onClose,
        device,
      }),
  };
}
