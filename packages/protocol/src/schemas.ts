import * as v from 'valibot';
import { createAttachmentSchema } from './attachment-schema.js';
import { base64Schema, createE2eeSchemas, deviceIdSchema } from './e2ee-schema.js';
import { E2EE_LIMITS } from './e2ee.js';
import { createPushSchemas } from './push-schema.js';
import { createSearchSchemas } from './search-schema.js';
import { cleanDisplayName } from './display-name.js';
import { CONTROL, emojiSchema, idSchema, jsonObjectSchema, payload, plainObject, seqSchema, storable } from './schema-parts.js';
import type { CallIdPayload, CallSignalPayload, CallStartPayload } from './calls.js';
import { DEFAULT_LIMITS, ID_LIMITS, type ChatLimits } from './limits.js';
import type {
  CommandRunPayload,
  MessageReportPayload,
  ModerationPayload,
  ModerationRolePayload,
  ModerationRoomPayload,
} from './moderation.js';
import type {
  ConversationsListPayload,
  NotificationsSetPayload,
  PresenceOfPayload,
  PresenceStatusPayload,
  ReadMarkPayload,
  RoomDirectPayload,
} from './conversations-events.js';
import type { AuthRefreshPayload, RoomJoinPayload, RoomLeavePayload, RoomMembersPayload } from './events.js';
import type { MessageDeletePayload, MessageEditPayload, ReactionPayload, TypingPayload } from './messages-events.js';
import type { MessageHistoryPayload, MessageSendPayload } from './message-payloads.js';

/** An encrypted message or edit names the device that encrypted it, so that a removed device is refused. */
const DEVICE_WITH_CIPHERTEXT =
  'ciphertext and deviceId go together: an encrypted message names the device that encrypted it (deviceId), and only an encrypted one does.';

/** Longest `RoomOptions.retentionDays` (and the server's `retention.days`): about 100 years. */
export const MAX_RETENTION_DAYS = 36_500;

