import type { Attachment, AttachmentKind, ChatUser, Room, UploadTarget } from '@chat/protocol';
import type { UploadedFile } from '../../core/ports.js';

export type { UploadTarget } from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';

/** What the client says about a file before it uploads it: unchecked, the client may lie. */
export interface UploadFile {
  /** The file's name on the user's device (display only, never a path). */
  name: string;
  /** The MIME type the browser guessed from the name, without parameters (`;codecs=...`); may be ''. */
  type: string;
  /** Size in bytes. */
  size: number;
  /**
   * `'voice'`: a voice message (`room.sendVoice`), to be audio/webm, audio/ogg or audio/mp4. A
   * `sign` of yours cannot see the bytes: have your store or a later check refuse other content.
   */
  kind?: AttachmentKind;
}

/** What `sign` knows about the request. */
export interface UploadContext {
  user: ChatUser;
  /** The room the file is for, '' when the client named none. */
  roomId: string;
  /** That room, when there is one. */
  room?: Room;
  handshake: ChatHandshake;
}

/**
 * Where uploaded files go (the `uploads` option of `createChatServer`): `diskUploads()`, or your
 * own `{ sign }` returning where the client uploads, such as a presigned URL of an object store.
 * @example createChatServer(http, { uploads: diskUploads({ dir: './uploads' }) })
 */
export interface ChatUploads {
  /** Called for every `POST /uploads` the user may make (after `authorize('upload')`); throw a `ChatError` to refuse. */
  sign(file: UploadFile, ctx: UploadContext): UploadTarget | Promise<UploadTarget>;
  /** Called once before the chat server takes connections (`chat.ready()` waits for it). */
  init?(): void | Promise<void>;
  /** Called by `chat.close()`. */
  close?(): void | Promise<void>;
  /**
   * A message carrying these attachments is about to be stored (not in an ephemeral or encrypted
   * room): mark your files among them as sent, or throw a `ChatError` to refuse the message (a
   * file you no longer have).
   */
  attach?(attachments: readonly Attachment[]): void | Promise<void>;
  /**
   * A message with these files, which `ownerId` sent, was deleted (by its author, a moderator, the
   * host, retention or `chat.eraseUser`): delete what is yours of them.
   */
  removeAttached?(attachments: readonly Attachment[], ownerId: string): void | Promise<void>;
  /** For `chat.exportUser`: what you keep about the files a user uploaded. */
  filesOf?(userId: string): UploadedFile[] | Promise<UploadedFile[]>;
  /** For `chat.eraseUser`: delete every file the user uploaded. */
  removeFilesOf?(userId: string): void | Promise<void>;
}
