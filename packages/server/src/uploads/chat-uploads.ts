import type { Attachment, ChatUser, Room } from '@chat/protocol';
import type { ChatHandshake } from '../auth/handshake.js';

/** What the client says about a file before it uploads it: unchecked, the client may lie. */
export interface UploadFile {
  /** The file's name on the user's device (display only, never a path). */
  name: string;
  /** The MIME type the browser guessed from the name; may be ''. */
  type: string;
  /** Size in bytes. */
  size: number;
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
 * Where and how the client sends the file: `PUT` with the file as the body, or `POST` of a
 * multipart form with `fields` first and the file last, as `fileField`.
 */
export interface UploadTarget {
  /** Absolute URL, or a path on the chat server (resolved against the client's upload URL). */
  url: string;
  method: 'PUT' | 'POST';
  /** Headers the client must send (a presigned PUT's `Content-Type`...). */
  headers?: Record<string, string>;
  /** Form fields sent before the file (a presigned POST's policy fields). */
  fields?: Record<string, string>;
  /** Name of the file's form field. @default 'file' */
  fileField?: string;
  /** The attachment the message will carry once the upload succeeded. Without it, the upload's JSON answer gives `{ attachment }` (the disk default does). */
  attachment?: Attachment;
  /** Send the chat credentials with the upload: only for the chat server's own `POST /uploads`, never for another host. */
  withAuth?: boolean;
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
}