/** Builds the schemas of every client -> server payload for the given limits; build once, reuse. */
export function createPayloadSchemas(limits: Readonly<ChatLimits> = DEFAULT_LIMITS) {
  const roomId = idSchema('roomId', ID_LIMITS.roomId);
  const roomJoin = plainObject(
    {
      roomId,
      since: v.optional(seqSchema('since', 0)),
      epoch: v.optional(v.pipe(v.string('epoch must be a string.'), v.maxLength(ID_LIMITS.epoch, 'epoch is too long.'))),
    },
    payload,
  );
  const roomLeave = plainObject({ roomId }, payload);
  const messageId = idSchema('messageId', ID_LIMITS.messageId);
  const text = v.pipe(
    v.string('text must be a string.'),
    v.maxLength(limits.maxTextLength, `Messages can be at most ${limits.maxTextLength} characters long.`),
    storable('Messages'),
  );
  const mentions = v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string('Each mention must be a user id string.'),
          v.minLength(1, 'A mention must not be empty.'),
          v.maxLength(ID_LIMITS.userId, `User ids can be at most ${ID_LIMITS.userId} characters.`),
          storable('Mentions'),
        ),
        'mentions must be a list of user ids.',
      ),
      v.maxLength(limits.maxMentions, `A message can mention at most ${limits.maxMentions} people.`),
    ),
  );
  const messageSend = v.pipe(
    plainObject(
      {
        roomId,
        clientId: idSchema('clientId', ID_LIMITS.clientId),
        text,
        ciphertext: v.optional(base64Schema('ciphertext', E2EE_LIMITS.handshake)),
        epoch: v.optional(seqSchema('epoch', 1)),
        deviceId: v.optional(deviceIdSchema()),
        attachments: v.optional(
          v.pipe(
            v.array(createAttachmentSchema(limits.maxVoiceMs), 'attachments must be a list.'),
            v.maxLength(limits.maxAttachments, `A message can have at most ${limits.maxAttachments} attachments.`),
          ),
        ),
        replyTo: v.optional(idSchema('replyTo', ID_LIMITS.messageId)),
        mentions,
        threadOf: v.optional(idSchema('threadOf', ID_LIMITS.messageId)),
        alsoInRoom: v.optional(v.boolean('alsoInRoom must be true or false.')),
        uploads: v.optional(
          v.pipe(
            v.array(idSchema('Each upload', ID_LIMITS.upload), 'uploads must be a list of the names of uploaded files.'),
            v.maxLength(limits.maxAttachments, `A message can carry at most ${limits.maxAttachments} files.`),
          ),
        ),
      },
      payload,
    ),
    v.check(
      (m) => m.uploads === undefined || m.ciphertext !== undefined,
      'uploads goes with ciphertext: a message that is not encrypted names its files in attachments.',
    ),
    v.check(
      (m) => m.ciphertext !== undefined || m.text.trim().length > 0 || (m.attachments?.length ?? 0) > 0,
      'A message needs some text or at least one attachment.',
    ),
    v.check((m) => m.alsoInRoom === undefined || m.threadOf !== undefined, 'alsoInRoom goes with threadOf (a thread reply).'),
    v.check(
      (m) => (m.ciphertext === undefined) === (m.epoch === undefined),
      'ciphertext and epoch go together: the epoch it was encrypted in.',
    ),
    v.check((m) => (m.deviceId === undefined) === (m.ciphertext === undefined), DEVICE_WITH_CIPHERTEXT),
    v.check(
      (m) => m.ciphertext === undefined || (m.text === '' && (m.attachments?.length ?? 0) === 0),
      'An encrypted message carries its text (and files) only inside ciphertext: text must be empty and attachments absent.',
    ),
  );
  const messageHistory = v.pipe(
    plainObject(
      {
        roomId,
        threadOf: v.optional(idSchema('threadOf', ID_LIMITS.messageId)),
        before: v.optional(seqSchema('before', 1)),
        after: v.optional(seqSchema('after', 0)),
        changedAfter: v.optional(seqSchema('changedAfter', 0)),
        minSeq: v.optional(seqSchema('minSeq', 0)),
        maxSeq: v.optional(seqSchema('maxSeq', 0)),
        limit: v.optional(
          v.pipe(seqSchema('limit', 1), v.maxValue(limits.maxHistoryPage, `limit must be at most ${limits.maxHistoryPage}.`)),
        ),
      },
      payload,
    ),
    v.check((h) => h.before === undefined || h.after === undefined, 'Give before or after, not both.'),
    v.check(
      (h) => h.changedAfter === undefined || (h.before === undefined && h.after === undefined),
      'Give changedAfter without before or after (use minSeq and maxSeq to narrow it).',
    ),
    v.check(
      (h) => h.changedAfter !== undefined || (h.minSeq === undefined && h.maxSeq === undefined),
      'minSeq and maxSeq go with changedAfter.',
    ),
    v.check((h) => h.minSeq === undefined || h.maxSeq === undefined || h.minSeq <= h.maxSeq, 'minSeq must not be more than maxSeq.'),
    v.check(
      (h) => h.threadOf === undefined || h.changedAfter === undefined,
      'Give threadOf without changedAfter (changedAfter already covers the replies of every thread of the room).',
    ),
  );
  const messageEdit = v.pipe(
    plainObject(
      {
        roomId,
        messageId,
        text,
        mentions,
        ciphertext: v.optional(base64Schema('ciphertext', E2EE_LIMITS.handshake)),
        epoch: v.optional(seqSchema('epoch', 1)),
        deviceId: v.optional(deviceIdSchema()),
      },
      payload,
    ),
    v.check(
      (m) => (m.ciphertext === undefined) === (m.epoch === undefined),
      'ciphertext and epoch go together: the epoch it was encrypted in.',
    ),
    v.check((m) => (m.deviceId === undefined) === (m.ciphertext === undefined), DEVICE_WITH_CIPHERTEXT),
    v.check(
      (m) => m.ciphertext === undefined || m.text === '',
      'An encrypted edit carries its text only inside ciphertext: text must be empty.',
    ),
  );
  const userId = v.pipe(
    v.string('Each user id must be a string.'),
    v.minLength(1, 'A user id must not be empty.'),
    v.maxLength(ID_LIMITS.userId, `User ids can be at most ${ID_LIMITS.userId} characters.`),
    storable('User ids'),
  );
  const roomDirect = plainObject(
    {
      userIds: v.pipe(
        v.array(userId, 'userIds must be a list of user ids.'),
        v.minLength(1, 'userIds must name at least one other user.'),
        v.maxLength(limits.maxDirectMembers, `A direct room can have at most ${limits.maxDirectMembers} members.`),
      ),
      encrypted: v.optional(v.boolean('encrypted must be true or false.')),
    },
    payload,
  );
  const readMark = plainObject(
    { roomId, seq: seqSchema('seq', 0), threadOf: v.optional(idSchema('threadOf', ID_LIMITS.messageId)) },
    payload,
  );
  const presenceStatus = plainObject(
    {
      status: v.picklist(['online', 'away', 'busy'], 'status must be online, away or busy.'),
      text: v.optional(
        v.pipe(
          v.string('text must be a string.'),
          v.maxLength(ID_LIMITS.statusText, `A status text can be at most ${ID_LIMITS.statusText} characters long.`),
          v.check((t) => !CONTROL.test(t), 'A status text cannot contain control characters or line breaks.'),
          storable('Status texts'),
        ),
      ),
    },
    payload,
  );
  const presenceOf = plainObject(
    {
      userIds: v.pipe(
        v.array(userId, 'userIds must be a list of user ids.'),
        v.maxLength(ID_LIMITS.presenceQuery, `Ask about at most ${ID_LIMITS.presenceQuery} users at once.`),
      ),
    },
    payload,
  );
  const roomMembers = plainObject(
    {
      roomId,
      after: v.optional(
        v.pipe(
          v.string('after must be a string (the next of the previous page).'),
          v.minLength(1, 'after must not be empty.'),
          v.maxLength(ID_LIMITS.membersCursor, 'after is not a cursor this server gave (too long).'),
        ),
      ),
      limit: v.optional(
        v.pipe(seqSchema('limit', 1), v.maxValue(ID_LIMITS.membersPage, `limit must be at most ${ID_LIMITS.membersPage}.`)),
      ),
    },
    payload,
  );
  const conversationsList = plainObject({}, payload);
  const notificationsSet = plainObject(
    { roomId, level: v.picklist(['all', 'mentions', 'none'], 'level must be all, mentions or none.') },
    payload,
  );
  const messageDelete = plainObject({ roomId, messageId }, payload);
  const reaction = plainObject({ roomId, messageId, emoji: emojiSchema() }, payload);
  const typing = plainObject({ roomId, typing: v.boolean('typing must be true or false.') }, payload);
  const authRefresh = plainObject(
    {
      token: v.pipe(
        v.string('token must be a string.'),
        v.minLength(1, 'token must not be empty.'),
        v.maxLength(ID_LIMITS.token, `token must be at most ${ID_LIMITS.token} characters.`),
      ),
    },
    payload,
  );
  // Cleaned as cleanDisplayName says (NFKC, invisible characters dropped, trimmed), then measured.
  const name = v.pipe(
    v.string('The name must be a string.'),
    v.maxLength(limits.maxNameLength * 4, `Names can be at most ${limits.maxNameLength} characters long.`),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return cleanDisplayName(dataset.value);
      } catch (error) {
        addIssue({ message: (error as Error).message });
        return NEVER;
      }
    }),
    v.maxLength(limits.maxNameLength, `Names can be at most ${limits.maxNameLength} characters long.`),
  );
  const roomOptions = plainObject(
    {
      ephemeral: v.optional(v.boolean('options.ephemeral must be true or false.')),
      private: v.optional(v.boolean('options.private must be true or false.')),
      frozen: v.optional(v.boolean('options.frozen must be true or false.')),
      slowModeMs: v.optional(
        v.pipe(
          seqSchema('options.slowModeMs', 0),
          v.maxValue(ID_LIMITS.slowModeMs, `Slow mode can be at most ${ID_LIMITS.slowModeMs / 3_600_000} hours.`),
        ),
      ),
      retentionDays: v.optional(
        v.pipe(
          seqSchema('options.retentionDays', 1),
          v.maxValue(MAX_RETENTION_DAYS, `options.retentionDays can be at most ${MAX_RETENTION_DAYS} days.`),
        ),
      ),
      encrypted: v.optional(v.boolean('options.encrypted must be true or false.')),
    },
    'options must be an object.',
  );
  const metadata = jsonObjectSchema('metadata');
  const title = v.pipe(
    v.string('title must be a string.'),
    v.maxLength(ID_LIMITS.title, `Titles can be at most ${ID_LIMITS.title} characters long.`),
    storable('Titles'),
  );
  const privateMetadata = jsonObjectSchema('privateMetadata');
  const createRoom = plainObject(
    {
      id: v.optional(roomId),
      title: v.optional(title),
      metadata: v.optional(metadata),
      privateMetadata: v.optional(privateMetadata),
      options: v.optional(roomOptions),
    },
    'The room must be a JSON object.',
  );
  const updateRoom = plainObject(
    {
      title: v.optional(title),
      metadata: v.optional(metadata),
      privateMetadata: v.optional(privateMetadata),
      options: v.optional(roomOptions),
    },
    'The change must be a JSON object.',
  );
  const reason = v.pipe(
    v.string('reason must be a string.'),
    v.maxLength(ID_LIMITS.reason, `A reason can be at most ${ID_LIMITS.reason} characters long.`),
    storable('Reasons'),
  );
  const until = v.pipe(
    v.string('until must be an ISO 8601 date and time.'),
    v.isoTimestamp('until must be an ISO 8601 date and time, such as 2026-12-01T18:00:00Z.'),
  );
  const targetUserId = v.pipe(
    v.string('userId must be a string.'),
    v.minLength(1, 'userId must not be empty.'),
    v.maxLength(ID_LIMITS.userId, `User ids can be at most ${ID_LIMITS.userId} characters.`),
    storable('User ids'),
  );
  const moderation = plainObject({ roomId, userId: targetUserId, until: v.optional(until), reason: v.optional(reason) }, payload);
  const moderationRole = plainObject(
    { roomId, userId: targetUserId, role: v.picklist(['owner', 'moderator', 'member'], 'role must be owner, moderator or member.') },
    payload,
  );
  const moderationRoom = v.pipe(
    plainObject(
      {
        roomId,
        frozen: v.optional(v.boolean('frozen must be true or false.')),
        slowModeMs: v.optional(
          v.pipe(
            seqSchema('slowModeMs', 0),
            v.maxValue(ID_LIMITS.slowModeMs, `Slow mode can be at most ${ID_LIMITS.slowModeMs / 3_600_000} hours.`),
          ),
        ),
      },
      payload,
    ),
    v.check((r) => r.frozen !== undefined || r.slowModeMs !== undefined, 'Give frozen or slowModeMs.'),
  );
  const messageReport = plainObject({ roomId, messageId, reason }, payload);
  const commandRun = plainObject(
    {
      roomId,
      name: v.pipe(
        v.string('name must be a string.'),
        v.regex(/^[a-z0-9][a-z0-9_-]*$/u, 'A command name is lowercase letters, digits, - and _.'),
        v.maxLength(ID_LIMITS.commandName, `Command names can be at most ${ID_LIMITS.commandName} characters.`),
      ),
      args: v.pipe(
        v.string('args must be a string.'),
        v.maxLength(limits.maxTextLength, `Command arguments can be at most ${limits.maxTextLength} characters.`),
        storable('Command arguments'),
      ),
      threadOf: v.optional(idSchema('threadOf', ID_LIMITS.messageId)),
    },
    payload,
  );
  const callId = idSchema('callId', ID_LIMITS.messageId);
  const callStart = plainObject(
    {
      roomId,
      kind: v.picklist(['audio', 'video'], 'kind must be audio or video.'),
      invite: v.optional(
        v.pipe(
          v.array(userId, 'invite must be a list of user ids.'),
          v.maxLength(limits.maxCallParticipants - 1, `A call can have at most ${limits.maxCallParticipants} people.`),
        ),
      ),
    },
    payload,
  );
  const callIdPayload = plainObject({ callId }, payload);
  const short = (field: string) =>
    v.optional(
      v.nullable(
        v.pipe(v.string(`${field} must be a string.`), v.maxLength(ID_LIMITS.candidate, `${field} is too long.`), storable(field)),
      ),
    );
  const callSignal = plainObject(
    {
      callId,
      to: userId,
      data: v.union(
        [
          v.strictObject({
            description: v.strictObject({
              type: v.picklist(['offer', 'answer'], 'description.type must be offer or answer.'),
              sdp: v.pipe(
                v.string('description.sdp must be a string.'),
                v.maxLength(ID_LIMITS.sdp, `An SDP can be at most ${ID_LIMITS.sdp} characters.`),
                storable('SDP'),
              ),
            }),
          }),
          v.strictObject({
            candidate: v.strictObject({
              candidate: v.pipe(
                v.string('candidate.candidate must be a string.'),
                v.maxLength(ID_LIMITS.candidate, `An ICE candidate can be at most ${ID_LIMITS.candidate} characters.`),
                storable('ICE candidates'),
              ),
              sdpMid: short('candidate.sdpMid'),
              sdpMLineIndex: v.optional(v.nullable(seqSchema('candidate.sdpMLineIndex', 0))),
              usernameFragment: short('candidate.usernameFragment'),
            }),
          }),
        ],
        'data must be { description: { type, sdp } } or { candidate: { candidate, sdpMid, sdpMLineIndex } }.',
      ),
    },
    payload,
  );
  return {
    roomId,
    createRoom,
    updateRoom,
    'room:join': roomJoin satisfies v.GenericSchema<unknown, RoomJoinPayload>,
    'room:leave': roomLeave satisfies v.GenericSchema<unknown, RoomLeavePayload>,
    'message:send': messageSend satisfies v.GenericSchema<unknown, MessageSendPayload>,
    'message:history': messageHistory satisfies v.GenericSchema<unknown, MessageHistoryPayload>,
    typing: typing satisfies v.GenericSchema<unknown, TypingPayload>,
    'auth:refresh': authRefresh satisfies v.GenericSchema<unknown, AuthRefreshPayload>,
    'message:edit': messageEdit satisfies v.GenericSchema<unknown, MessageEditPayload>,
    'message:delete': messageDelete satisfies v.GenericSchema<unknown, MessageDeletePayload>,
    'reaction:add': reaction satisfies v.GenericSchema<unknown, ReactionPayload>,
    'reaction:remove': reaction satisfies v.GenericSchema<unknown, ReactionPayload>,
    'room:direct': roomDirect satisfies v.GenericSchema<unknown, RoomDirectPayload>,
    'read:mark': readMark satisfies v.GenericSchema<unknown, ReadMarkPayload>,
    'presence:status': presenceStatus satisfies v.GenericSchema<unknown, PresenceStatusPayload>,
    'presence:of': presenceOf satisfies v.GenericSchema<unknown, PresenceOfPayload>,
    'room:members': roomMembers satisfies v.GenericSchema<unknown, RoomMembersPayload>,
    'conversations:list': conversationsList satisfies v.GenericSchema<unknown, ConversationsListPayload>,
    'notifications:set': notificationsSet satisfies v.GenericSchema<unknown, NotificationsSetPayload>,
    'moderation:kick': moderation satisfies v.GenericSchema<unknown, ModerationPayload>,
    'moderation:ban': moderation satisfies v.GenericSchema<unknown, ModerationPayload>,
    'moderation:unban': moderation satisfies v.GenericSchema<unknown, ModerationPayload>,
    'moderation:mute': moderation satisfies v.GenericSchema<unknown, ModerationPayload>,
    'moderation:unmute': moderation satisfies v.GenericSchema<unknown, ModerationPayload>,
    'moderation:role': moderationRole satisfies v.GenericSchema<unknown, ModerationRolePayload>,
    'moderation:room': moderationRoom satisfies v.GenericSchema<unknown, ModerationRoomPayload>,
    'message:report': messageReport satisfies v.GenericSchema<unknown, MessageReportPayload>,
    'command:run': commandRun satisfies v.GenericSchema<unknown, CommandRunPayload>,
    'call:start': callStart satisfies v.GenericSchema<unknown, CallStartPayload>,
    'call:join': callIdPayload satisfies v.GenericSchema<unknown, CallIdPayload>,
    'call:decline': callIdPayload satisfies v.GenericSchema<unknown, CallIdPayload>,
    'call:leave': callIdPayload satisfies v.GenericSchema<unknown, CallIdPayload>,
    'call:signal': callSignal satisfies v.GenericSchema<unknown, CallSignalPayload>,
    ...createPushSchemas(),
    ...createSearchSchemas(),
    ...createE2eeSchemas(),
    name,
  };
}

/** The schemas returned by {@link createPayloadSchemas}. */
export type PayloadSchemas = ReturnType<typeof createPayloadSchemas>;
