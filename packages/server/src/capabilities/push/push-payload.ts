// What a push carries: what the notification shows and where a click goes, well under the 4 KB
// a push service takes (RFC 8030 asks services to take at least 4096 bytes).
import type { Message, Room } from '@chat/protocol';
import type { AwayReason } from '../../core/notify.js';

/** The JSON a push carries, read by `@chat/widget/chat-sw.js` (or the host's own service worker). */
export interface PushPayload {
  title: string;
  body: string;
  roomId: string;
  messageId: string;
  seq: number;
  /** Why this user hears of it: `direct`, `mention` or `message` (a room at level `all`). */
  reason: AwayReason;
  /** The page to open on a click (the `url` option of `webPush`). */
  url: string;
  /** Messages this push stands for (more than 1 when a burst was collapsed into it). */
  count: number;
}

const BODY_MAX = 180;
const TITLE_MAX = 80;
const URL_MAX = 1024;

/** The payload of a push for `message`, standing for `count` messages of the room. */
export function pushPayload(room: Room, message: Message, reason: AwayReason, url: string, count: number): PushPayload {
  const sender = cut(message.user.name, TITLE_MAX / 2);
  const where = room.title !== undefined && room.title !== '' ? cut(room.title, TITLE_MAX / 2) : undefined;
  const title = reason === 'direct' || where === undefined ? sender : `${sender} in ${where}`;
  const text = message.text.trim() !== '' ? message.text : message.attachments.length > 0 ? 'Sent an attachment' : '';
  const body = count > 1 ? `${cut(text, BODY_MAX - 24)} (+${count - 1} more)` : cut(text, BODY_MAX);
  return {
    title,
    body,
    roomId: room.id,
    messageId: message.id,
    seq: message.seq,
    reason,
    url: typeof url === 'string' && url.length <= URL_MAX ? url : '/',
    count,
  };
}

/** Cuts text to `max` characters (whole code points), with an ellipsis when it was longer. */
function cut(text: string, max: number): string {
  const points = [...text.replace(/\s+/gu, ' ').trim()];
  return points.length <= max ? points.join('') : `${points.slice(0, max - 1).join('')}…`;
}
