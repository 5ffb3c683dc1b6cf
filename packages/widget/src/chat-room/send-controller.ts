import type { ChatError, ChatRoom, Message } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { composerLine } from '../parts/composer-line.js';
import type { Notice } from '../parts/message-list.js';
import type { UploadSlot } from '../uploads/loader.js';
import type { SendLimits } from './send-limits.js';

/** The element whose composer sends: its status line. */
export interface SendHost {
  /** A short line for the status region. */
  _note: string;
}

/** What sending asks of the room view. */
export interface SendView {
  /** The room shown now. */
  room(): ChatRoom | undefined;
  strings(): ChatStrings;
  fail(error: ChatError): void;
}

/** The parts beside the composer that a send reads and changes. */
export interface SendParts {
  limits: SendLimits;
  uploads: UploadSlot;
  /** The message the composer answers. */
  messages: { replyTo: Message | undefined };
  /** The next render goes to the bottom. */
  scroll: { _stick: boolean };
  /** A line in the log (a command's private answer). */
  _notice(text: string, afterSeq: number, kind: Notice['kind']): void;
}

/**
 * What the composer sends: a message (with the files uploaded for it and the message it answers)
 * or a slash command, once the send limits and the uploads allow it.
 */
export class SendController {
  readonly #host: SendHost;
  readonly #view: SendView;
  readonly #parts: SendParts;

  constructor(host: SendHost, view: SendView, parts: SendParts) {
    this.#host = host;
    this.#view = view;
    this.#parts = parts;
  }

  /** Text, or uploaded files, and no file still uploading (the status line says to wait). */
  _canSend(text: string): boolean {
    if (text && 'message' in composerLine(text) && !this.#parts.limits.check()) return false;
    if (this.#parts.uploads.busy) {
      this.#host._note = this.#view.strings().waitForUploads;
      return false;
    }
    return Boolean(text) || this.#parts.uploads.ready;
  }

  send(text: string, mentions: string[]): void {
    const room = this.#view.room();
    if (!room) return;
    const line = composerLine(text);
    if ('command' in line) return this.#runCommand(room, line.command);
    text = line.message;
    const parts = this.#parts;
    const replyTo = parts.messages.replyTo?.id;
    const attachments = parts.uploads.take();
    parts.messages.replyTo = undefined;
    parts.scroll._stick = true;
    this.#host._note = '';
    room
      .send({
        text,
        ...(attachments.length > 0 && { attachments }),
        ...(replyTo !== undefined && { replyTo }),
        ...(mentions.length > 0 && { mentions }),
      })
      .catch((error: ChatError) => this.#view.fail(error));
  }

  /** Runs a slash command; its private answer is a line in the log that only this user sees. */
  #runCommand(room: ChatRoom, line: string): void {
    room.runCommand(line).then(
      ({ reply }) => {
        this.#parts.scroll._stick = true;
        if (reply !== undefined && room === this.#view.room()) this.#parts._notice(reply, room.messages.at(-1)?.seq ?? 0, 'reply');
      },
      (error: ChatError) => this.#view.fail(error),
    );
  }
}
