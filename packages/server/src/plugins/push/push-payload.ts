// What a push carries: what the notification shows and where a click goes, well under the 4 KB
// a push service takes (RFC 8030 asks services to take at least 4096 bytes).
import type { Message, Room } from '@chat/protocol';
import type { AwayReason } from '../../core/notify.js';

/** What a push's message holds, for a service worker that words the notification itself. */
export type PushContent = 'text' | 'attachment' | 'encrypted';

/** The JSON a push carries, read by `@chat/widget/chat-sw.js` (or the host's own service worker). */
export interface PushPayload {
  /** The notification's title in English: the sender, and ` in <room title>` outside direct messages. */
  title: string;
  /** The notification's text in English: the message (cut), or what it holds, and `(+N more)` for a burst. */
  body: string;
  /** The sender's name, cut (for a worker that words the title in the reader's language). */
  sender: string;
  /** The room's title, cut; absent for a room without one. */
  roomTitle?: string;
  /** The message's text, cut; '' when it has none (an attachment alone) and always in an encrypted room. */
  text: string;
  /** `encrypted`: an end-to-end encrypted room, whose words the server cannot read and never sends. */
  content: PushContent;
  roomId: string;
  messageId: string;
  seq: number;
  /** Why this user hears of it: `direct`, `mention`, `thread` (a reply in a thread they take part in) or `message` (a room at level `all`). */
  reason: AwayReason;
  /** The page to open on a click (the `url` option of `webPush`). */
  url: string;
  /** Messages this push stands for (more than 1 when a burst was collapsed into it). */
  count: number;
}

const BODY_MAX = 180;
const TITLE_MAX = 80;
/** In bytes: with the cut texts, the JSON stays well under 4 KB whatever the characters. */
const URL_MAX_BYTES = 1024;

/** The payload of a push for `message`, standing for `count` messages of the room. */
export function pushPayload(room: Room, message: Message, reason: AwayReason, url: string, count: number): PushPayload {
  const sender = cut(message.user.name, TITLE_MAX / 2);
  const roomTitle = room.title !== undefined && room.title !== '' ? cut(room.title, TITLE_MAX / 2) : undefined;
  const title = reason === 'direct' || roomTitle === undefined ? sender : `${sender} in ${roomTitle}`;
  // An encrypted room's message has no text on the server; this says so in so many words, so that a
  // push can never carry one (whatever a client put in `text`).
  const content: PushContent =
    room.options?.encrypted === true || message.ciphertext !== undefined
      ? 'encrypted'
      : message.text.trim() === '' && message.attachments.length > 0
        ? 'attachment'
        : 'text';
  const text = content === 'text' ? cut(message.text, BODY_MAX - 24) : '';
  const said = content === 'encrypted' ? 'New encrypted message' : content === 'attachment' ? 'Sent an attachment' : text;
  return {
    title,
    body: count > 1 ? `${said} (+${count - 1} more)` : said,
    sender,
    ...(roomTitle !== undefined && { roomTitle }),
    text,
    content,
    roomId: room.id,
    messageId: message.id,
    seq: message.seq,
    reason,
    url: typeof url === 'string' && Buffer.byteLength(url) <= URL_MAX_BYTES ? url : '/',
    count,
  };
}

/** Cuts text to `max` characters (whole code points), with an ellipsis when it was longer. */
function cut(text: string, max: number): string {
  const points = [...text.replace(/\s+/gu, ' ').trim()];
  return points.length <= max ? points.join('') : `${points.slice(0, max - 1).join('')}…`;
}
